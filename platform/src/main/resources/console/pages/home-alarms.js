// Active home outages above the alarm queue: one home alarm ("power or internet outage at home")
// stands for the offline alarms of the devices it explains, which open no ticket of their own.
import { api } from '../api.js';
import { el, fmtAge, fmtTime, showError, table } from '../ui.js';

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
        el('h2', {}, 'Home outages'),
        table(
          [
            { label: 'Age', value: (h) => el('span', { title: fmtTime(h.raisedAt) }, fmtAge(h.raisedAt)) },
            { label: 'Outage', value: (h) => h.description },
            { label: 'Offline', value: (h) => `${h.devicesOffline} of ${h.devicesTotal} devices` },
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
