// #/audit: the audit log for supervisors, newest first, filtered by actor, action, object and
// time, paged by cursor. Lower roles get an explanation (the API refuses them anyway).
import { api } from '../api.js';
import { badge, el, fmtTime, showError } from '../ui.js';
import { can } from '../app.js';
import { cursorPager, filterForm } from './controls.js';

const PAGE_SIZE = 50;

const FILTERS = [
  { name: 'actor', label: 'Actor', type: 'text', placeholder: 'staff name' },
  { name: 'action', label: 'Action', type: 'text', placeholder: 'e.g. command.submit' },
  { name: 'target', label: 'Object', type: 'text', placeholder: 'e.g. device/cam-1' },
  { name: 'from', label: 'From', type: 'datetime' },
  { name: 'to', label: 'To', type: 'datetime' },
];

export async function render(main, params, session) {
  main.append(el('h1', {}, 'Audit log'));
  if (!can(session, 'supervisor')) {
    main.append(el('p', { 'data-test': 'audit-forbidden' }, 'The audit log is open to supervisors and admins only.'));
    return;
  }
  // Query parameters of the hash (e.g. #/audit?target=device/cam-1) preset the text filters.
  let filters = { ...params };
  const errors = el('div', { class: 'errors', 'data-test': 'audit-error' });
  const body = el('tbody', { 'data-test': 'audit-rows' });
  const headers = ['Time', 'Actor', 'Action', 'Object', 'Outcome', 'From', 'Details'];

  const load = async (cursor) => {
    errors.replaceChildren();
    try {
      const page = await api.get('/audit', { ...filters, limit: PAGE_SIZE, cursor });
      body.replaceChildren(...page.entries.map(row));
      if (page.entries.length === 0) {
        body.append(el('tr', { 'data-test': 'empty' }, el('td', { colspan: headers.length, class: 'muted' }, 'No entries match.')));
      }
      return page.nextCursor ?? null;
    } catch (err) {
      showError(errors, err);
      return null;
    }
  };
  const pager = cursorPager('audit', load);
  const { form } = filterForm('audit', FILTERS, filters, (values) => {
    filters = values;
    pager.first();
  });

  main.append(form, errors,
    el('table', { class: 'grid', 'data-test': 'audit-table' },
      el('thead', {}, el('tr', {}, headers.map((h) => el('th', { scope: 'col' }, h)))), body),
    pager.nav);
  await pager.first();
}

function row(entry) {
  return el('tr', { 'data-test': 'audit-row', 'data-id': entry.id },
    el('td', {}, fmtTime(entry.ts)),
    el('td', { 'data-test': 'audit-actor' }, entry.actor),
    el('td', { 'data-test': 'audit-action' }, entry.action),
    el('td', {}, entry.target),
    el('td', {}, badge(entry.outcome)),
    el('td', {}, entry.remoteAddress || ''),
    el('td', {}, entry.detail ? el('code', {}, JSON.stringify(entry.detail)) : ''));
}
