// A device: facts, health with reasons, latest values, live charts with alarms and events marked,
// the connectivity timeline, the command panel (from the command catalog) with live status,
// diagnostics, playbooks to start and watch, tickets and audit trail. Live updates come over SSE
// (live.js); only a playbook run verifying a step's outcome is looked at again on a timer.
import { api } from '../api.js';
import { can } from '../app.js';
import { live } from '../live.js';
import { badge, el, fmtAge, fmtTime, showError, table } from '../ui.js';
import { healthClass } from './devices.js';
import { metricChart } from './device-chart.js';
import { commandPanel } from './device-commands.js';
import { diagnosticsPanel } from './device-diagnostics.js';
import { playbookPanel } from './device-playbooks.js';
import { connectivityTimeline } from './device-connectivity.js';
import { forecastLine } from './alarm-forecast.js';
import { playbookRunLine } from './playbook-run.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
/**
 * Raw points for the short range, the bucketed API for the long ones: 288 five-minute buckets a
 * day, 168 or 720 hourly ones (the 30-day query the benchmark measures).
 */
const RANGES = {
  '1h': { label: '1 hour', spanMs: HOUR, bucket: null },
  '24h': { label: '24 hours', spanMs: DAY, bucket: '5m' },
  '7d': { label: '7 days', spanMs: 7 * DAY, bucket: '1h' },
  '30d': { label: '30 days', spanMs: 30 * DAY, bucket: '1h' },
};

function section(title, test, ...children) {
  const id = `s-${test}`;
  return el('section', { class: 'panel', 'aria-labelledby': id, 'data-test': test }, el('h2', { id }, title), ...children);
}

