// Open fleet incidents above the alarm queue: the engine declared one incident for many homes that
// went offline together (a region, an ISP, a cloud dependency, one firmware version); their
// offline alarms open no ticket of their own. docs/diagnostics.md, "Root cause across devices:
// fleet incidents".
import { api } from '../api.js';
import { badge, el, fmtAge, fmtTime, showError, table } from '../ui.js';

const OPEN = new Set(['declared', 'responded', 'handling']);

/** A section listing the detected incidents still open; `reload()` refreshes it. Empty when none. */
export function fleetIncidentsPanel() {
  const section = el('section', { 'data-test': 'fleet-incidents' });
  const reload = async () => {
    try {
      const { incidents } = await api.get('/incidents', { origin: 'detected', limit: 50 });
      const open = incidents.filter((i) => OPEN.has(i.status));
      if (open.length === 0) {
        section.replaceChildren();
        return;
      }
      section.replaceChildren(
        el('h2', {}, 'Fleet incidents'),
        table(
          [
            { label: 'Age', value: (i) => el('span', { title: fmtTime(i.declaredAt) }, fmtAge(i.declaredAt)) },
            {
              label: 'Incident',
              value: (i) => el('a', { href: `#/incidents/${i.id}`, 'data-test': `fleet-incident-${i.id}` }, i.title),
            },
            { label: 'Level', value: (i) => badge(i.level) },
            { label: 'Status', value: (i) => i.status },
            { label: 'Explains (no ticket)', value: (i) => `${i.deviceIds.length} devices` },
          ],
          open,
          { test: 'fleet-incident-table' },
        ),
      );
    } catch (err) {
      showError(section, err);
    }
  };
  return { section, reload };
}
