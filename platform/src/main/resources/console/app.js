// The console's shell: hash router, navigation, the signed-in session.
import { api, setCsrfToken, setUnauthorizedHandler } from './api.js';
import { el, showError } from './ui.js';

const RANKS = { viewer: 1, technician: 2, supervisor: 3, admin: 4 };

/** Whether the session's role is at least `role` (viewer < technician < supervisor < admin). */
export function can(session, role) {
  return Boolean(session) && (RANKS[session.role] || 0) >= (RANKS[role] || Infinity);
}

// Hash routes -> page modules (pages/<module>.js); `id` is the path's second segment.
const ROUTES = [
  { pattern: /^\/devices$/, page: 'devices' },
  { pattern: /^\/devices\/([^/]+)$/, page: 'device' },
  { pattern: /^\/alarms$/, page: 'alarms' },
  { pattern: /^\/tickets$/, page: 'tickets' },
  { pattern: /^\/tickets\/([^/]+)$/, page: 'ticket' },
  { pattern: /^\/kpis$/, page: 'kpis' },
  { pattern: /^\/audit$/, page: 'audit' },
  { pattern: /^\/bulk$/, page: 'bulk' },
  { pattern: /^\/notifications$/, page: 'notifications' },
  { pattern: /^\/firmware$/, page: 'firmware' },
  { pattern: /^\/incidents\/([^/]+)$/, page: 'incident' },
];

const NAV = [
  { hash: '#/devices', label: 'Fleet', test: 'nav-devices' },
  { hash: '#/alarms', label: 'Alarms', test: 'nav-alarms' },
  { hash: '#/tickets', label: 'Tickets', test: 'nav-tickets' },
  { hash: '#/kpis', label: 'KPIs', test: 'nav-kpis' },
  { hash: '#/audit', label: 'Audit', test: 'nav-audit', role: 'supervisor' },
  { hash: '#/bulk', label: 'Bulk actions', test: 'nav-bulk', role: 'technician' },
  { hash: '#/notifications', label: 'Notifications', test: 'nav-notifications' },
  { hash: '#/firmware', label: 'Firmware', test: 'nav-firmware' },
];

const main = document.getElementById('main');
let session = null;
let cleanup = null;
let rendering = 0;

/** '#/devices/cam-1?type=camera' -> {page: 'device', params: {id: 'cam-1', type: 'camera'}}. */
export function parseHash(hash) {
  const text = (hash || '').replace(/^#/, '') || '/devices';
  const [path, query = ''] = text.split('?');
  const params = Object.fromEntries(new URLSearchParams(query));
  for (const route of ROUTES) {
    const match = route.pattern.exec(path);
    if (match) {
      if (match[1] !== undefined) params.id = decodeURIComponent(match[1]);
      return { page: route.page, params };
    }
  }
  return { page: null, path, params };
}

/** '#/devices' + {type: 'camera', online: ''} -> '#/devices?type=camera' (empty values left out). */
export function hashFor(path, params) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {})) {
    if (value !== undefined && value !== null && value !== '') query.set(key, value);
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

async function route() {
  const ticket = ++rendering;
  if (cleanup) {
    try {
      cleanup();
    } catch (e) {
      console.error(e);
    }
    cleanup = null;
  }
  if (!session) {
    await renderPage('signin', {}, ticket);
    return;
  }
  const { page, path, params } = parseHash(location.hash);
  highlightNav();
  if (!page) {
    main.replaceChildren(
      el('h1', {}, 'Not found'),
      el('p', {}, `There is no page at ${path}. `, el('a', { href: '#/devices' }, 'Go to the fleet')),
    );
    return;
  }
  await renderPage(page, params, ticket);
}

async function renderPage(page, params, ticket) {
  main.replaceChildren(el('p', { class: 'muted', 'data-test': 'loading' }, 'Loading…'));
  main.dataset.page = page;
  let module;
  try {
    module = await import(`./pages/${page}.js`);
  } catch (e) {
    if (ticket !== rendering) return;
    main.replaceChildren(el('h1', {}, 'Page unavailable'));
    const box = el('div');
    main.append(box);
    showError(box, new Error(`The ${page} page could not be loaded (pages/${page}.js): ${e.message}`));
    return;
  }
  if (ticket !== rendering) return;
  main.replaceChildren();
  try {
    const done = await module.render(main, params, session);
    if (ticket !== rendering) {
      if (typeof done === 'function') done();
      return;
    }
    cleanup = typeof done === 'function' ? done : null;
  } catch (e) {
    if (ticket !== rendering) return;
    const box = el('div');
    main.append(box);
    showError(box, e);
  }
}

function highlightNav() {
  const current = '#/' + (location.hash.replace(/^#\//, '').split(/[/?]/)[0] || 'devices');
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.getAttribute('href') === current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

function renderHeader() {
  const nav = document.getElementById('nav');
  const who = document.getElementById('who');
  if (!session) {
    nav.replaceChildren();
    who.replaceChildren();
    return;
  }
  nav.replaceChildren(
    ...NAV.filter((item) => !item.role || can(session, item.role)).map((item) =>
      el('a', { href: item.hash, 'data-test': item.test }, item.label),
    ),
  );
  who.replaceChildren(
    el('span', { 'data-test': 'who-name' }, session.name),
    ' ',
    el('span', { class: 'badge badge-role', 'data-test': 'who-role' }, session.role),
    ' ',
    el('button', { type: 'button', 'data-test': 'sign-out', onclick: signOut }, 'Sign out'),
  );
  highlightNav();
}

/** The sign-in page calls this with POST /session's answer. */
export function signedIn(answer) {
  session = { name: answer.name, role: answer.role, csrfToken: answer.csrfToken, expiresAt: answer.expiresAt };
  setCsrfToken(session.csrfToken);
  document.body.dataset.role = session.role;
  renderHeader();
  if (!parseHash(location.hash).page) location.hash = '#/devices';
  route();
}

function signedOut() {
  session = null;
  setCsrfToken(null);
  delete document.body.dataset.role;
  renderHeader();
  route();
}

async function signOut() {
  try {
    await api.del('/session');
  } catch (e) {
    // Already ended server-side (expired): signed out either way.
    if (e.status !== 401) console.error(e);
  }
  signedOut();
}

async function start() {
  setUnauthorizedHandler(() => {
    if (session) signedOut();
  });
  try {
    const answer = await api.get('/session');
    session = { name: answer.name, role: answer.role, csrfToken: answer.csrfToken, expiresAt: answer.expiresAt };
    setCsrfToken(session.csrfToken);
    document.body.dataset.role = session.role;
  } catch (e) {
    if (e.status !== 401) console.error(e);
    session = null;
  }
  renderHeader();
  window.addEventListener('hashchange', async () => {
    await route();
    // Keyboard and screen-reader users land on the new page, not on a control that is gone.
    if (!main.contains(document.activeElement)) main.focus({ preventScroll: true });
  });
  await route();
}

start();