export async function render(main, params, session) {
  const deviceId = params.id;
  const path = `/devices/${encodeURIComponent(deviceId)}`;
  let range = RANGES[params.range] ? params.range : '1h';
  const cleanups = [];

  let device;
  try {
    device = await api.get(path);
  } catch (e) {
    main.append(el('h1', {}, deviceId));
    const box = el('div');
    main.append(box);
    showError(box, e);
    return undefined;
  }

  const heading = el('h1', { 'data-test': 'device-title' }, device.id);
  const facts = el('dl', { class: 'facts', 'data-test': 'device-facts' });
  const health = el('div', { 'data-test': 'device-health' });
  const latest = el('dl', { class: 'facts', 'data-test': 'latest-values' });
  const rangePicker = el('div', { class: 'row', role: 'group', 'aria-label': 'Time range' });
  const chartNote = el('p', { class: 'legend-note' },
    el('span', { class: 'swatch-alarm' }), ' alarm (raised to cleared) ',
    el('span', { class: 'swatch-event' }), ' device event');
  const chartStatus = el('div', { 'aria-live': 'polite', 'data-test': 'charts-status' });
  const charts = el('div', { class: 'charts', 'data-test': 'charts' });
  const timeline = el('div', { 'data-test': 'connectivity' });
  const events = el('div', { 'data-test': 'events' });
  const tickets = el('div', { 'data-test': 'device-tickets' });
  const audit = el('div', { 'data-test': 'device-audit' });
  const liveState = el('span', { class: 'muted', 'data-test': 'live-state' }, 'connecting…');

  const commands = commandPanel(deviceId, session);
  const diagnostics = diagnosticsPanel(deviceId, session);
  cleanups.push(() => diagnostics.close());
  const playbooks = playbookPanel(deviceId, session);
  cleanups.push(() => playbooks.close());

  main.append(
    el('p', {}, el('a', { href: '#/devices' }, '← Fleet')),
    heading,
    el('div', { class: 'cols' },
      section('Device', 'device-section', facts),
      section('Health', 'health-section', health),
      section('Latest values', 'latest-section', latest, el('p', { class: 'muted' }, 'Live: ', liveState))),
    section('Telemetry', 'telemetry-section', rangePicker, chartNote, chartStatus, charts),
    section('Connectivity', 'connectivity-section', timeline),
    el('div', { class: 'cols' },
      section('Commands', 'commands-section', commands.element),
      section('Diagnostics', 'diagnostics-section', diagnostics.element)),
    section('Playbooks', 'playbooks-section', playbooks.element),
    section('Events', 'events-section', events),
    section('Tickets', 'tickets-section', tickets),
    section('Audit trail', 'audit-section', audit),
  );

  // --- facts and health ---
  function showDevice(d) {
    facts.replaceChildren(
      ...[
        ['Type', d.type],
        ['Model', d.model || '—'],
        ['Firmware', d.firmware || '—'],
        ['Online', badge(d.online ? 'online' : 'offline')],
        ['Last seen', d.lastSeenAt ? `${fmtTime(d.lastSeenAt)} (${fmtAge(d.lastSeenAt)})` : 'never'],
        ['Protocol', d.protocol || '—'],
        ['Service state', d.serviceState || 'active'],
        ['Home', d.homeId || '—'],
        ['Behind hub', d.hubId ? el('a', { href: `#/devices/${encodeURIComponent(d.hubId)}`, 'data-test': 'device-hub' }, d.hubId) : '—'],
        ['Customer', d.customerRef ? `${d.customerRef}${d.customerTier ? ` (${d.customerTier})` : ''}` : '—'],
        ['Sold on', d.soldOn || '—'],
      ].flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]),
    );
    health.replaceChildren(
      el('p', {}, el('span', { class: healthClass(d.health.score), 'data-test': 'health-score' }, String(d.health.score)), ' / 100'),
      d.health.reasons.length
        ? el('ul', { 'data-test': 'health-reasons' }, d.health.reasons.map((r) => el('li', {}, r)))
        : el('p', { class: 'muted', 'data-test': 'health-reasons' }, 'Nothing lowers the score.'),
      el('h3', {}, 'Open alarms'),
      table(
        [
          { label: 'Severity', value: (a) => badge(a.severity) },
          { label: 'Rule', value: (a) => [a.ruleId, forecastLine(a)] },
          { label: 'Status', value: (a) => a.status },
          { label: 'Remote fix', value: (a) => (a.remediation ? [badge(a.remediation.state), playbookRunLine(a)] : '—') },
          { label: 'Raised', value: (a) => fmtAge(a.raisedAt) },
        ],
        d.openAlarms,
        { empty: 'No open alarm.', test: 'open-alarms' },
      ),
    );
  }
  showDevice(device);

  async function refreshDevice() {
    try {
      device = await api.get(path);
      showDevice(device);
    } catch (e) {
      showError(health, e);
    }
  }

  // --- latest values (the last hour's raw points, then live) ---
  const latestValues = new Map();
  function showLatest() {
    latest.replaceChildren(
      ...(latestValues.size
        ? [...latestValues.entries()]
            .sort(([a], [b]) => a.localeCompare(b))
            .flatMap(([metric, { value, ts }]) => [
              el('dt', {}, metric),
              el('dd', { 'data-test': `latest-${metric}`, title: fmtTime(ts) }, `${formatValue(value)} `, el('small', { class: 'muted' }, fmtAge(ts))),
            ])
        : [el('dd', { class: 'muted' }, 'No telemetry in the last hour.')]),
    );
  }
  function noteLatest(metric, value, ts) {
    const known = latestValues.get(metric);
    if (!known || new Date(known.ts) <= new Date(ts)) latestValues.set(metric, { value, ts });
  }

  // --- charts ---
  const marks = { alarms: [], events: [] };
  const chartByMetric = new Map();
  let windowEnd = Date.now();
  const chartWindow = { spanMs: RANGES[range].spanMs, toMs: () => (RANGES[range].bucket ? windowEnd : Date.now()) };

  function chartFor(metric) {
    let chart = chartByMetric.get(metric);
    if (!chart) {
      chart = metricChart(metric, chartWindow, marks);
      chartByMetric.set(metric, chart);
      const ordered = [...chartByMetric.keys()].sort();
      const before = chartByMetric.get(ordered[ordered.indexOf(metric) + 1]);
      charts.insertBefore(chart.element, before ? before.element : null);
    }
    return chart;
  }

  async function loadMarks(fromIso) {
    const [alarms, deviceEvents] = await Promise.all([
      api.get('/alarms', { deviceId, limit: 100 }),
      api.get(`${path}/events`, { from: fromIso, limit: 1000 }),
    ]);
    marks.alarms = alarms.alarms.map((a) => ({
      fromMs: Date.parse(a.raisedAt),
      toMs: a.clearedAt ? Date.parse(a.clearedAt) : Number.MAX_SAFE_INTEGER,
      label: `${a.severity} ${a.ruleId}`,
    }));
    marks.events = deviceEvents.events.map((e) => ({ atMs: Date.parse(e.ts), label: e.type }));
    events.replaceChildren(
      table(
        [
          { label: 'Time', value: (e) => fmtTime(e.ts) },
          { label: 'Type', value: (e) => e.type },
          { label: 'Code', value: (e) => e.code || '—' },
          { label: 'Message', value: (e) => e.message || '—' },
        ],
        deviceEvents.events.slice(-20).reverse(),
        { empty: 'No event in this range.', test: 'events-table', caption: deviceEvents.truncated ? 'The newest 20 (range truncated)' : undefined },
      ),
    );
  }

  async function loadCharts() {
    const spec = RANGES[range];
    chartWindow.spanMs = spec.spanMs;
    windowEnd = Date.now();
    const from = new Date(windowEnd - spec.spanMs).toISOString();
    chartStatus.replaceChildren(el('p', { class: 'muted' }, 'Loading…'));
    charts.setAttribute('aria-busy', 'true');
    try {
      const [page] = await Promise.all([
        api.get(`${path}/telemetry`, spec.bucket ? { from, bucket: spec.bucket } : { from }),
        loadMarks(from),
        timelineLoad(from),
      ]);
      const series = new Map();
      for (const p of page.points || []) {
        if (!series.has(p.metric)) series.set(p.metric, []);
        series.get(p.metric).push([Date.parse(p.ts), p.value]);
        if (!spec.bucket) noteLatest(p.metric, p.value, p.ts);
      }
      for (const b of page.buckets || []) {
        if (!series.has(b.metric)) series.set(b.metric, []);
        series.get(b.metric).push([Date.parse(b.ts), b.avg]);
      }
      for (const [metric, chart] of chartByMetric) {
        if (!series.has(metric)) {
          chart.destroy();
          chart.element.remove();
          chartByMetric.delete(metric);
        }
      }
      for (const [metric, points] of series) {
        points.sort((a, b) => a[0] - b[0]);
        chartFor(metric).setPoints(points);
      }
      chartStatus.replaceChildren(
        series.size === 0 ? el('p', { class: 'muted' }, `No telemetry in the last ${spec.label}.`) : '',
        page.truncated ? el('p', { class: 'muted' }, 'More points than one answer holds: the oldest are shown.') : '',
        spec.bucket ? el('p', { class: 'muted' }, `Average per ${spec.bucket} bucket.`) : '',
      );
      charts.dataset.range = range;
    } catch (e) {
      showError(chartStatus, e);
    } finally {
      charts.removeAttribute('aria-busy');
    }
  }

  const timelineLoad = (from) => connectivityTimeline(timeline, path, from);

  for (const [key, spec] of Object.entries(RANGES)) {
    const button = el('button', { type: 'button', 'data-test': `range-${key}`, 'aria-pressed': String(key === range) }, spec.label);
    button.addEventListener('click', () => {
      range = key;
      for (const b of rangePicker.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b === button));
      // Bookmarkable without re-rendering the whole page (replaceState fires no hashchange).
      history.replaceState(null, '', `#/devices/${encodeURIComponent(deviceId)}${key === '1h' ? '' : `?range=${key}`}`);
      loadCharts();
    });
    rangePicker.append(button);
  }

  // --- tickets and audit ---
  async function loadTickets() {
    try {
      const answer = await api.get('/tickets', { deviceId });
      tickets.replaceChildren(
        table(
          [
            { label: 'Ticket', value: (t) => el('a', { href: `#/tickets/${t.id}`, 'data-test': 'ticket-link' }, `#${t.id}`) },
            { label: 'Status', value: (t) => badge(t.status) },
            { label: 'Priority', value: (t) => t.priority },
            { label: 'Rule', value: (t) => t.ruleId || '—' },
            { label: 'Opened', value: (t) => fmtTime(t.openedAt) },
          ],
          answer.tickets,
          { empty: 'No ticket for this device.', test: 'tickets-table' },
        ),
      );
    } catch (e) {
      showError(tickets, e);
    }
  }

  async function loadAudit() {
    if (!can(session, 'supervisor')) {
      audit.replaceChildren(el('p', { class: 'muted' }, 'The audit trail is open to supervisors.'));
      return;
    }
    try {
      const answer = await api.get('/audit', { target: `device/${deviceId}`, limit: 50 });
      audit.replaceChildren(
        table(
          [
            { label: 'Time', value: (a) => fmtTime(a.ts) },
            { label: 'Who', value: (a) => a.actor },
            { label: 'Action', value: (a) => a.action },
            { label: 'Outcome', value: (a) => badge(a.outcome) },
            { label: 'Detail', value: (a) => (a.detail ? JSON.stringify(a.detail) : '') },
          ],
          answer.entries,
          { empty: 'Nothing recorded for this device.', test: 'audit-table' },
        ),
      );
    } catch (e) {
      showError(audit, e);
    }
  }

  // --- live ---
  let streamDropped = false;
  cleanups.push(
    live(deviceId, {
      status: (state) => {
        liveState.textContent = state === 'open' ? 'connected' : state;
        // Changes made while the stream was down are not replayed: fetch again what is shown.
        if (state === 'open' && streamDropped) {
          refreshDevice();
          loadCharts();
          commands.load();
          loadTickets();
        }
        if (state !== 'open') streamDropped = true;
      },
      telemetry: (data) => {
        if (data.deviceId !== deviceId) return;
        const ms = Date.parse(data.ts);
        for (const [metric, value] of Object.entries(data.metrics || {})) {
          noteLatest(metric, value, data.ts);
          // Raw points join the raw chart only; a bucketed chart would mix averages and points.
          if (!RANGES[range].bucket) chartFor(metric).append(ms, value);
        }
        showLatest();
      },
      alarm: async (data) => {
        if (data.deviceId !== deviceId) return;
        await refreshDevice();
        try {
          await loadMarks(new Date(chartWindow.toMs() - chartWindow.spanMs).toISOString());
          for (const chart of chartByMetric.values()) chart.redraw();
        } catch (e) {
          showError(chartStatus, e);
        }
      },
      command: (data) => {
        if (data.deviceId !== deviceId) return;
        commands.commandChanged(data.commandId);
        diagnostics.commandChanged();
        playbooks.commandChanged();
      },
      ticket: (data) => {
        if (data.deviceId === deviceId) loadTickets();
      },
    }),
  );

  await Promise.all([loadCharts(), commands.load(), playbooks.load(), loadTickets(), loadAudit()]);
  showLatest();

  return () => {
    for (const fn of cleanups) fn();
    for (const chart of chartByMetric.values()) chart.destroy();
  };
}

function formatValue(value) {
  return Number.isInteger(value) ? String(value) : Number(value).toFixed(2);
}
