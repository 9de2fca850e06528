// #/alarms: the alarm queue. Filters, cursor paging, acknowledge / assign / snooze one alarm,
// acknowledge a selection at once; rows refresh when an `alarm` live event arrives.
import { api } from '../api.js';
import { live } from '../live.js';
import { badge, el, field, fmtAge, fmtTime, showError } from '../ui.js';
import { can } from '../app.js';
import { coalesce, cursorPager, filterForm } from './controls.js';
import { forecastLine } from './alarm-forecast.js';
import { fleetIncidentsPanel } from './fleet-incidents.js';
import { homeOutagesPanel } from './home-alarms.js';
import { playbookRunLine } from './playbook-run.js';

const PAGE_SIZE = 50;

const FILTERS = [
  { name: 'status', label: 'Status', type: 'select',
    options: [['open', 'open'], ['active', 'active'], ['acknowledged', 'acknowledged'], ['cleared', 'cleared'], ['', 'any']] },
  { name: 'severity', label: 'Severity', type: 'select',
    options: [['', 'any'], ['critical', 'critical'], ['major', 'major'], ['minor', 'minor'], ['warning', 'warning']] },
  { name: 'remediationState', label: 'Remote fix', type: 'select',
    options: [['', 'any'], ['trying', 'trying'], ['verifying', 'verifying'], ['fixed', 'fixed'], ['exhausted', 'exhausted'], ['none', 'none']] },
  { name: 'assignee', label: 'Assignee', type: 'text' },
  { name: 'snoozed', label: 'Snoozed', type: 'select', options: [['', 'not snoozed'], ['true', 'snoozed now']] },
  { name: 'deviceId', label: 'Device', type: 'text' },
  { name: 'ruleId', label: 'Rule', type: 'text' },
];

