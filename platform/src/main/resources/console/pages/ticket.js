// #/tickets/<id>: one ticket: summary, SLA clocks with countdowns, timeline, the transitions the
// signed-in role may make from the current state, and links to the device, alarms and incident.
import { api } from '../api.js';
import { live } from '../live.js';
import { badge, el, field, fmtTime, select, showError } from '../ui.js';
import { can } from '../app.js';
import { coalesce, countdown, startCountdowns } from './controls.js';

// docs/tickets.md, "Life cycle": the moves allowed from each state. `archived` is the archive
// job's alone, so it is never offered.
const NEXT_STATES = {
  open: ['acknowledged', 'cancelled'],
  acknowledged: ['dispatched', 'cancelled'],
  dispatched: ['in_progress', 'cancelled'],
  in_progress: ['awaiting_parts', 'resolved', 'cancelled'],
  awaiting_parts: ['in_progress', 'resolved', 'cancelled'],
  resolved: ['closed', 'in_progress'],
};

// docs/tickets.md, "Roles": technicians move tickets through the work states, supervisors end them.
const ROLE_FOR_TARGET = {
  acknowledged: 'technician',
  dispatched: 'technician',
  in_progress: 'technician',
  awaiting_parts: 'technician',
  resolved: 'technician',
  closed: 'supervisor',
  cancelled: 'supervisor',
};

/** The transitions `session` may make from `status`, as the server will judge them. */
function allowedTransitions(status, session) {
  return (NEXT_STATES[status] || []).filter((to) => can(session, ROLE_FOR_TARGET[to]));
}

export async function render(main, params, session) {
  const id = params.id;
  const content = el('div', { 'data-test': 'ticket-page' });
  main.replaceChildren(content);

  // A live refresh keeps the move form (and what is being typed into it) while the status holds.
  let form = null;
  const show = async () => {
    try {
      const ticket = await api.get(`/tickets/${encodeURIComponent(id)}`);
      if (!form || form.status !== ticket.status) form = { status: ticket.status, node: transitions(ticket, session, show) };
      content.replaceChildren(summary(ticket), clocks(ticket), form.node, links(ticket), timeline(ticket));
    } catch (err) {
      const problem = el('div', {});
      content.replaceChildren(el('h1', {}, `Ticket #${id}`), problem);
      showError(problem, err);
    }
  };
  await show();

  const stopCountdowns = startCountdowns(content);
  const refresh = coalesce(show);
  const close = live(null, { ticket: (event) => String(event.ticketId) === String(id) && refresh() });
  return () => {
    stopCountdowns();
    refresh.cancel();
    close();
  };
}

function summary(ticket) {
  const facts = [
    ['Status', ticket.status, 'ticket-status'],
    ['Priority', ticket.priority],
    ['Support line', `tier ${ticket.tier}`],
    ['Source', ticket.source],
    ['Category', ticket.category],
    ['Rule', ticket.ruleId],
    ['Severity', ticket.severity],
    ['Symptom', ticket.symptom],
    ['Customer', ticket.customerRef ? `${ticket.customerRef} (${ticket.customerTier || 'standard'})` : null],
    ['Owner', ticket.owner],
    ['Assignee', ticket.assignee],
    ['Channel', ticket.channel],
    ['Opened', fmtTime(ticket.openedAt)],
    ['Updated', fmtTime(ticket.updatedAt)],
    ['Reopened', ticket.reopenCount ? `${ticket.reopenCount} times` : null],
  ].filter(([, value]) => value != null && value !== '');
  return el('section', { 'aria-label': 'Summary' },
    el('h1', {}, `Ticket #${ticket.id}`),
    el('dl', { class: 'facts' }, ...facts.flatMap(([name, value, test]) =>
      [el('dt', {}, name), el('dd', test ? { 'data-test': test } : {}, String(value))])));
}

