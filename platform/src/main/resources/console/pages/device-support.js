// Owner-consented support sessions (docs/privacy.md, "Support sessions"): the device's active
// sessions (GET /devices/{id}/support-sessions) and, on each command form, whether the command
// needs the owner's consent (the catalog's commandClass / needsConsent, and configKeyClasses for
// set_config's chosen setting) and whether a session covers it now. The server checks again when
// the command is submitted.
import { api } from '../api.js';
import { badge, el, fmtTime, showError } from '../ui.js';

export function supportSessions(deviceId) {
  const list = el('div', { 'data-test': 'support-sessions' });
  const element = el('div', { class: 'support-sessions' }, el('h3', {}, 'Owner support sessions'), list);
  const notes = [];
  let active = [];

  const covering = (commandClass) => active.find((s) => s.commandClasses.includes(commandClass));

  async function load() {
    try {
      const answer = await api.get(`/devices/${encodeURIComponent(deviceId)}/support-sessions`);
      active = answer.sessions;
      list.replaceChildren(
        active.length
          ? el('ul', {}, active.map((s) => el(
              'li',
              { 'data-test': 'support-session', 'data-session-id': s.id },
              `${s.commandClasses.join(', ')} until ${fmtTime(s.expiresAt)} (case #${s.caseId}, devices ${s.devices.join(', ')})`,
            )))
          : el('p', { class: 'muted', 'data-test': 'support-sessions-none' },
              'No active session: only read-only diagnostics may be sent. The owner grants a session in their app.'),
      );
      // Forms rebuilt since are gone from the page: only the ones shown are kept up to date.
      notes.splice(0, notes.length, ...notes.filter((n) => n.note.isConnected));
      notes.forEach((n) => n.update());
    } catch (e) {
      showError(list, e);
    }
  }

  // What a command form shows about consent; keyControl: set_config's setting, whose class counts.
  function consentNote(command, catalog, keyControl) {
    const note = el('small', { 'data-test': `consent-${command.name}` });
    const update = () => {
      const commandClass = command.commandClass || (keyControl ? catalog.configKeyClasses[keyControl.value] : undefined);
      if (!command.needsConsent || commandClass === 'diagnostics') {
        note.replaceChildren();
      } else if (!commandClass) {
        note.replaceChildren(badge('needs consent', 'warning'), ' for some settings');
      } else {
        const session = covering(commandClass);
        note.replaceChildren(
          session ? badge('consented', 'ok') : badge('needs consent', 'warning'),
          session ? ` ${commandClass} until ${fmtTime(session.expiresAt)}` : ` ${commandClass}: no owner session covers it`,
        );
      }
    };
    if (keyControl) keyControl.addEventListener('change', update);
    notes.push({ note, update });
    update();
    return note;
  }

  return { element, load, consentNote };
}
