// #/bulk: one command to every device a fleet filter matches. Preview (count and sample), an
// explicit confirmation naming the count, submission with that count (the server answers 409 if
// the filter now matches a different number), then per-device results kept current by `command`
// live events.
import { api } from '../api.js';
import { live } from '../live.js';
import { badge, el, field, fmtTime, select, showError } from '../ui.js';
import { can } from '../app.js';
import { coalesce } from './controls.js';

// The fleet list's filters (GET /devices), which the bulk filter takes as they are.
const FILTER_FIELDS = [
  ['type', 'Type', 'text'],
  ['model', 'Model', 'text'],
  ['firmware', 'Firmware', 'text'],
  ['idPrefix', 'Id starts with', 'text'],
  ['home', 'Home', 'text'],
  ['customer', 'Customer', 'text'],
  ['region', 'Region', 'text'],
  ['online', 'Online', [['', 'any'], ['true', 'online'], ['false', 'offline']]],
  ['hasOpenAlarm', 'Open alarm', [['', 'any'], ['true', 'with an open alarm'], ['false', 'without']]],
  ['healthBelow', 'Health below', 'number'],
];
// While a batch is still dispatching, its own progress has no live event: look again this often.
const DISPATCH_RECHECK_MS = 2000;
const RECENT_BATCHES = 10;

