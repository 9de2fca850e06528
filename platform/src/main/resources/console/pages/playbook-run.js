// The playbook run of an alarm whose rule names a playbook (remediation.run, docs/diagnostics.md,
// "Playbooks"), as one line per step for the alarm queue and the device page:
// "reset_network: failed · reboot: succeeded". Hovering a step shows why (a skipped step's reason
// and the readings its precondition was checked on).
import { el } from '../ui.js';

/** What an event says about its step, in the words staff read. */
function outcome(event) {
  const detail = event.detail || {};
  switch (event.type) {
    case 'remedy_sent': return 'sent';
    case 'remedy_result': return detail.status || 'ended';
    case 'remedy_not_sent': return 'not sent';
    case 'step_skipped': return 'skipped';
    case 'fix_failed': return 'fix did not hold';
    case 'outcome_checked': return 'verified';
    default: return event.type;
  }
}

/** Why, for the tooltip: a reason and, for a skipped step, the readings it was checked on. */
function why(event) {
  const detail = event.detail || {};
  const readings = detail.metrics
    ? Object.entries(detail.metrics).map(([metric, value]) => `${metric} = ${value}`).join(', ')
    : '';
  return [detail.reason, readings && `readings: ${readings}`].filter(Boolean).join('; ');
}

/** The alarm's playbook steps with the latest outcome of each, or null without a playbook. */
export function playbookRunLine(alarm) {
  const run = alarm.remediation && alarm.remediation.run;
  if (!run || run.length === 0) return null;
  const steps = new Map();
  for (const event of run) steps.set(event.step, event);
  return el(
    'div',
    { class: 'muted', 'data-test': `alarm-playbook-${alarm.id}` },
    [...steps.entries()].flatMap(([step, event], i) => [
      i > 0 ? ' · ' : null,
      el('span', { title: why(event), 'data-test': `alarm-playbook-${alarm.id}-${step}` }, `${step}: ${outcome(event)}`),
    ]),
  );
}
