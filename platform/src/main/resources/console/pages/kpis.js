// #/kpis: the service KPIs per day as uPlot charts (GET /kpis/series), a breakdown table
// (GET /kpis?groupBy=...), tickets per day by model and by firmware, the fleet health trend
// (alarms per 100 devices per day by model or firmware, GET /fleet/health-series) and the fleet's
// current health scores by model and firmware (GET /firmware + the device list's healthBelow
// filter; the API keeps no history of scores, so that table is today's distribution).
import uPlot from '/vendor/uplot/uPlot.esm.js';
import { api } from '../api.js';
import { el, field, select, showError } from '../ui.js';

const RANGES = [['7', 'last 7 days'], ['30', 'last 30 days'], ['90', 'last 90 days'], ['365', 'last 365 days'], ['custom', 'from … to …']];
const GROUP_BY = [['deviceType', 'device type'], ['model', 'model'], ['firmware', 'firmware'], ['rule', 'rule'],
  ['category', 'category'], ['owner', 'owner'], ['assignee', 'assignee']];
const COLOURS = ['#2563eb', '#16a34a', '#dc2626', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777', '#4b5563', '#65a30d'];
// Below these scores a device is "degraded" / "needs attention" in the health table.
const DEGRADED = 80;
const NEEDS_ATTENTION = 50;
// The device list's largest page: counts at or above it are shown as "1000+".
const COUNT_CAP = 1000;
// The trend chart draws the groups with the most alarms in the range; more lines are unreadable.
const TREND_GROUPS = 8;
const TREND_GROUP_BY = [['model', 'model'], ['firmware', 'firmware']];

export async function render(main) {
  const charts = [];
  const range = select(RANGES, '30', { 'data-test': 'kpi-range' });
  const firstDay = el('input', { type: 'date', 'data-test': 'kpi-from' });
  const lastDay = el('input', { type: 'date', 'data-test': 'kpi-to' });
  const customFields = el('div', { class: 'row' }, field('First day', firstDay), field('Last day', lastDay));
  const syncRange = () => {
    customFields.hidden = range.value !== 'custom';
  };
  range.addEventListener('change', syncRange);
  syncRange();
  const groupBy = select(GROUP_BY, 'deviceType', { 'data-test': 'kpi-group-by' });
  const errors = el('div', { class: 'errors', 'data-test': 'kpi-error' });
  const chartArea = el('section', { 'aria-label': 'KPIs per day', 'data-test': 'kpi-charts' });
  const breakdown = el('section', { 'aria-label': 'Breakdown', 'data-test': 'kpi-breakdown' });
  const health = el('section', { 'aria-label': 'Fleet health', 'data-test': 'fleet-health' });
  const trendGroupBy = select(TREND_GROUP_BY, 'model', { 'data-test': 'fleet-trend-group-by' });
  const trendChart = el('div', {});
  const trend = el('section', { 'aria-label': 'Fleet health trend', 'data-test': 'fleet-trend' },
    el('h2', {}, 'Fleet health trend'), field('Alarms per 100 devices by', trendGroupBy), trendChart);
  const trendCharts = [];
  let trendRange = null;

  const destroyTrend = () => trendCharts.splice(0).forEach((chart) => chart.destroy());
  const destroyCharts = () => {
    charts.splice(0).forEach((chart) => chart.destroy());
    destroyTrend();
  };

  const showTrend = async () => {
    destroyTrend();
    trendChart.replaceChildren();
    try {
      const series = await api.get('/fleet/health-series', { ...trendRange, groupBy: trendGroupBy.value });
      const x = series.days.map((d) => new Date(`${d.day}T12:00:00Z`).getTime() / 1000);
      const by = trendGroupBy.selectedOptions[0].textContent;
      drawChart('fleet-trend-chart', `Fleet health trend: alarms per 100 devices by ${by} (UTC days)`, x,
        trendSeries(series), { into: trendChart, plots: trendCharts, empty: 'No devices in this range.' });
    } catch (err) {
      showError(trendChart, err);
    }
  };
  trendGroupBy.addEventListener('change', () => {
    if (trendRange) showTrend();
  });

  const show = async () => {
    errors.replaceChildren();
    destroyCharts();
    try {
      const { from, to } = range.value === 'custom' ? customRange(firstDay.value, lastDay.value) : dayRange(Number(range.value));
      const [byModel, byFirmware, report] = await Promise.all([
        api.get('/kpis/series', { from, to, groupBy: 'model' }),
        api.get('/kpis/series', { from, to, groupBy: 'firmware' }),
        api.get('/kpis', { from: startOfDay(from), to: startOfDay(to), groupBy: groupBy.value }),
      ]);
      chartArea.replaceChildren(el('h2', {}, `Per day, ${byModel.from} to ${byModel.to} (exclusive), ${byModel.zone}`));
      const x = byModel.days.map((d) => new Date(`${d.day}T12:00:00Z`).getTime() / 1000);
      const overall = byModel.days.map((d) => d.overall);
      drawChart('kpi-chart-cases', 'Cases per day', x, [
        ['Tickets opened', overall.map((k) => k.ticketsOpened)],
        ['Resolved', overall.map((k) => k.resolved)],
        ['Cancelled', overall.map((k) => k.cancelled)],
        ['Fixed remotely without a ticket', overall.map((k) => k.remoteFixesWithoutTicket)],
      ]);
      drawChart('kpi-chart-timeliness', 'SLA clocks on time (%)', x, [
        ['Response', overall.map((k) => percent(k.timeliness.response.rate))],
        ['Arrangement', overall.map((k) => percent(k.timeliness.arrangement.rate))],
        ['Repair', overall.map((k) => percent(k.timeliness.repair.rate))],
      ], { rates: true });
      drawChart('kpi-chart-shares', 'Outcomes (%)', x, [
        ['First-time fix', overall.map((k) => percent(k.shares.firstTimeFix.rate))],
        ['Remote resolution', overall.map((k) => percent(k.shares.remoteResolution.rate))],
        ['Repeat fault', overall.map((k) => percent(k.shares.repeatFault.rate))],
        ['Complaint', overall.map((k) => percent(k.shares.complaint.rate))],
      ], { rates: true });
      drawChart('kpi-chart-by-model', 'Tickets opened per day by model', x, groupSeries(byModel));
      drawChart('kpi-chart-by-firmware', 'Tickets opened per day by firmware', x, groupSeries(byFirmware));
      breakdown.replaceChildren(el('h2', {}, `Breakdown by ${groupBy.selectedOptions[0].textContent}`), breakdownTable(report));
      trendRange = { from, to };
      await showTrend();
    } catch (err) {
      chartArea.replaceChildren();
      breakdown.replaceChildren();
      showError(errors, err);
    }
  };

  const drawChart = (test, title, x, series,
    { rates = false, into = chartArea, plots = charts, empty = 'No cases in this range.' } = {}) => {
    const holder = el('figure', { class: 'chart', 'data-test': test, 'data-series': series.length },
      el('figcaption', {}, title));
    into.append(holder);
    if (series.length === 0) {
      holder.append(el('p', { class: 'muted' }, empty));
      return;
    }
    const width = Math.max(320, Math.min(into.clientWidth || 900, 1100));
    plots.push(new uPlot({
      width,
      height: 220,
      series: [{}, ...series.map(([label], i) => ({ label, stroke: COLOURS[i % COLOURS.length], width: 2, spanGaps: false }))],
      // Rates keep the whole 0-100 % scale, so a single day's 100 % does not look like a peak.
      scales: rates ? { y: { range: [0, 100] } } : {},
      axes: [{}, {}],
    }, [x, ...series.map(([, values]) => values)], holder));
  };

  const form = el('form', { class: 'filters', 'aria-label': 'Range and breakdown', 'data-test': 'kpi-form' },
    field('Range', range), customFields, field('Break down by', groupBy),
    el('button', { type: 'submit', 'data-test': 'kpi-apply' }, 'Show'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    show();
  });

  main.replaceChildren(el('h1', {}, 'KPIs'), form, errors, chartArea, breakdown, trend, health);
  await Promise.all([show(), fleetHealth(health)]);
  return destroyCharts;
}

/** [from, to) as the series wants them: dates, `to` exclusive, the last `days` days up to today. */
function dayRange(days) {
  const today = new Date();
  const iso = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  const to = new Date(today.getFullYear(), today.getMonth(), today.getDate() + 1);
  const from = new Date(today.getFullYear(), today.getMonth(), today.getDate() + 1 - days);
  return { from: iso(from), to: iso(to) };
}

/** [from, to) from the picked first and last day (both included); the API checks the span. */
function customRange(first, last) {
  if (!first || !last) throw new Error('Pick the first and the last day.');
  const after = new Date(`${last}T12:00:00Z`);
  after.setUTCDate(after.getUTCDate() + 1);
  return { from: first, to: after.toISOString().slice(0, 10) };
}

function startOfDay(date) {
  return new Date(`${date}T00:00:00`).toISOString();
}

function percent(rate) {
  return rate == null ? null : Math.round(rate * 1000) / 10;
}

/** One line per group key (tickets opened per day); the cases without a key are "(none)". */
function groupSeries(series) {
  const keys = new Set();
  series.days.forEach((d) => d.groups.forEach((g) => keys.add(g.key ?? '(none)')));
  return [...keys].map((key) => [key, series.days.map((d) => {
    const group = d.groups.find((g) => (g.key ?? '(none)') === key);
    return group ? group.kpis.ticketsOpened : 0;
  })]);
}

/**
 * One line per model or firmware (the TREND_GROUPS with the most alarms in the range): alarms per
 * 100 devices per day; a day without devices of the group is a gap. No key is "(none)".
 */
function trendSeries(series) {
  const alarms = new Map();
  series.days.forEach((d) => d.groups.forEach((g) => {
    const key = g.key ?? '(none)';
    alarms.set(key, (alarms.get(key) ?? 0) + g.alarmsRaised);
  }));
  const top = [...alarms.entries()]
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .slice(0, TREND_GROUPS)
    .map(([key]) => key);
  return top.map((key) => [key, series.days.map((d) => {
    const group = d.groups.find((g) => (g.key ?? '(none)') === key);
    return group?.alarmsPer100Devices ?? null;
  })]);
}

function breakdownTable(report) {
  const rate = (share) => (share.rate == null ? '—' : `${percent(share.rate)} %`);
  const columns = [
    ['Opened', (k) => k.ticketsOpened],
    ['Resolved', (k) => k.resolved],
    ['Cancelled', (k) => k.cancelled],
    ['Response on time', (k) => rate(k.timeliness.response)],
    ['Arrangement on time', (k) => rate(k.timeliness.arrangement)],
    ['Repair on time', (k) => rate(k.timeliness.repair)],
    ['First-time fix', (k) => rate(k.shares.firstTimeFix)],
    ['Remote resolution', (k) => rate(k.shares.remoteResolution)],
    ['Repeat fault', (k) => rate(k.shares.repeatFault)],
    ['Satisfaction (mean)', (k) => (k.satisfaction.mean == null ? '—' : k.satisfaction.mean.toFixed(1))],
  ];
  const rows = [['All cases', report.overall], ...report.groups.map((g) => [g.key ?? '(none)', g.kpis])];
  return el('table', { class: 'grid', 'data-test': 'kpi-breakdown-table' },
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, report.groupBy || ''), columns.map(([label]) => el('th', { scope: 'col' }, label)))),
    el('tbody', {}, rows.map(([key, kpis]) =>
      el('tr', { 'data-test': 'row' }, el('th', { scope: 'row' }, key), columns.map(([, value]) => el('td', {}, value(kpis)))))));
}

