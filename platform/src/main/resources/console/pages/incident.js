// #/incidents/<id>: one incident (docs/incidents.md), read-only: level, status and clocks, who
// declared it (staff, or the diagnostics engine for a fleet outage it detected), the affected
// devices, the linked tickets and the timeline. Staff move it on through the API.
import { api } from '../api.js';
import { badge, el, fmtTime, showError } from '../ui.js';

export async function render(main, params) {
  const errors = el('div', { class: 'errors' });
  main.append(errors);
  let incident;
  try {
    incident = await api.get(`/incidents/${encodeURIComponent(params.id)}`);
  } catch (err) {
    showError(errors, err);
    return;
  }
  const detected = incident.origin === 'detected';
  main.append(
    el('h1', {}, `Incident #${incident.id}: ${incident.title}`),
    el('dl', { class: 'facts', 'data-test': 'incident-facts' },
      el('dt', {}, 'Level'), el('dd', { 'data-test': 'incident-level' }, badge(incident.level)),
      el('dt', {}, 'Status'), el('dd', { 'data-test': 'incident-status' }, incident.status),
      el('dt', {}, 'Origin'),
      el('dd', { 'data-test': 'incident-origin' },
        detected
          ? `detected by ${incident.declaredBy}: many homes offline together`
          : `declared by ${incident.declaredBy}`),
      el('dt', {}, 'Declared'), el('dd', {}, fmtTime(incident.declaredAt)),
      el('dt', {}, 'Support line'), el('dd', {}, String(incident.tier)),
      incident.resolvedAt ? [el('dt', {}, 'Resolved'), el('dd', {}, fmtTime(incident.resolvedAt))] : null),
    el('p', { 'data-test': 'incident-description' }, incident.description),
    devices(incident, detected),
    tickets(incident),
    timeline(incident),
  );
}

function devices(incident, detected) {
  return el('section', { 'aria-label': 'Affected devices' },
    el('h2', {}, `Affected devices (${incident.deviceIds.length})`),
    detected
      ? el('p', { class: 'muted' },
          'Their offline alarms are explained by this incident and open no ticket; a device still down after the rest came back gets its own.')
      : null,
    incident.deviceIds.length === 0
      ? el('p', { class: 'muted' }, 'None named.')
      : el('ul', { 'data-test': 'incident-devices' },
          incident.deviceIds.map((id) =>
            el('li', { 'data-test': `incident-device-${id}` },
              el('a', { href: `#/devices/${encodeURIComponent(id)}` }, id)))));
}

function tickets(incident) {
  return el('section', { 'aria-label': 'Linked tickets' },
    el('h2', {}, 'Linked tickets'),
    incident.ticketIds.length === 0
      ? el('p', { class: 'muted' }, 'None.')
      : el('ul', {}, incident.ticketIds.map((id) => el('li', {}, el('a', { href: `#/tickets/${id}` }, `Ticket #${id}`)))));
}

function timeline(incident) {
  return el('section', { 'aria-label': 'Timeline' },
    el('h2', {}, 'Timeline'),
    el('ol', { class: 'ticket-timeline', 'data-test': 'incident-timeline' },
      incident.timeline.map((entry) =>
        el('li', { 'data-test': 'timeline-entry', 'data-kind': entry.kind },
          el('time', { datetime: entry.at }, fmtTime(entry.at)), ' ',
          el('strong', {},
            entry.kind === 'transition' && entry.detail
              ? `${entry.detail.from} → ${entry.detail.to}`
              : entry.kind.replaceAll('_', ' ')),
          ` by ${entry.actor}`,
          entry.note ? ` — ${entry.note}` : ''))));
}