export async function render(main, params, session) {
  main.append(el('h1', {}, 'Bulk actions'));
  if (!can(session, 'technician')) {
    main.append(el('p', { 'data-test': 'bulk-forbidden' }, 'Sending commands needs the technician role or higher.'));
    return;
  }
  const errors = el('div', { class: 'errors', 'data-test': 'bulk-error' });
  const previewArea = el('section', { 'aria-label': 'Preview', 'aria-live': 'polite', 'data-test': 'bulk-preview' });
  const resultsArea = el('section', { 'aria-label': 'Results', 'aria-live': 'polite', 'data-test': 'bulk-results' });
  const catalogNote = el('p', { class: 'muted', 'data-test': 'bulk-catalog-note' });

  let catalog = [];
  const command = select([], null, { 'data-test': 'bulk-command' });
  const paramsArea = el('div', { class: 'params', 'data-test': 'bulk-params' });
  const showParams = () => paramsArea.replaceChildren(...paramControls(catalog.find((c) => c.name === command.value)));
  command.addEventListener('change', showParams);

  const filterControls = FILTER_FIELDS.map(([name, label, kind]) => {
    const control = Array.isArray(kind)
      ? select(kind, params[name], { 'data-test': `bulk-filter-${name}` })
      : el('input', { type: kind, value: params[name], min: kind === 'number' ? 0 : null, 'data-test': `bulk-filter-${name}` });
    return { name, control, node: field(label, control) };
  });

  const filterValues = () => {
    const filter = {};
    for (const { name, control } of filterControls) {
      const value = control.value.trim();
      if (value === '') continue;
      if (name === 'online' || name === 'hasOpenAlarm') filter[name] = value === 'true';
      else if (name === 'healthBelow') filter[name] = Number(value);
      else filter[name] = value;
    }
    return filter;
  };

  // The catalog is per device type: offer the commands of a device the filter matches (the
  // server refuses, device by device, a command another matched type does not support), and of
  // those only the ones the role may send.
  let catalogRequest = 0;
  const loadCommands = async () => {
    const mine = ++catalogRequest;
    const wanted = command.value || params.command;
    try {
      const page = await api.get('/devices', { ...filterValues(), limit: 1 });
      const device = page.devices[0];
      const answer = device ? await api.get(`/devices/${encodeURIComponent(device.id)}/command-catalog`) : null;
      if (mine !== catalogRequest) return;
      catalog = answer ? answer.commands.filter((c) => can(session, c.requiredRole)) : [];
      catalogNote.textContent = answer
        ? `Commands of ${answer.deviceType} devices, as ${answer.deviceId} supports them.`
        : 'No device matches the filter.';
      const names = catalog.map((c) => c.name);
      command.replaceChildren(...catalog.map((c) => el('option', { value: c.name }, `${c.name} (${c.risk} risk)`)));
      if (names.includes(wanted)) command.value = wanted;
      showParams();
    } catch (err) {
      showError(errors, err);
    }
  };

  const request = () => {
    const filter = filterValues();
    const values = {};
    for (const input of paramsArea.querySelectorAll('[data-param]')) {
      if (input.value.trim() === '') continue;
      values[input.dataset.param] = input.dataset.kind === 'integer' || input.dataset.kind === 'number'
        ? Number(input.value)
        : input.dataset.kind === 'boolean' ? input.value === 'true' : input.value;
    }
    return { filter, command: command.value, params: values };
  };

  let stopWatching = () => {};

  const preview = async () => {
    errors.replaceChildren();
    resultsArea.replaceChildren();
    const body = request();
    try {
      const answer = await api.post('/bulk-commands/preview', body);
      showPreview(body, answer);
    } catch (err) {
      previewArea.replaceChildren();
      showError(errors, err);
    }
  };

  const showPreview = (body, answer) => {
    const sample = answer.sample.length
      ? el('p', { 'data-test': 'bulk-sample' }, `For example: ${answer.sample.join(', ')}${answer.count > answer.sample.length ? ', …' : ''}`)
      : null;
    previewArea.replaceChildren(
      el('p', { 'data-test': 'bulk-count' }, `${answer.count} device${answer.count === 1 ? ' matches' : 's match'} the filter.`),
      ...(sample ? [sample] : []));
    if (answer.count === 0) return;
    const devices = `${answer.count} device${answer.count === 1 ? '' : 's'}`;
    const question = `Send ${answer.command} to ${devices}?`;
    const confirm = el('div', { class: 'confirm', role: 'group', 'aria-label': 'Confirm', 'data-test': 'bulk-confirm' },
      el('p', { 'data-test': 'bulk-question' }, question),
      el('button', { type: 'button', class: 'primary', 'data-test': 'bulk-send', onclick: () => send(body, answer.count) },
        `Send to ${devices}`),
      el('button', { type: 'button', 'data-test': 'bulk-cancel', onclick: () => previewArea.replaceChildren() }, 'Cancel'));
    previewArea.append(confirm);
    confirm.querySelector('[data-test="bulk-send"]').focus();
  };

  const send = async (body, expectedCount) => {
    errors.replaceChildren();
    try {
      const batch = await api.post('/bulk-commands', { ...body, expectedCount });
      previewArea.replaceChildren();
      watch(batch.id);
      showRecent();
    } catch (err) {
      if (err.status === 409) {
        const now = err.problem && err.problem.count != null ? ` It now matches ${err.problem.count}, not ${expectedCount}.` : '';
        previewArea.replaceChildren(el('p', { role: 'alert', 'data-test': 'bulk-changed' },
          `The devices matching the filter changed since the preview, so nothing was sent.${now} Preview again.`));
      } else {
        showError(errors, err);
      }
    }
  };

  const watch = (id) => {
    stopWatching();
    let timer = null;
    let batch = null;
    const refresh = async () => {
      try {
        batch = await api.get(`/bulk-commands/${encodeURIComponent(id)}`);
        resultsArea.replaceChildren(results(batch));
        clearTimeout(timer);
        if (batch.status === 'dispatching') timer = setTimeout(refresh, DISPATCH_RECHECK_MS);
      } catch (err) {
        showError(resultsArea, err);
      }
    };
    const onEvent = coalesce(refresh);
    const close = live(null, {
      // Refetch when one of this batch's commands moves (or, while dispatching, any may be ours).
      command: (event) => {
        if (!batch || batch.status === 'dispatching' || batch.results.some((r) => r.commandId === event.commandId)) onEvent();
      },
    });
    stopWatching = () => {
      clearTimeout(timer);
      onEvent.cancel();
      close();
    };
    refresh();
  };

  const form = el('form', { class: 'filters', 'aria-label': 'Command and devices', 'data-test': 'bulk-form' },
    el('fieldset', {}, el('legend', {}, 'Devices'), filterControls.map((f) => f.node)),
    el('fieldset', {}, el('legend', {}, 'Command'), field('Command', command), catalogNote, paramsArea),
    el('button', { type: 'submit', 'data-test': 'bulk-preview-button' }, 'Preview'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    preview();
  });

  // The latest batches, to open one's results again (also as #/bulk?batch=<id>).
  const recentArea = el('section', { 'aria-label': 'Recent batches', 'data-test': 'bulk-recent' });
  const showRecent = async () => {
    try {
      const { bulkCommands } = await api.get('/bulk-commands', { limit: RECENT_BATCHES });
      recentArea.replaceChildren(el('h2', {}, 'Recent batches'), recentTable(bulkCommands, watch));
    } catch (err) {
      showError(recentArea, err);
    }
  };

  for (const { control } of filterControls) control.addEventListener('change', loadCommands);
  await loadCommands();
  main.append(form, errors, previewArea, resultsArea, recentArea);
  if (params.batch) watch(params.batch);
  await showRecent();
  return () => stopWatching();
}

