// #/firmware: the firmware regression guard (GET /fleet/firmware). Per model, each version's alarm
// rate per rule in alarms per 1,000 device-days with its interval, drawn as a bar with whiskers
// beside the numbers (like a fleet-reliability tool's crash-free hours by release), and the
// comparison with the previous version; the guard's active fleet alarms on top, each with the
// rollback it offers (a supervisor starts it with a reason: POST
// /fleet/firmware/regressions/{id}/rollback). docs/diagnostics.md, "Firmware regression guard".
import { api } from '../api.js';
import { can } from '../app.js';
import { badge, el, field, fmtAge, fmtTime, select, showError, table } from '../ui.js';

const RANGES = [['7', 'last 7 days'], ['30', 'last 30 days'], ['90', 'last 90 days'], ['365', 'last 365 days']];

export async function render(main, params, session) {
  const range = select(RANGES, params.days || '30', { 'data-test': 'firmware-range' });
  const model = el('input', { type: 'text', value: params.model || '', placeholder: 'all models', 'data-test': 'firmware-model' });
  const rule = el('input', { type: 'text', value: params.rule || '', placeholder: 'all rules', 'data-test': 'firmware-rule' });
  const errors = el('div', { class: 'errors' });
  const alarms = el('section', { 'aria-label': 'Firmware regressions', 'data-test': 'firmware-alarms' });
  const rollbackPanel = el('div', { 'data-test': 'firmware-rollback-panel', 'aria-live': 'polite' });
  const models = el('section', { 'aria-label': 'Alarm rates by firmware', 'data-test': 'firmware-models' });
  main.append(
    el('h1', {}, 'Firmware'),
    el('p', { class: 'muted' },
      'Alarms per 1,000 device-days per firmware version and rule, against the previous version of the same model.'),
    el('form', { class: 'filters', onsubmit: (e) => (e.preventDefault(), load()) },
      field('Period', range), field('Model', model), field('Rule', rule),
      el('button', { type: 'submit', 'data-test': 'firmware-show' }, 'Show')),
    errors,
    alarms,
    models,
  );

  async function load() {
    errors.replaceChildren();
    try {
      const days = Number(range.value);
      const to = new Date(Date.now() + 86400000).toISOString().slice(0, 10);
      const from = new Date(Date.now() - (days - 1) * 86400000).toISOString().slice(0, 10);
      const body = await api.get('/fleet/firmware', { from, to, model: model.value.trim(), rule: rule.value.trim() });
      alarms.replaceChildren(el('h2', {}, 'Active regressions'),
        alarmTable(body.regressionAlarms, can(session, 'supervisor') ? rollbackForm : null), rollbackPanel);
      const t = body.thresholds;
      models.replaceChildren(
        el('p', { class: 'muted' },
          `${body.from} to ${body.to} (exclusive, UTC). Intervals at ${percent(1 - t.significance)}; ` +
          `a verdict needs ${t.minDeviceDays} device-days per version and ${t.minAlarms} alarms together.`),
        ...(body.models.length === 0
          ? [el('p', { class: 'muted', 'data-test': 'firmware-empty' }, 'No device with a model and firmware in this period.')]
          : body.models.map(modelSection)),
      );
    } catch (e) {
      showError(errors, e);
    }
  }

  /** Asks for the reason, starts the rollback, shows what it did. */
  function rollbackForm(alarm) {
    const reason = el('input', { type: 'text', required: true, maxlength: 1000, 'data-test': 'firmware-rollback-reason' });
    const problem = el('div', { class: 'errors' });
    const form = el('form', { class: 'filters', 'aria-label': `Roll back ${alarm.model} ${alarm.firmware}`, 'data-test': 'firmware-rollback-form' },
      el('p', {}, `Start ${alarm.rollback.playbook} on the ${alarm.rollback.devices} devices of ${alarm.model} on ${alarm.firmware}. ` +
        'Devices whose owner has not consented are refused; offline devices get nothing.'),
      field('Reason (for the audit log)', reason),
      el('button', { type: 'submit', 'data-test': 'firmware-rollback-submit' }, 'Roll back'),
      problem);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      problem.replaceChildren();
      try {
        const done = await api.post(`/fleet/firmware/regressions/${alarm.id}/rollback`, { reason: reason.value.trim() });
        rollbackPanel.replaceChildren(el('p', { 'data-test': 'firmware-rollback-result' },
          `${done.playbook} on ${alarm.model} ${alarm.firmware}: ${done.started} started, ` +
          `${done.refusedForConsent} refused for want of the owner's consent` +
          (done.refusedDeviceIds.length ? ` (${done.refusedDeviceIds.join(', ')})` : '') +
          `, ${done.refusedOtherwise} refused otherwise, ${done.skipped} skipped (already running).`));
      } catch (err) {
        showError(problem, err);
      }
    });
    rollbackPanel.replaceChildren(form);
    reason.focus();
  }

  await load();
}

