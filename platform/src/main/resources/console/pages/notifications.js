// Notifications (#/notifications): what the notification rules sent, held back or digested, newest
// first, so staff see in the console what reached Slack and e-mail (docs/notifications.md).
import { api } from '../api.js';
import { live } from '../live.js';
import { badge, el, field, fmtAge, fmtTime, select, showError, table } from '../ui.js';

const STATUSES = ['', 'pending', 'sent', 'deduplicated', 'digested', 'failed'];

export async function render(main, params) {
  const status = select(
    STATUSES.map((s) => [s, s || 'any']),
    params.status,
    { 'data-test': 'notifications-status' },
  );
  const list = el('div', { 'data-test': 'notifications' });
  const errors = el('div');
  main.append(
    el('h1', {}, 'Notifications'),
    el(
      'p',
      { class: 'muted' },
      'What the notification rules sent to Slack and e-mail, and what they held back.',
    ),
    el('form', { class: 'filters', onsubmit: (e) => (e.preventDefault(), load()) }, field('Status', status)),
    errors,
    list,
  );
  status.addEventListener('change', () => {
    location.hash = status.value ? `#/notifications?status=${status.value}` : '#/notifications';
  });

  let pending = null;
  const soon = () => {
    if (!pending) pending = setTimeout(() => ((pending = null), load()), 5000);
  };

  async function load() {
    try {
      const page = await api.get('/notifications', { status: status.value, limit: 100 });
      errors.replaceChildren();
      // A pending notification is sent (or fails) without an alarm or ticket event to say so.
      if (page.notifications.some((n) => n.status === 'pending')) soon();
      list.replaceChildren(
        table(
          [
            { label: 'When', value: (n) => el('span', { title: fmtTime(n.createdAt) }, fmtAge(n.createdAt)) },
            { label: 'Status', value: (n) => badge(n.status) },
            { label: 'Channel', value: (n) => `${n.channel} → ${n.target}` },
            { label: 'Rule', value: (n) => n.rule },
            { label: 'What', value: (n) => n.title },
            { label: 'Note', value: (n) => n.lastError || (n.digestId ? `in digest ${n.digestId}` : '') },
          ],
          page.notifications,
          { empty: 'No notifications: no rule has matched yet, or none are configured.', test: 'notifications-table' },
        ),
      );
    } catch (e) {
      showError(errors, e);
    }
  }

  await load();
  // A notification follows an alarm or ticket event; refresh when one happens, at most every 5 s
  // (a storm of alarms would otherwise mean a storm of requests).
  const close = live(null, { alarm: soon, ticket: soon });
  return () => {
    clearTimeout(pending);
    close();
  };
}
