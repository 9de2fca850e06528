// #/tickets: the ticket queue, most urgent SLA deadline first, with live countdowns (one timer
// for the page); refreshes on `ticket` live events.
import { api } from '../api.js';
import { live } from '../live.js';
import { badge, el, fmtAge, showError } from '../ui.js';
import { coalesce, countdown, cursorPager, filterForm, startCountdowns } from './controls.js';

const PAGE_SIZE = 50;
const STATUSES = ['open', 'acknowledged', 'dispatched', 'in_progress', 'awaiting_parts', 'resolved', 'closed', 'cancelled', 'archived'];

const FILTERS = [
  { name: 'sort', label: 'Order', type: 'select', options: [['sla', 'SLA urgency (open tickets)'], ['', 'newest first']] },
  { name: 'status', label: 'Status', type: 'select', options: [['', 'any'], ...STATUSES.map((s) => [s, s])] },
  { name: 'priority', label: 'Priority', type: 'select', options: [['', 'any'], ['P1', 'P1'], ['P2', 'P2'], ['P3', 'P3'], ['P4', 'P4']] },
  { name: 'assignee', label: 'Assignee', type: 'text' },
  { name: 'category', label: 'Category', type: 'select',
    options: [['', 'any'], ['device_fault', 'device fault'], ['software', 'software'], ['installation_environment', 'installation / environment'], ['connectivity', 'connectivity']] },
];

export async function render(main, params) {
  // Query parameters of the hash (e.g. #/tickets?assignee=tech-1) preset the filters.
  let filters = { sort: 'sla', ...params };
  const errors = el('div', { class: 'errors', 'data-test': 'tickets-error' });
  const body = el('tbody', { 'data-test': 'ticket-rows' });
  const headers = ['Ticket', 'Priority', 'Status', 'Next deadline', 'Device', 'Fault (category or symptom)', 'Assignee', 'Opened'];
  const tableEl = el('table', { class: 'grid', 'data-test': 'ticket-table' },
    el('thead', {}, el('tr', {}, headers.map((h) => el('th', { scope: 'col' }, h)))), body);

  const load = async (cursor) => {
    errors.replaceChildren();
    try {
      const page = await api.get('/tickets', { ...filters, limit: PAGE_SIZE, cursor });
      body.replaceChildren(...page.tickets.map(row));
      if (page.tickets.length === 0) {
        body.append(el('tr', { 'data-test': 'empty' }, el('td', { colspan: headers.length, class: 'muted' }, 'No tickets match.')));
      }
      return page.nextCursor ?? null;
    } catch (err) {
      showError(errors, err);
      return null;
    }
  };
  const pager = cursorPager('tickets', load);

  const { form } = filterForm('tickets', FILTERS, filters, (values) => {
    filters = values;
    pager.first();
  });

  main.replaceChildren(el('h1', {}, 'Tickets'), form, errors, tableEl, pager.nav);
  await pager.first();

  const stopCountdowns = startCountdowns(tableEl);
  const reload = coalesce(() => pager.reload());
  const close = live(null, { ticket: reload });
  return () => {
    stopCountdowns();
    reload.cancel();
    close();
  };
}

function row(ticket) {
  const deadline = ticket.nextDeadline
    ? [`${ticket.nextClock} `, countdown(ticket.nextDeadline)]
    : '—';
  return el('tr', { 'data-test': `ticket-row-${ticket.id}`, 'data-id': ticket.id },
    el('td', {}, el('a', { href: `#/tickets/${ticket.id}`, 'data-test': `ticket-link-${ticket.id}` }, `#${ticket.id}`)),
    el('td', {}, badge(ticket.priority)),
    el('td', { 'data-test': `ticket-status-${ticket.id}` }, badge(ticket.status)),
    el('td', { 'data-test': `ticket-deadline-${ticket.id}` }, deadline),
    el('td', {}, ticket.deviceId ? el('a', { href: `#/devices/${encodeURIComponent(ticket.deviceId)}` }, ticket.deviceId) : '—'),
    el('td', {}, ticket.category || ticket.symptom || ''),
    el('td', {}, ticket.assignee || ''),
    el('td', {}, fmtAge(ticket.openedAt)),
  );
}
