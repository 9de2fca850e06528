// The command panel: a form per command of the device type's catalog
// (GET /devices/{id}/command-catalog), and the device's recent commands, whose status follows the
// live `command` events (each refetched with GET /commands/{id}, which applies the role). A command
// awaiting a second approver (commands.secondApprover) offers Approve / Reject to a supervisor
// who did not submit it (POST /commands/{id}/approval); the server checks both again. Commands
// that need the owner's consent say so (device-support.js).
import { api } from '../api.js';
import { can } from '../app.js';
import { badge, el, field, fmtAge, fmtTime, select, showError } from '../ui.js';
import { supportSessions } from './device-support.js';

export function commandPanel(deviceId, session) {
  const devicePath = `/devices/${encodeURIComponent(deviceId)}`;
  const forms = el('div', { class: 'commands', 'data-test': 'command-forms' });
  const result = el('div', { 'aria-live': 'polite', 'data-test': 'command-result' });
  const recentBody = el('tbody');
  const recent = el(
    'table',
    { class: 'grid', 'data-test': 'commands-table' },
    el('caption', {}, 'Recent commands'),
    el('thead', {}, el('tr', {}, ['Command', 'Status', 'By', 'Requested', 'Output'].map((h) => el('th', { scope: 'col' }, h)))),
    recentBody,
  );
  const support = supportSessions(deviceId);
  let catalog = { configKeyClasses: {} };
  const element = el('div', {}, support.element, forms, result, recent);
  const rows = new Map();

  function commandRow(c) {
    const output = c.output === undefined ? '' : JSON.stringify(c.output);
    return el(
      'tr',
      { 'data-test': 'command-row', 'data-command-id': c.commandId, 'data-name': c.name, 'data-status': c.status },
      el('td', {}, c.name, Object.keys(c.params || {}).length ? el('small', { class: 'muted' }, ` ${JSON.stringify(c.params)}`) : ''),
      el('td', { 'data-test': 'command-status' }, badge(c.status), approval(c)),
      el('td', {}, c.requestedBy),
      el('td', { title: fmtTime(c.createdAt) }, fmtAge(c.createdAt)),
      el('td', {}, output.length > 120 ? `${output.slice(0, 120)}…` : output),
    );
  }

  // Approve / Reject for an eligible approver; for anyone else, until when it waits.
  function approval(c) {
    if (c.status !== 'awaiting_approval') return '';
    const due = el('small', { class: 'muted' }, ` until ${fmtTime(c.approvalDueAt)}`);
    if (!can(session, 'supervisor') || c.requestedBy === session.name) return due;
    const decide = (decision) => async () => {
      try {
        show(await api.post(`/commands/${encodeURIComponent(c.commandId)}/approval`, { decision }));
      } catch (e) {
        showError(result, e);
      }
    };
    const approve = el('button', { type: 'button', 'data-test': 'command-approve' }, 'Approve');
    const reject = el('button', { type: 'button', 'data-test': 'command-reject' }, 'Reject');
    approve.addEventListener('click', decide('approve'));
    reject.addEventListener('click', decide('reject'));
    return el('span', {}, due, ' ', approve, ' ', reject);
  }

  function show(c) {
    const row = commandRow(c);
    const old = rows.get(c.commandId);
    if (old) old.replaceWith(row);
    else recentBody.prepend(row);
    rows.set(c.commandId, row);
  }

  async function commandChanged(commandId) {
    try {
      show(await api.get(`/commands/${encodeURIComponent(commandId)}`));
    } catch (e) {
      showError(result, e);
    }
  }

  function paramControl(command, name, spec) {
    const attrs = { name, 'data-test': `param-${command}-${name}`, required: spec.required };
    if (spec.enum) return select([['', spec.required ? 'Choose…' : 'Default'], ...spec.enum], '', attrs);
    if (spec.type === 'boolean') return select([['', 'Default'], ['true', 'Yes'], ['false', 'No']], '', attrs);
    if (spec.type === 'integer' || spec.type === 'number') {
      return el('input', { ...attrs, type: 'number', min: spec.min, max: spec.max, step: spec.type === 'integer' ? 1 : 'any' });
    }
    return el('input', { ...attrs, type: 'text', maxlength: spec.maxLength, placeholder: spec.pattern ? `matches ${spec.pattern}` : null });
  }

  function paramValue(spec, raw) {
    if (spec.type === 'integer' || spec.type === 'number') return Number(raw);
    if (spec.type === 'boolean') return raw === 'true';
    return raw;
  }

  function commandForm(command) {
    const controls = Object.entries(command.params).map(([name, spec]) => [name, spec, paramControl(command.name, name, spec)]);
    const send = el('button', { type: 'submit', class: 'primary', 'data-test': `command-send-${command.name}` }, `Send ${command.name}`);
    const form = el(
      'form',
      { class: 'command row', 'data-test': `command-${command.name}`, 'aria-label': `Command ${command.name}` },
      el('strong', {}, command.name),
      badge(command.risk),
      support.consentNote(command, catalog, controls.find(([name]) => command.name === 'set_config' && name === 'key')?.[2]),
      ...controls.map(([name, spec, control]) => field(name + (spec.required ? ' (required)' : ''), control)),
      send,
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const params = {};
      for (const [name, spec, control] of controls) {
        if (control.value !== '') params[name] = paramValue(spec, control.value);
      }
      // A high-risk command (a firmware rollback) is confirmed first: it is one click from harm.
      if (command.risk === 'high' && !window.confirm(`${command.name} is a high-risk command. Send it to ${deviceId}?`)) return;
      send.disabled = true;
      result.replaceChildren();
      try {
        const accepted = await api.post(`${devicePath}/commands`, { name: command.name, params });
        const waits = accepted.status === 'awaiting_approval' ? ', awaiting a second approver' : '';
        result.replaceChildren(el('p', { class: 'notice', role: 'status' }, `${command.name} accepted as ${accepted.commandId}${waits}.`));
        await commandChanged(accepted.commandId);
      } catch (e) {
        showError(result, e);
      } finally {
        send.disabled = false;
      }
    });
    return form;
  }

  async function load() {
    try {
      const [loaded, history] = await Promise.all([
        api.get(`${devicePath}/command-catalog`),
        api.get(`${devicePath}/commands`, { limit: 10 }),
        support.load(),
      ]);
      catalog = loaded;
      const allowed = catalog.commands.filter((c) => can(session, c.requiredRole));
      const withheld = catalog.commands.filter((c) => !can(session, c.requiredRole));
      forms.replaceChildren(
        ...allowed.map(commandForm),
        withheld.length
          ? el('p', { class: 'muted', 'data-test': 'commands-withheld' },
              `Your role (${session.role}) may not send: `,
              withheld.map((c) => `${c.name} (needs ${c.requiredRole})`).join(', '), '.')
          : '',
      );
      for (const c of [...history.commands].reverse()) show(c);
    } catch (e) {
      showError(result, e);
    }
  }

  return { element, load, commandChanged };
}
