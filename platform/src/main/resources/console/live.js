// Live updates over Server-Sent Events: GET /api/v1/live[?device=<id>]. Events carry ids and states
// only; pages refetch the details through the API, which applies the user's role.
import { apiUrl } from './api.js';

const EVENTS = ['telemetry', 'alarm', 'ticket', 'command'];

/**
 * Opens the stream (one device's telemetry too when deviceId is given) and calls
 * handlers[eventName](data) for each event; handlers.status(state) hears 'open' and 'reconnecting'.
 * Returns close().
 */
export function live(deviceId, handlers) {
  const source = new EventSource(apiUrl('/live', deviceId ? { device: deviceId } : {}), {
    withCredentials: true,
  });
  const status = handlers.status || (() => {});
  const setState = (state) => {
    document.body.dataset.live = state;
    status(state);
  };
  source.addEventListener('open', () => setState('open'));
  // EventSource reconnects by itself after a dropped connection.
  source.addEventListener('error', () => setState(source.readyState === 2 ? 'closed' : 'reconnecting'));
  for (const name of EVENTS) {
    if (!handlers[name]) continue;
    source.addEventListener(name, (event) => {
      let data;
      try {
        data = JSON.parse(event.data);
      } catch {
        return;
      }
      handlers[name](data);
    });
  }
  return () => {
    source.close();
    delete document.body.dataset.live;
  };
}