export async function render(main, params, session) {
  // As the API has it: technicians assign; acknowledging (one or many) and snoozing need a
  // supervisor.
  const canAssign = can(session, 'technician');
  const canAcknowledge = can(session, 'supervisor');
  // Query parameters of the hash (e.g. #/alarms?deviceId=cam-1) preset the filters.
  let filters = { status: 'open', ...params };
  const selected = new Set();

  const errors = el('div', { class: 'errors', 'data-test': 'alarms-error' });
  const panel = el('section', { class: 'action-panel', 'data-test': 'alarm-action-panel', 'aria-live': 'polite' });
  const body = el('tbody', { 'data-test': 'alarm-rows' });
  const headers = [canAcknowledge ? 'Select' : '', 'Severity', 'Age', 'Device', 'Rule', 'Status', 'Remote fix', 'Assignee', canAssign ? 'Actions' : ''];

  const row = (alarm) => {
    const box = canAcknowledge
      ? el('input', {
          type: 'checkbox',
          checked: selected.has(alarm.id),
          'aria-label': `Select alarm ${alarm.id}`,
          'data-test': `alarm-select-${alarm.id}`,
          onchange: (event) => (event.target.checked ? selected.add(alarm.id) : selected.delete(alarm.id)),
        })
      : null;
    const remediation = alarm.remediation ? alarm.remediation.state : 'none';
    const actions = [];
    if (canAcknowledge && alarm.status === 'active') {
      actions.push(actionButton('Acknowledge', 'ack', alarm, ackForm));
    }
    if (canAssign && alarm.status !== 'cleared') actions.push(actionButton('Assign', 'assign', alarm, assignForm));
    if (canAcknowledge && alarm.status !== 'cleared') actions.push(actionButton('Snooze', 'snooze', alarm, snoozeForm));
    return el('tr', { 'data-test': `alarm-row-${alarm.id}`, 'data-id': alarm.id },
      el('td', {}, box),
      el('td', {}, badge(alarm.severity)),
      el('td', { title: fmtTime(alarm.raisedAt) }, fmtAge(alarm.raisedAt)),
      el('td', {}, el('a', { href: `#/devices/${encodeURIComponent(alarm.deviceId)}` }, alarm.deviceId)),
      el('td', {}, alarm.ruleId, forecastLine(alarm)),
      el('td', { 'data-test': `alarm-status-${alarm.id}` }, alarm.status, snoozeText(alarm),
        alarm.acknowledgedBy ? el('div', { class: 'muted' }, `by ${alarm.acknowledgedBy}${alarm.ackNote ? `: ${alarm.ackNote}` : ''}`) : null),
      el('td', { 'data-test': `alarm-remediation-${alarm.id}` }, badge(remediation), playbookRunLine(alarm), explainedLine(alarm)),
      el('td', { 'data-test': `alarm-assignee-${alarm.id}` }, alarm.assignee || ''),
      el('td', {}, actions));
  };

  const actionButton = (text, action, alarm, open) =>
    el('button', {
      type: 'button',
      'data-test': `alarm-${action}-${alarm.id}`,
      'aria-label': `${text} alarm ${alarm.id}`,
      onclick: () => open(alarm),
    }, text);

  const load = async (cursor) => {
    errors.replaceChildren();
    try {
      const page = await api.get('/alarms', { ...filters, limit: PAGE_SIZE, cursor });
      body.replaceChildren(...page.alarms.map(row));
      if (page.alarms.length === 0) {
        body.append(el('tr', { 'data-test': 'empty' }, el('td', { colspan: headers.length, class: 'muted' }, 'No alarms match.')));
      }
      return page.nextCursor ?? null;
    } catch (err) {
      showError(errors, err);
      return null;
    }
  };
  const pager = cursorPager('alarms', load);

  // One small form at a time in the action panel; confirming posts, then reloads the page on screen.
  const actionForm = (title, test, controls, submit) => {
    const problem = el('div', { class: 'errors', 'data-test': `${test}-error` });
    const form = el('form', { class: 'filters', 'data-test': test, 'aria-label': title },
      el('h2', {}, title),
      controls,
      el('button', { type: 'submit', 'data-test': `${test}-submit` }, 'Confirm'),
      el('button', { type: 'button', 'data-test': `${test}-cancel`, onclick: () => panel.replaceChildren() }, 'Cancel'),
      problem);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      problem.replaceChildren();
      try {
        await submit();
        panel.replaceChildren(el('p', { 'data-test': 'alarm-action-done' }, `${title}: done.`));
        await pager.reload();
      } catch (err) {
        showError(problem, err);
      }
    });
    panel.replaceChildren(form);
    form.querySelector('input, select').focus();
  };

  const ackForm = (alarm) => {
    const note = el('input', { type: 'text', maxlength: 1000, 'data-test': 'alarm-ack-note' });
    actionForm(`Acknowledge alarm ${alarm.id}`, 'alarm-ack-form', field('Note', note),
      () => api.post(`/alarms/${alarm.id}/ack`, note.value.trim() ? { note: note.value.trim() } : {}));
  };

  const assignForm = (alarm) => {
    const assignee = el('input', { type: 'text', required: true, value: alarm.assignee || session.name, 'data-test': 'alarm-assignee' });
    actionForm(`Assign alarm ${alarm.id}`, 'alarm-assign-form', field('Assign to (staff name)', assignee),
      () => api.post(`/alarms/${alarm.id}/assignment`, { assignee: assignee.value }));
  };

  const snoozeForm = (alarm) => {
    const until = el('input', { type: 'datetime-local', required: true, 'data-test': 'alarm-snooze-until' });
    const note = el('input', { type: 'text', maxlength: 1000, 'data-test': 'alarm-snooze-note' });
    actionForm(`Snooze alarm ${alarm.id}`, 'alarm-snooze-form', [field('Snooze until', until), field('Note', note)],
      () => api.post(`/alarms/${alarm.id}/snooze`, { until: new Date(until.value).toISOString(), ...(note.value.trim() ? { note: note.value.trim() } : {}) }));
  };

  const bulkBar = () => {
    const note = el('input', { type: 'text', maxlength: 1000, 'data-test': 'alarm-bulk-note' });
    const results = el('div', { 'data-test': 'alarm-bulk-results', 'aria-live': 'polite' });
    const form = el('form', { class: 'filters bulk-bar', 'aria-label': 'Acknowledge selected alarms' },
      field('Note for the selected alarms', note),
      el('button', { type: 'submit', 'data-test': 'alarm-bulk-ack' }, 'Acknowledge selected'),
      results);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      results.replaceChildren();
      if (selected.size === 0) {
        results.append(el('p', { role: 'alert' }, 'Select the alarms to acknowledge first.'));
        return;
      }
      try {
        const body = { alarmIds: [...selected], ...(note.value.trim() ? { note: note.value.trim() } : {}) };
        const answer = await api.post('/alarms/acknowledgements', body);
        results.append(el('ul', {}, answer.results.map((r) =>
          el('li', { 'data-test': `alarm-bulk-result-${r.alarmId}` }, `Alarm ${r.alarmId}: ${r.outcome.replace('_', ' ')}`))));
        selected.clear();
        await pager.reload();
      } catch (err) {
        showError(results, err);
      }
    });
    return form;
  };

  const { form } = filterForm('alarms', FILTERS, filters, (values) => {
    filters = values;
    selected.clear();
    pager.first();
  });

  const homes = homeOutagesPanel();
  const incidents = fleetIncidentsPanel();
  main.append(
    el('h1', {}, 'Alarms'),
    incidents.section,
    homes.section,
    form,
    errors,
    ...(canAcknowledge ? [bulkBar()] : []),
    panel,
    el('table', { class: 'grid', 'data-test': 'alarm-table' },
      el('thead', {}, el('tr', {}, headers.map((h) => el('th', { scope: 'col' }, h)))),
      body),
    pager.nav,
  );
  await Promise.all([pager.first(), homes.reload(), incidents.reload()]);

  const reload = coalesce(() => Promise.all([pager.reload(), homes.reload(), incidents.reload()]));
  const close = live(null, { alarm: reload });
  return () => {
    reload.cancel();
    close();
  };
}

/** What explains an alarm that asks for no ticket of its own: a fleet incident or a home outage. */
function explainedLine(alarm) {
  if (alarm.incidentId) {
    return el('div', { class: 'muted', 'data-test': `alarm-incident-${alarm.id}` },
      'explained by ', el('a', { href: `#/incidents/${alarm.incidentId}` }, `incident #${alarm.incidentId}`), ': no ticket');
  }
  if (alarm.homeAlarmId) {
    return el('div', { class: 'muted', 'data-test': `alarm-home-${alarm.id}` }, 'explained by a home outage: no ticket');
  }
  return null;
}

function snoozeText(alarm) {
  return alarm.snoozedUntil && new Date(alarm.snoozedUntil).getTime() > Date.now()
    ? ` (snoozed until ${fmtTime(alarm.snoozedUntil)})`
    : '';
}
