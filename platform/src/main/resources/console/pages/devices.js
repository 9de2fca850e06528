// The fleet: GET /api/v1/devices with its filters and sorts, cursor paging, saved views. The
// filters live in the hash (#/devices?type=camera&hasOpenAlarm=true), so a view is a bookmark.
import { api } from '../api.js';
import { hashFor } from '../app.js';
import { badge, el, field, fmtAge, select, showError, table } from '../ui.js';

const FILTERS = ['idPrefix', 'type', 'model', 'firmware', 'online', 'healthBelow', 'hasOpenAlarm', 'home', 'customer', 'region', 'sort'];
const SORTS = [['id', 'Id'], ['type', 'Type'], ['model', 'Model'], ['firmware', 'Firmware']];
const YES_NO = [['', 'Any'], ['true', 'Yes'], ['false', 'No']];
const PAGE_SIZES = ['25', '50', '100'];

/** The health score's class: good (80+), fair (50+), poor. */
export function healthClass(score) {
  if (score === undefined || score === null) return 'health';
  return `health ${score >= 80 ? 'health-good' : score >= 50 ? 'health-fair' : 'health-poor'}`;
}

export async function render(main, params) {
  const filters = Object.fromEntries(FILTERS.map((k) => [k, params[k] || '']));
  // Any size from 1 to 100 in the hash (a bookmark may carry one); the menu offers the usual ones.
  const asked = Number.parseInt(params.limit, 10);
  const pageSize = asked >= 1 && asked <= 100 ? String(asked) : '25';
  const sizes = PAGE_SIZES.includes(pageSize) ? PAGE_SIZES : [pageSize, ...PAGE_SIZES];

  const inputs = {
    idPrefix: el('input', { type: 'search', value: filters.idPrefix, 'data-test': 'filter-idPrefix', placeholder: 'starts with…' }),
    type: el('input', { type: 'text', value: filters.type, 'data-test': 'filter-type', placeholder: 'e.g. camera' }),
    model: el('input', { type: 'text', value: filters.model, 'data-test': 'filter-model' }),
    firmware: el('input', { type: 'text', value: filters.firmware, 'data-test': 'filter-firmware' }),
    online: select(YES_NO, filters.online, { 'data-test': 'filter-online' }),
    healthBelow: el('input', { type: 'number', min: 1, max: 101, value: filters.healthBelow, 'data-test': 'filter-healthBelow', class: 'narrow' }),
    hasOpenAlarm: select(YES_NO, filters.hasOpenAlarm, { 'data-test': 'filter-hasOpenAlarm' }),
    home: el('input', { type: 'text', value: filters.home, 'data-test': 'filter-home' }),
    customer: el('input', { type: 'text', value: filters.customer, 'data-test': 'filter-customer' }),
    region: el('input', { type: 'text', value: filters.region, 'data-test': 'filter-region' }),
    sort: select(SORTS, filters.sort || 'id', { 'data-test': 'filter-sort' }),
    limit: select(sizes, pageSize, { 'data-test': 'filter-limit' }),
  };
  const form = el(
    'form',
    { class: 'filters panel', role: 'search', 'aria-label': 'Fleet filters', 'data-test': 'fleet-filters' },
    field('Id starts with', inputs.idPrefix),
    field('Type', inputs.type),
    field('Model', inputs.model),
    field('Firmware', inputs.firmware),
    field('Online', inputs.online),
    field('Health below', inputs.healthBelow),
    field('Open alarm', inputs.hasOpenAlarm),
    field('Home', inputs.home),
    field('Customer', inputs.customer),
    field('Region', inputs.region),
    field('Sort by', inputs.sort),
    field('Per page', inputs.limit),
    el('button', { type: 'submit', class: 'primary', 'data-test': 'fleet-apply' }, 'Apply'),
    el('button', { type: 'button', 'data-test': 'fleet-reset', onclick: () => (location.hash = '#/devices') }, 'Clear'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = Object.fromEntries(Object.entries(inputs).map(([k, input]) => [k, input.value.trim()]));
    if (chosen.sort === 'id') chosen.sort = '';
    if (chosen.limit === '25') chosen.limit = '';
    const next = hashFor('#/devices', chosen);
    // The same filters again: reload in place (hashchange would not fire).
    if (next === location.hash) load(null, 0);
    else location.hash = next;
  });

  const views = el('div', { class: 'panel row', 'data-test': 'saved-views' });
  const status = el('div', { 'aria-live': 'polite' });
  const results = el('div', { 'data-test': 'fleet-results' });
  const pageLabel = el('span', { 'data-test': 'fleet-page' });
  const prev = el('button', { type: 'button', 'data-test': 'fleet-prev', disabled: true }, '← Previous');
  const next = el('button', { type: 'button', 'data-test': 'fleet-next', disabled: true }, 'Next →');
  const pager = el('nav', { class: 'pager', 'aria-label': 'Fleet pages' }, prev, pageLabel, next);

  main.append(el('h1', {}, 'Fleet'), form, views, status, results, pager);

  // The cursors of the pages shown so far: cursors[i] opens page i (page 0 has none).
  const cursors = [null];
  let index = 0;
  let nextCursor = null;

  const query = Object.fromEntries(FILTERS.map((k) => [k, filters[k]]));
  query.limit = pageSize;

  async function load(cursor, at) {
    status.replaceChildren();
    prev.disabled = true;
    next.disabled = true;
    results.setAttribute('aria-busy', 'true');
    try {
      const answer = await api.get('/devices', { ...query, cursor });
      index = at;
      cursors[at] = cursor;
      cursors.length = at + 1;
      nextCursor = answer.nextCursor || null;
      results.replaceChildren(fleetTable(answer.devices));
      pageLabel.textContent = `Page ${index + 1}`;
      prev.disabled = index === 0;
      next.disabled = !nextCursor;
    } catch (e) {
      results.replaceChildren();
      showError(status, e);
    } finally {
      results.removeAttribute('aria-busy');
    }
  }
  next.addEventListener('click', () => nextCursor && load(nextCursor, index + 1));
  prev.addEventListener('click', () => index > 0 && load(cursors[index - 1], index - 1));

  renderViews(views, query);
  await load(null, 0);
}

