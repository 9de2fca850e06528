// Playbooks staff start on the device (docs/diagnostics.md, "Playbooks", "Started by staff"):
// choose one of GET /playbooks, start it (POST /devices/{id}/playbook-runs), and watch each step of
// the device's runs (GET /devices/{id}/playbook-runs). A step moves on when its command ends, which
// the live `command` events say; a step whose expected outcome is being verified moves on when its
// window passes, which no event says, so a running run is also looked at again, backing off.
import { api } from '../api.js';
import { can } from '../app.js';
import { badge, el, field, fmtTime, select, showError } from '../ui.js';

const CONSENT_REQUIRED = 'urn:aftercare:problem:owner-consent-required';

/** What an event says about its step, in the words staff read. */
function outcome(event) {
  switch (event.outcome) {
    case 'outcome_met': return 'verified';
    case 'outcome_not_met': return 'expected outcome did not hold';
    default: return event.outcome;
  }
}

/** Why, for the tooltip: a reason, or the readings a check used. */
function why(event) {
  const detail = event.detail || {};
  if (detail.reason) return detail.reason;
  if (detail.expect) return `${detail.expect} on min ${JSON.stringify(detail.min || {})}`;
  return detail.status || '';
}

export function playbookPanel(deviceId, session) {
  const path = `/devices/${encodeURIComponent(deviceId)}/playbook-runs`;
  const status = el('div', { 'aria-live': 'polite', 'data-test': 'playbook-status' });
  const runs = el('div', { 'data-test': 'playbook-runs' });
  const form = el('form', { class: 'row', 'data-test': 'playbook-form' });
  const element = el('div', {}, form, status, runs);
  let timer = null;
  let delay = 1000;
  let closed = false;

  function showRefusal(e) {
    if (e.problem && e.problem.type === CONSENT_REQUIRED) {
      status.replaceChildren(
        el(
          'div',
          { class: 'error', role: 'alert', 'data-test': 'playbook-consent-required' },
          el('strong', {}, "The owner's consent is needed."),
          ` ${e.detail || ''} Ask the owner to grant a support session in their app, then start the playbook again.`,
        ),
      );
    } else {
      showError(status, e);
    }
  }

  function runItem(run) {
    return el(
      'li',
      { 'data-test': `playbook-run-${run.id}`, 'data-state': run.state },
      badge(run.state),
      ` ${run.playbook} #${run.id}, started by ${run.startedBy} ${fmtTime(run.startedAt)}`,
      el(
        'ol',
        {},
        run.steps.map((step) => {
          const events = run.events.filter((e) => e.step === step);
          return el(
            'li',
            { 'data-test': `playbook-run-${run.id}-${step}` },
            `${step}: `,
            events.length
              ? events.map((e, i) => [i > 0 ? ' → ' : null, el('span', { title: why(e) }, outcome(e))])
              : el('span', { class: 'muted' }, 'not reached'),
          );
        }),
      ),
    );
  }

  async function load() {
    if (closed) return;
    clearTimeout(timer);
    try {
      const answer = await api.get(path);
      runs.replaceChildren(
        answer.runs.length
          ? el('ul', {}, answer.runs.map(runItem))
          : el('p', { class: 'muted' }, 'No playbook started on this device yet.'),
      );
      if (answer.runs.some((r) => r.state === 'running')) {
        timer = setTimeout(load, delay);
        delay = Math.min(delay * 2, 10_000);
      }
    } catch (e) {
      showError(runs, e);
    }
  }

  async function buildForm() {
    if (!can(session, 'technician')) {
      form.replaceChildren(el('p', { class: 'muted', 'data-test': 'playbook-withheld' }, 'Starting a playbook needs the technician role.'));
      return;
    }
    let playbooks;
    try {
      playbooks = (await api.get('/playbooks')).playbooks;
    } catch (e) {
      showError(form, e);
      return;
    }
    if (!playbooks.length) {
      form.replaceChildren(el('p', { class: 'muted' }, 'No playbook is loaded.'));
      return;
    }
    const choice = select(
      playbooks.map((p) => [p.id, `${p.id}: ${p.steps.map((s) => s.name).join(' → ')}`]),
      playbooks[0].id,
      { 'data-test': 'playbook-choice' },
    );
    const start = el('button', { type: 'submit', class: 'primary', 'data-test': 'playbook-start' }, 'Start playbook');
    form.replaceChildren(field('Playbook', choice), start);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      start.disabled = true;
      status.replaceChildren(el('p', {}, 'Starting…'));
      try {
        const run = await api.post(path, { playbook: choice.value });
        status.replaceChildren(el('p', { 'data-test': 'playbook-started' }, `Started ${run.playbook} #${run.id}.`));
        delay = 1000;
        await load();
      } catch (e) {
        showRefusal(e);
      } finally {
        start.disabled = false;
      }
    });
  }

  return {
    element,
    load: () => Promise.all([buildForm(), load()]),
    /** A command of the device changed: a run's step may have moved on. */
    commandChanged: () => {
      delay = 1000;
      return load();
    },
    close: () => {
      closed = true;
      clearTimeout(timer);
    },
  };
}
