// Small DOM helpers shared by the pages. No inline styles or scripts: the Content-Security-Policy
// allows neither, so styles go through classes and listeners through addEventListener.

/**
 * el('button', {class: 'primary', 'data-test': 'save', onclick: fn}, 'Save').
 * Keys starting with "on" add listeners; `style` takes an object; true/false/null attributes are
 * present/absent; children may be nodes, strings, numbers, arrays, null.
 */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      node.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === 'style' && typeof value === 'object') {
      Object.assign(node.style, value);
    } else if (key === 'value' && 'value' in node) {
      node.value = value;
    } else if (key === 'checked' || key === 'selected' || key === 'disabled') {
      node[key] = Boolean(value);
      if (value) node.setAttribute(key, '');
    } else {
      node.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child instanceof Node ? child : String(child));
  }
}

/**
 * A table: columns are {label, value: row => node|string, class?}; each row gets data-test="row"
 * (and data-id when the row has an id). An empty list shows `empty`.
 */
export function table(columns, rows, { empty = 'Nothing to show.', caption, test } = {}) {
  const head = el('thead', {}, el('tr', {}, columns.map((c) => el('th', { scope: 'col' }, c.label))));
  const body = el(
    'tbody',
    {},
    rows.length === 0
      ? el('tr', { 'data-test': 'empty' }, el('td', { colspan: columns.length, class: 'muted' }, empty))
      : rows.map((row) =>
          el(
            'tr',
            { 'data-test': 'row', 'data-id': row.id ?? null },
            columns.map((c) => el('td', { class: c.class }, c.value(row))),
          ),
        ),
  );
  return el('table', { class: 'grid', 'data-test': test }, caption ? el('caption', {}, caption) : null, head, body);
}

const pad = (n) => String(n).padStart(2, '0');

/** An instant as local "YYYY-MM-DD HH:MM:SS"; '—' when absent. */
export function fmtTime(value) {
  if (value === undefined || value === null || value === '') return '—';
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  );
}

/** How long ago ("5 min ago") or, for a future instant, how long until ("in 2 h 5 min"). */
export function fmtAge(value, now = Date.now()) {
  if (value === undefined || value === null || value === '') return '—';
  const ms = now - new Date(value).getTime();
  if (Number.isNaN(ms)) return String(value);
  const span = fmtDuration(Math.abs(ms));
  return ms >= 0 ? `${span} ago` : `in ${span}`;
}

/** A duration in milliseconds as "42 s", "3 min", "2 h 5 min", "4 d 3 h". */
export function fmtDuration(ms) {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/**
 * Shows a readable error in `container` (its content is replaced): the problem's title and detail
 * for an ApiError, the message otherwise. role=alert so screen readers announce it.
 */
export function showError(container, err) {
  const title = err && err.title ? err.title : 'Something went wrong';
  const detail = err && err.title ? err.detail : err && err.message ? err.message : String(err);
  container.replaceChildren(
    el(
      'div',
      { class: 'error', role: 'alert', 'data-test': 'error', 'data-status': err && err.status },
      el('strong', {}, title),
      detail ? el('span', {}, ` ${detail}`) : null,
    ),
  );
}

let fieldIds = 0;

/** A labelled form control: field('Type', el('input', {...})) -> <label> + control, linked by id. */
export function field(label, control, hint) {
  if (!control.id) control.id = `f${++fieldIds}`;
  return el(
    'div',
    { class: 'field' },
    el('label', { for: control.id }, label),
    control,
    hint ? el('small', { class: 'muted' }, hint) : null,
  );
}

/** A <select> of [value, text] pairs (or plain values) with `selected` chosen. */
export function select(options, selected, attrs) {
  return el(
    'select',
    attrs,
    options.map((o) => {
      const [value, text] = Array.isArray(o) ? o : [o, o];
      return el('option', { value, selected: String(value) === String(selected ?? '') }, text);
    }),
  );
}

/** A status word as a badge whose class follows the word (for colour): badge('succeeded'). */
export function badge(text, kind) {
  return el('span', { class: `badge badge-${kind || String(text).toLowerCase()}` }, text);
}
