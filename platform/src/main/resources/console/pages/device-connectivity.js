// The connectivity timeline: GET /devices/{id}/connectivity drawn as online/offline segments
// across the chosen range, with the changes listed for keyboard and screen-reader users.
import { api } from '../api.js';
import { el, fmtDuration, fmtTime, showError, table } from '../ui.js';

/** Loads the changes since `fromIso` into `container`. */
export async function connectivityTimeline(container, devicePath, fromIso) {
  let answer;
  try {
    answer = await api.get(`${devicePath}/connectivity`, { from: fromIso });
  } catch (e) {
    showError(container, e);
    return;
  }
  const start = Date.parse(answer.from);
  const end = Math.min(Date.parse(answer.to), Date.now());
  const segments = [];
  let state = answer.before ? (answer.before.online ? 'online' : 'offline') : 'unknown';
  let since = start;
  for (const change of answer.changes) {
    const at = Date.parse(change.ts);
    if (at > since) segments.push({ state, from: since, to: at });
    state = change.online ? 'online' : 'offline';
    since = Math.max(since, at);
  }
  if (end > since) segments.push({ state, from: since, to: end });

  const bar = el('div', { class: 'timeline', 'data-test': 'connectivity-timeline', 'data-segments': segments.length });
  for (const s of segments) {
    const segment = el('div', {
      class: `seg-${s.state}`,
      title: `${s.state} ${fmtTime(s.from)} – ${fmtTime(s.to)} (${fmtDuration(s.to - s.from)})`,
      'data-state': s.state,
    });
    // A CSSOM property, not a style attribute: allowed by the Content-Security-Policy.
    segment.style.flexGrow = String(Math.max(1, s.to - s.from));
    bar.append(segment);
  }
  const offlineMs = segments.filter((s) => s.state === 'offline').reduce((sum, s) => sum + (s.to - s.from), 0);
  container.replaceChildren(
    bar,
    el('div', { class: 'timeline-axis' }, el('span', {}, fmtTime(start)), el('span', {}, fmtTime(end))),
    el('p', { class: 'muted', 'data-test': 'connectivity-summary' },
      `${answer.changes.filter((c) => !c.online).length} disconnections; offline ${fmtDuration(offlineMs)} of ${fmtDuration(end - start)}.`),
    el('details', {},
      el('summary', {}, 'Changes'),
      table(
        [
          { label: 'Time', value: (c) => fmtTime(c.ts) },
          { label: 'State', value: (c) => (c.online ? 'online' : 'offline') },
          { label: 'Protocol', value: (c) => c.protocol || '—' },
          { label: 'Reason', value: (c) => c.reason || '—' },
        ],
        [...answer.changes].reverse(),
        { empty: 'No change in this range.', test: 'connectivity-changes' },
      )),
  );
}
