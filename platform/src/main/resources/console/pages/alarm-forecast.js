// The forecast a forecast rule keeps on its alarm (details.forecast, refreshed with every report),
// as one line for the alarm queue and the device page: "battery empty in about 6 h, at 14:20".
import { el } from '../ui.js';

const pad = (n) => String(n).padStart(2, '0');

/** Local "14:20", with the date in front when it is not today: "2026-12-08 02:10". */
function clockTime(value, now = new Date()) {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return d.toDateString() === now.toDateString()
    ? time
    : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}`;
}

/** The alarm's forecast line, or null when its rule does not forecast. */
export function forecastLine(alarm) {
  const forecast = alarm.details && alarm.details.forecast;
  if (!forecast) return null;
  return el(
    'div',
    { class: 'muted', 'data-test': `alarm-forecast-${alarm.id}`, title: `forecast made at ${clockTime(forecast.estimatedAt)}` },
    `${forecast.summary}, at ${clockTime(forecast.reachesAt)}`,
  );
}
