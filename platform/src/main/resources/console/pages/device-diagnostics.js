// "Run diagnostics": POST /devices/{id}/diagnostics, then the report from GET /diagnostics/{id}
// once the session is done. The session's self-test is a command, so the live `command` events
// say when to look again; a backing-off re-check covers a session that runs no self-test.
import { api } from '../api.js';
import { can } from '../app.js';
import { badge, el, fmtTime, showError, table } from '../ui.js';

export function diagnosticsPanel(deviceId, session) {
  const status = el('div', { 'aria-live': 'polite', 'data-test': 'diagnostics-status' });
  const report = el('div', { 'data-test': 'diagnostics-report' });
  const run = el('button', { type: 'button', class: 'primary', 'data-test': 'run-diagnostics' }, 'Run diagnostics');
  const element = el(
    'div',
    {},
    can(session, 'technician')
      ? run
      : el('p', { class: 'muted', 'data-test': 'diagnostics-withheld' }, 'Running diagnostics needs the technician role.'),
    status,
    report,
  );
  let diagnosticId = null;
  let timer = null;
  let delay = 1000;
  let closed = false;

  async function check() {
    if (!diagnosticId || closed) return;
    clearTimeout(timer);
    try {
      const s = await api.get(`/diagnostics/${encodeURIComponent(diagnosticId)}`);
      if (s.status === 'running') {
        status.replaceChildren(el('p', {}, badge('running'), ` Diagnostics ${s.diagnosticId} started ${fmtTime(s.createdAt)}…`));
        delay = Math.min(delay * 2, 10_000);
        timer = setTimeout(check, delay);
        return;
      }
      status.replaceChildren(el('p', { 'data-state': s.status }, badge(s.status), ` Diagnostics ${s.diagnosticId}, ${fmtTime(s.completedAt)}`));
      renderReport(s.report || {});
      run.disabled = false;
      diagnosticId = null;
    } catch (e) {
      showError(status, e);
      run.disabled = false;
    }
  }

  function renderReport(r) {
    if (r.error) {
      report.replaceChildren(el('div', { class: 'error', role: 'alert' }, r.error));
      return;
    }
    const facts = [];
    if (r.selfTest) facts.push(['Self-test', `${r.selfTest.status}${r.selfTest.reason ? ` — ${r.selfTest.reason}` : ''}`]);
    if (r.historyOnly) facts.push(['Scope', 'history only: the device was offline']);
    if (r.probableCategory) facts.push(['Probable category', r.probableCategory]);
    const c = r.connectivity || {};
    if (c.disconnections !== undefined) facts.push(['Disconnections', String(c.disconnections)]);
    if (c.longestGapSeconds !== undefined) facts.push(['Longest telemetry gap', `${Math.round(c.longestGapSeconds)} s`]);
    if (c.lastWifiRssiDbm !== undefined) facts.push(['Last Wi-Fi RSSI', `${c.lastWifiRssiDbm} dBm`]);
    report.replaceChildren(
      el('h3', {}, 'Report'),
      el('dl', { class: 'facts' }, facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
      table(
        [
          { label: 'Finding', value: (f) => f.ruleId },
          { label: 'Severity', value: (f) => (f.severity ? badge(f.severity) : '—') },
          { label: 'Description', value: (f) => f.description || '—' },
          { label: 'Still active', value: (f) => (f.stillActive ? 'yes' : 'no') },
        ],
        r.findings || [],
        { empty: 'No finding: nothing wrong seen.', test: 'diagnostics-findings' },
      ),
      el('h3', {}, 'Recommended actions'),
      (r.recommendedActions || []).length
        ? el('ol', { 'data-test': 'diagnostics-actions' }, r.recommendedActions.map((a) => el('li', {}, a)))
        : el('p', { class: 'muted', 'data-test': 'diagnostics-actions' }, 'None.'),
    );
  }

  run.addEventListener('click', async () => {
    run.disabled = true;
    report.replaceChildren();
    status.replaceChildren(el('p', {}, 'Starting…'));
    try {
      const started = await api.post(`/devices/${encodeURIComponent(deviceId)}/diagnostics`);
      diagnosticId = started.diagnosticId;
      delay = 1000;
      await check();
    } catch (e) {
      showError(status, e);
      run.disabled = false;
    }
  });

  return {
    element,
    /** A command of the device changed: the session's self-test may have finished. */
    commandChanged: () => check(),
    close: () => {
      closed = true;
      clearTimeout(timer);
    },
  };
}
