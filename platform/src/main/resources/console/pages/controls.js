// Building blocks the queue pages share: a labelled filter form, cursor paging and the one
// countdown timer a page runs for all its deadlines.
import { el, field, fmtDuration, select } from '../ui.js';

/**
 * A labelled filter form. `fields` are {name, label, type: 'text'|'select'|'datetime'|'number',
 * options: [[value, text]...]}; `onApply(values)` runs on submit with the non-empty values
 * (datetime fields as ISO instants). Returns {form, values()}.
 */
export function filterForm(testPrefix, fields, initial, onApply) {
  const inputs = fields.map((spec) => {
    const test = `${testPrefix}-filter-${spec.name}`;
    const value = initial ? initial[spec.name] : undefined;
    const control =
      spec.type === 'select'
        ? select(spec.options, value, { name: spec.name, 'data-test': test })
        : el('input', {
            name: spec.name,
            type: spec.type === 'datetime' ? 'datetime-local' : spec.type || 'text',
            value,
            placeholder: spec.placeholder,
            'data-test': test,
          });
    return { spec, control };
  });
  const form = el(
    'form',
    { class: 'filters', 'data-test': `${testPrefix}-filters`, 'aria-label': 'Filters' },
    inputs.map(({ spec, control }) => field(spec.label, control)),
    el('button', { type: 'submit', 'data-test': `${testPrefix}-apply` }, 'Apply'),
  );
  const values = () => {
    const out = {};
    for (const { spec, control } of inputs) {
      const raw = control.value.trim();
      if (raw !== '') out[spec.name] = spec.type === 'datetime' ? new Date(raw).toISOString() : raw;
    }
    return out;
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    onApply(values());
  });
  return { form, values };
}

/**
 * Previous/next buttons over an opaque-cursor list. `load(cursor)` fetches a page and returns its
 * nextCursor (or null). Previous pages are replayed from the cursors seen on the way.
 */
export function cursorPager(testPrefix, load) {
  const seen = [];
  let current = null;
  let next = null;
  const previousButton = el('button', { type: 'button', 'data-test': `${testPrefix}-previous` }, 'Previous page');
  const nextButton = el('button', { type: 'button', 'data-test': `${testPrefix}-next` }, 'Next page');
  const nav = el('nav', { class: 'pager', 'aria-label': 'Pages' }, previousButton, nextButton);
  const sync = () => {
    previousButton.disabled = seen.length === 0;
    nextButton.disabled = next == null;
  };
  const show = async (cursor) => {
    current = cursor;
    next = await load(cursor);
    sync();
  };
  previousButton.addEventListener('click', () => show(seen.pop() ?? null));
  nextButton.addEventListener('click', () => {
    seen.push(current);
    show(next);
  });
  sync();
  return {
    nav,
    /** Back to the first page (after a filter change). */
    first: () => {
      seen.length = 0;
      return show(null);
    },
    /** The page on screen again (after a live change). */
    reload: () => show(current),
  };
}

/** "in 2 h 5 min" / "overdue by 12 min" for a deadline, relative to now. */
function countdownText(dueAt) {
  const ms = new Date(dueAt).getTime() - Date.now();
  return ms >= 0 ? `in ${fmtDuration(ms)}` : `overdue by ${fmtDuration(-ms)}`;
}

/** A span that the page's countdown timer keeps current. */
export function countdown(dueAt) {
  const span = el('span', { class: 'countdown', 'data-due': dueAt, 'data-test': 'countdown' });
  paint(span);
  return span;
}

function paint(span) {
  const due = span.getAttribute('data-due');
  span.textContent = countdownText(due);
  span.classList.toggle('overdue', new Date(due).getTime() < Date.now());
}

/** One timer for the whole page: repaints every countdown under `root` each second. */
export function startCountdowns(root) {
  const timer = setInterval(() => root.querySelectorAll('[data-due]').forEach(paint), 1000);
  return () => clearInterval(timer);
}

/**
 * Runs `work` at most once per `ms`, for bursts of live events. The returned function has
 * `cancel()` for the page's cleanup.
 */
export function coalesce(work, ms = 300) {
  let pending = null;
  const run = () => {
    if (pending) return;
    pending = setTimeout(() => {
      pending = null;
      work();
    }, ms);
  };
  run.cancel = () => clearTimeout(pending);
  return run;
}