function clocks(ticket) {
  const rows = ['response', 'arrangement', 'repair'].map((name) => {
    const clock = ticket.sla[name];
    let due = '—';
    if (clock.state === 'running' && clock.dueAt) due = countdown(clock.dueAt);
    else if (clock.state === 'paused') due = `paused (${clock.pausedFor || 'paused'})`;
    else if (clock.state === 'stopped') due = `stopped ${fmtTime(clock.stoppedAt)}`;
    return el('tr', { 'data-test': `sla-${name}` },
      el('th', { scope: 'row' }, name),
      el('td', {}, clock.state),
      el('td', {}, badge(clock.standing.replace('_', ' '), clock.standing)),
      el('td', {}, due),
      el('td', {}, `${hours(clock.elapsed)} of ${hours(clock.target)}`));
  });
  return el('section', { 'aria-label': 'SLA clocks' },
    el('h2', {}, 'SLA clocks'),
    el('table', { class: 'grid', 'data-test': 'sla-clocks' },
      el('thead', {}, el('tr', {}, ['Clock', 'State', 'Standing', 'Due', 'Working time'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, rows)));
}

function hours(seconds) {
  return `${(seconds / 3600).toFixed(1)} h`;
}

function transitions(ticket, session, reload) {
  const targets = allowedTransitions(ticket.status, session);
  const section = el('section', { 'aria-label': 'Transitions', 'data-test': 'ticket-transitions' }, el('h2', {}, 'Move the ticket'));
  if (targets.length === 0) {
    section.append(el('p', { class: 'muted' }, 'No move is open to your role from this state.'));
    return section;
  }
  const problem = el('div', { class: 'errors', 'data-test': 'transition-error' });
  const to = select(targets, targets[0], { 'data-test': 'transition-to' });
  const note = el('input', { type: 'text', 'data-test': 'transition-note' });
  const technicians = el('datalist', { id: 'transition-technicians' });
  const assignee = el('input', { type: 'text', list: 'transition-technicians', 'data-test': 'transition-assignee' });
  if (targets.includes('dispatched')) {
    // Suggestions only: the technicians skilled for the device type. Without them the name is
    // typed, and the server names what is wrong with it.
    api.get('/technicians', { deviceType: ticket.deviceType })
      .then((answer) => technicians.replaceChildren(
        ...answer.technicians.filter((t) => t.active).map((t) => el('option', { value: t.name }))))
      .catch(() => technicians.replaceChildren());
  }
  const channel = select([['remote', 'remote'], ['on_site', 'on site']], 'remote', { 'data-test': 'transition-channel' });
  const satisfaction = el('input', { type: 'number', min: 1, max: 5, 'data-test': 'transition-satisfaction' });
  const noteField = field('Note', note);
  // dispatched names the technician and channel; closed may carry the customer's score.
  const dispatchFields = el('div', { class: 'row' }, field('Technician', assignee), technicians, field('Channel', channel));
  const closeFields = el('div', { class: 'row' }, field('Satisfaction (1-5, optional)', satisfaction));
  const sync = () => {
    dispatchFields.hidden = to.value !== 'dispatched';
    closeFields.hidden = to.value !== 'closed';
    noteField.querySelector('label').textContent = to.value === 'cancelled' ? 'Reason (required)' : 'Note';
  };
  to.addEventListener('change', sync);
  sync();
  const form = el('form', { class: 'filters', 'data-test': 'transition-form', 'aria-label': 'Move the ticket' },
    field('To', to), noteField, dispatchFields, closeFields,
    el('button', { type: 'submit', 'data-test': 'transition-submit' }, 'Move'), problem);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    problem.replaceChildren();
    const body = { to: to.value };
    if (note.value.trim()) body.note = note.value.trim();
    if (to.value === 'dispatched') {
      body.assignee = assignee.value.trim();
      body.channel = channel.value;
    }
    if (to.value === 'closed' && satisfaction.value) body.satisfaction = Number(satisfaction.value);
    try {
      await api.post(`/tickets/${ticket.id}/transitions`, body);
      await reload();
    } catch (err) {
      showError(problem, err);
    }
  });
  section.append(form);
  return section;
}

function links(ticket) {
  const list = el('ul', { 'data-test': 'ticket-links' });
  if (ticket.deviceId) {
    const device = encodeURIComponent(ticket.deviceId);
    list.append(
      el('li', {}, 'Device ', el('a', { href: `#/devices/${device}`, 'data-test': 'ticket-device-link' }, ticket.deviceId)),
      el('li', {}, el('a', { href: `#/alarms?deviceId=${device}&status=`, 'data-test': 'ticket-alarms-link' }, `All alarms of ${ticket.deviceId}`)),
    );
  }
  for (const alarm of ticket.alarms) {
    list.append(el('li', { 'data-test': 'ticket-alarm' },
      `Alarm ${alarm.alarmId ?? ''} (${alarm.ruleId}), joined ${fmtTime(alarm.joinedAt)}`,
      alarm.clearedAt ? `, cleared ${fmtTime(alarm.clearedAt)}` : ', active'));
  }
  // The ticket learns of its incident through an `incident_linked` timeline line.
  for (const entry of ticket.timeline.filter((e) => e.kind === 'incident_linked' && e.detail)) {
    const facts = el('span', {});
    list.append(el('li', { 'data-test': 'ticket-incident' },
      el('a', { href: `#/incidents/${entry.detail.incidentId}` }, `Incident #${entry.detail.incidentId}`), facts));
    api.get(`/incidents/${entry.detail.incidentId}`)
      .then((incident) => facts.append(`: ${incident.title} (${incident.level}, ${incident.status})`))
      .catch((err) => showError(facts, err));
  }
  return el('section', { 'aria-label': 'Links' }, el('h2', {}, 'Device, alarms and incident'), list);
}

function timeline(ticket) {
  const items = ticket.timeline.map((entry) =>
    el('li', { 'data-test': 'timeline-entry', 'data-kind': entry.kind },
      el('time', { datetime: entry.at }, fmtTime(entry.at)), ' ',
      el('strong', {}, entry.kind === 'transition' ? `${entry.from} → ${entry.to}` : entry.kind.replaceAll('_', ' ')),
      ` by ${entry.actor}`,
      entry.note ? ` — ${entry.note}` : ''));
  return el('section', { 'aria-label': 'Timeline' }, el('h2', {}, 'Timeline'),
    el('ol', { class: 'ticket-timeline', 'data-test': 'ticket-timeline' }, items));
}