function fleetTable(devices) {
  return table(
    [
      { label: 'Device', value: (d) => el('a', { href: `#/devices/${encodeURIComponent(d.id)}`, 'data-test': 'device-link' }, d.id) },
      { label: 'Type', value: (d) => d.type },
      { label: 'Model', value: (d) => d.model || '—' },
      { label: 'Firmware', value: (d) => d.firmware || '—' },
      { label: 'Online', value: (d) => badge(d.online ? 'online' : 'offline') },
      { label: 'Health', value: (d) => el('span', { class: healthClass(d.health), 'data-test': 'health' }, d.health ?? '—') },
      { label: 'Open alarms', value: (d) => el('span', { 'data-test': 'open-alarms' }, d.openAlarms ?? '—') },
      { label: 'Home', value: (d) => d.homeId || '—' },
      { label: 'Customer', value: (d) => d.customerRef || '—' },
      { label: 'Region', value: (d) => d.region || '—' },
      { label: 'Last seen', value: (d) => (d.lastSeenAt ? fmtAge(d.lastSeenAt) : 'never') },
      { label: 'State', value: (d) => d.serviceState || 'active' },
    ],
    devices,
    { empty: 'No device matches these filters.', test: 'fleet-table', caption: `${devices.length} devices on this page` },
  );
}

/** Saved views of the fleet list (GET/POST/DELETE /api/v1/views), per staff member. */
async function renderViews(container, query) {
  const errors = el('div', { 'aria-live': 'polite', 'data-test': 'views-error' });
  const choice = el('select', { 'data-test': 'view-select' });
  const name = el('input', { type: 'text', 'data-test': 'view-name', placeholder: 'e.g. cameras with alarms', maxlength: 100 });
  let saved = [];

  async function refresh() {
    try {
      const answer = await api.get('/views', { page: 'devices' });
      saved = answer.views || [];
      choice.replaceChildren(
        el('option', { value: '' }, saved.length ? 'Choose a view…' : 'No saved views'),
        ...saved.map((v) => el('option', { value: v.id }, v.name)),
      );
    } catch (e) {
      showError(errors, e);
    }
  }
  const chosen = () => saved.find((v) => String(v.id) === choice.value);

  container.append(
    field('Saved views', choice),
    el('button', {
      type: 'button',
      'data-test': 'view-open',
      onclick: () => {
        const view = chosen();
        if (view) location.hash = hashFor('#/devices', view.query);
      },
    }, 'Open'),
    el('button', {
      type: 'button',
      'data-test': 'view-delete',
      onclick: async () => {
        const view = chosen();
        if (!view) return;
        errors.replaceChildren();
        try {
          await api.del(`/views/${view.id}`);
          await refresh();
        } catch (e) {
          showError(errors, e);
        }
      },
    }, 'Delete'),
    field('Save these filters as', name),
    el('button', {
      type: 'button',
      'data-test': 'view-save',
      onclick: async () => {
        errors.replaceChildren();
        const filters = Object.fromEntries(
          Object.entries(query).filter(([k, v]) => v !== '' && v !== null && k !== 'limit'),
        );
        try {
          await api.post('/views', { name: name.value.trim(), page: 'devices', query: filters });
          name.value = '';
          errors.replaceChildren(el('div', { class: 'notice', role: 'status' }, 'View saved.'));
          await refresh();
        } catch (e) {
          showError(errors, e);
        }
      },
    }, 'Save view'),
    errors,
  );
  await refresh();
}