/** Devices in service per model and firmware, with how many score below the two thresholds now. */
async function fleetHealth(section) {
  section.replaceChildren(el('h2', {}, 'Fleet health by model and firmware (now)'),
    el('p', { class: 'muted' }, `The platform keeps no history of health scores: these are today's scores `
      + '(the trend above counts alarms instead). '
      + `"Degraded" is a score below ${DEGRADED}, "needs attention" below ${NEEDS_ATTENTION}.`));
  try {
    const { firmware } = await api.get('/firmware');
    const below = async (row, score) => {
      if (row.model == null || row.firmware == null) return '—';
      const page = await api.get('/devices', { model: row.model, firmware: row.firmware, healthBelow: score, limit: COUNT_CAP });
      return page.nextCursor ? `${COUNT_CAP}+` : page.devices.length;
    };
    const rows = await Promise.all(firmware.map(async (row) =>
      [row, await below(row, DEGRADED), await below(row, NEEDS_ATTENTION)]));
    section.append(el('table', { class: 'grid', 'data-test': 'fleet-health-table' },
      el('thead', {}, el('tr', {}, ['Model', 'Firmware', 'Devices', 'Degraded', 'Needs attention'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, rows.length === 0
        ? el('tr', { 'data-test': 'empty' }, el('td', { colspan: 5, class: 'muted' }, 'No devices in service.'))
        : rows.map(([row, degraded, attention]) => el('tr', { 'data-test': 'row' },
          el('td', {}, row.model ?? '(none)'), el('td', {}, row.firmware ?? '(none)'), el('td', {}, row.devices),
          el('td', {}, degraded), el('td', {}, attention))))));
  } catch (err) {
    const box = el('div', {});
    section.append(box);
    showError(box, err);
  }
}
