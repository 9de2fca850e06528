// Active home alarms above the alarm queue: one home alarm (a power or internet outage at home, a
// hub failure, the home's network degraded) stands for the alarms of the devices it explains,
// which send no remedy and open no ticket of their own.
import { api } from '../api.js';
import { el, fmtAge, fmtTime, showError, table } from '../ui.js';

/** How each kind of home alarm reads to staff. */
const KINDS = { outage: 'Home outage', hub_failure: 'Hub failure', degraded: 'Network degraded' };

/** A section listing the active home alarms; `reload()` refreshes it. Empty when there are none. */
export function homeOutagesPanel() {
  const section = el('section', { 'data-test': 'home-alarms' });
  const reload = async () => {
    try {
      const { homeAlarms } = await api.get('/home-alarms', { status: 'active' });
      if (homeAlarms.length === 0) {
        section.replaceChildren();
        return;
      }
      section.replaceChildren(
        el('h2', {}, 'Home alarms'),
        table(
          [
            { label: 'Age', value: (h) => el('span', { title: fmtTime(h.raisedAt) }, fmtAge(h.raisedAt)) },
            { label: 'Kind', value: (h) => el('span', { 'data-test': `home-alarm-kind-${h.id}` }, KINDS[h.kind] || h.kind) },
            {
              label: 'Outage',
              value: (h) => [
                h.description,
                h.hubId
                  ? el('div', {}, 'hub ', el('a', { href: `#/devices/${encodeURIComponent(h.hubId)}`, 'data-test': `home-alarm-hub-${h.hubId}` }, h.hubId))
                  : null,
              ],
            },
            {
              label: 'Affected',
              value: (h) => `${h.devicesOffline} of ${h.devicesTotal} devices ${h.kind === 'degraded' ? 'degraded' : 'offline'}`,
            },
            {
              label: 'Explains (no ticket)',
              value: (h) =>
                h.explains.map((a) =>
                  el('div', { 'data-test': `home-alarm-device-${a.deviceId}` },
                    el('a', { href: `#/devices/${encodeURIComponent(a.deviceId)}` }, a.deviceId),
                    ` ${a.ruleId} (${a.status})`)),
            },
          ],
          homeAlarms,
          { test: 'home-alarm-table' },
        ),
      );
    } catch (err) {
      showError(section, err);
    }
  };
  return { section, reload };
}