/** Labelled inputs for a command's parameters, from its catalog entry. */
function paramControls(entry) {
  if (!entry) return [];
  return Object.entries(entry.params || {}).map(([name, spec]) => {
    const attrs = { 'data-param': name, 'data-kind': spec.type, 'data-test': `bulk-param-${name}`, required: Boolean(spec.required) };
    let control;
    if (spec.enum) control = select([['', '(default)'], ...spec.enum.map((v) => [v, v])], '', attrs);
    else if (spec.type === 'boolean') control = select([['', '(default)'], ['true', 'yes'], ['false', 'no']], '', attrs);
    else if (spec.type === 'integer' || spec.type === 'number') control = el('input', { type: 'number', min: spec.min, max: spec.max, ...attrs });
    else control = el('input', { type: 'text', maxlength: spec.maxLength, pattern: spec.pattern, ...attrs });
    return field(`${name}${spec.required ? '' : ' (optional)'}`, control);
  });
}

function recentTable(batches, show) {
  if (batches.length === 0) return el('p', { class: 'muted' }, 'No batch sent yet.');
  return el('table', { class: 'grid', 'data-test': 'bulk-recent-table' },
    el('thead', {}, el('tr', {}, ['Batch', 'Command', 'Status', 'Sent', 'By', 'At'].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, batches.map((b) => el('tr', { 'data-test': 'row', 'data-id': b.id },
      el('td', {}, el('button', { type: 'button', 'aria-label': `Show the results of batch ${b.id}`, 'data-test': `bulk-show-${b.id}`, onclick: () => show(b.id) }, b.id)),
      el('td', {}, b.command),
      el('td', {}, badge(b.status)),
      el('td', {}, `${b.submitted} of ${b.total}`),
      el('td', {}, b.createdBy),
      el('td', {}, fmtTime(b.createdAt))))));
}

function results(batch) {
  const rows = batch.results.map((r) => el('tr', { 'data-test': 'bulk-result', 'data-device': r.deviceId },
    el('td', {}, el('a', { href: `#/devices/${encodeURIComponent(r.deviceId)}` }, r.deviceId)),
    el('td', {}, r.commandId || '—'),
    el('td', { 'data-test': 'bulk-result-status' }, badge(r.status)),
    el('td', {}, r.error || '')));
  return el('div', {},
    el('h2', {}, `Batch ${batch.id}: ${batch.command}`),
    el('p', { 'data-test': 'bulk-batch-status' }, `${batch.status}: ${batch.submitted} of ${batch.total} sent, by ${batch.createdBy}`),
    el('table', { class: 'grid', 'data-test': 'bulk-result-table' },
      el('thead', {}, el('tr', {}, ['Device', 'Command', 'Status', 'Error'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, rows)));
}