/** The active alarms; `onRollback` (a supervisor's) opens the rollback form of an alarm. */
function alarmTable(alarms, onRollback) {
  return table(
    [
      { label: 'Model', value: (a) => a.model },
      { label: 'Version', value: (a) => `${a.firmware} (after ${a.previousFirmware})` },
      { label: 'Rule', value: (a) => a.ruleId },
      { label: 'Rate', value: (a) => `${rateText(a.evidence.current)} vs ${rateText(a.evidence.previous)}` },
      { label: 'p-value', value: (a) => pValue(a.evidence.comparison.pValue) },
      { label: 'Raised', value: (a) => el('span', { title: fmtTime(a.raisedAt) }, fmtAge(a.raisedAt)) },
      { label: 'Rollback', value: (a) => rollbackCell(a, onRollback) },
    ],
    alarms,
    { empty: 'No firmware version is significantly worse than its predecessor.', test: 'firmware-alarm-table' },
  );
}

function rollbackCell(alarm, onRollback) {
  if (!alarm.rollback) return '';
  const label = `Roll back ${alarm.rollback.devices} devices`;
  if (!onRollback) return el('span', { class: 'muted' }, `${alarm.rollback.playbook} offered (${alarm.rollback.devices} devices)`);
  return el('button', { type: 'button', 'data-test': 'firmware-rollback', onclick: () => onRollback(alarm) }, label);
}

function modelSection(report) {
  const rows = [];
  for (const version of report.versions) {
    for (const rate of version.rules) rows.push({ version, ...rate });
  }
  const highest = Math.max(0, ...rows.map((r) => r.rate.high || 0));
  return el('section', { 'data-test': 'firmware-model-section', 'data-model': report.model },
    el('h2', {}, report.model),
    table(
      [
        { label: 'Version', value: (r) => r.version.firmware },
        { label: 'Devices', value: (r) => String(r.version.devices) },
        { label: 'Device-days', value: (r) => r.version.deviceDays.toFixed(1) },
        { label: 'Rule', value: (r) => r.ruleId },
        { label: 'Alarms', value: (r) => String(r.rate.alarms) },
        { label: 'Per 1,000 device-days', value: (r) => rateText(r.rate) },
        { label: '', value: (r) => rateBar(r.rate, highest) },
        { label: 'vs previous', value: (r) => comparisonText(r.comparison) },
        { label: 'Verdict', value: (r) => (r.comparison ? verdictBadge(r.comparison.verdict) : '') },
      ],
      rows,
      { empty: 'No alarm raised on this model in the period.', test: 'firmware-rate-table' },
    ));
}

/** The rate as a bar, its interval as a whisker, on one scale per model. */
function rateBar(rate, highest) {
  if (rate.perThousandDeviceDays === undefined || highest <= 0) return '';
  const pct = (v) => `${Math.min(100, (v / highest) * 100).toFixed(1)}%`;
  return el('span', { class: 'rate-bar', title: `${rateText(rate)} per 1,000 device-days` },
    el('span', { class: 'rate-bar-value', style: { width: pct(rate.perThousandDeviceDays) } }),
    el('span', { class: 'rate-bar-interval', style: { left: pct(rate.low), width: pct(rate.high - rate.low) } }));
}

function rateText(rate) {
  if (!rate || rate.perThousandDeviceDays === undefined || rate.perThousandDeviceDays === null) return '—';
  return `${rate.perThousandDeviceDays.toFixed(2)} [${rate.low.toFixed(2)}–${rate.high.toFixed(2)}]`;
}

function comparisonText(c) {
  if (!c) return 'first version';
  const ratio = c.rateRatio === undefined ? '∞' : `×${c.rateRatio.toFixed(2)}`;
  const high = c.rateRatioHigh === undefined ? '∞' : c.rateRatioHigh.toFixed(2);
  const low = c.rateRatioLow === undefined ? '—' : c.rateRatioLow.toFixed(2);
  return `${ratio} [${low}–${high}] vs ${c.previousFirmware}, p ${pValue(c.pValue)}`;
}

function verdictBadge(verdict) {
  return badge(verdict.replaceAll('_', ' '), `verdict-${verdict}`);
}

function pValue(p) {
  if (p === undefined || p === null) return '—';
  return p < 0.0001 ? '< 0.0001' : p.toFixed(4);
}

function percent(share) {
  return `${Math.round(share * 100)} %`;
}
