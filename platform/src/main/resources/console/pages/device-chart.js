// One metric's chart on the device page: uPlot, with the device's alarms drawn as bands and its
// events as lines. The container exposes what it shows (data-points, data-alarms, data-events)
// for tests and assistive tools; the canvas itself is labelled with the metric.
import uPlot from '/vendor/uplot/uPlot.esm.js';
import { el } from '../ui.js';

const ALARM_FILL = 'rgba(179, 38, 30, 0.16)';
const ALARM_EDGE = 'rgba(179, 38, 30, 0.8)';
const EVENT_LINE = '#7a4fbf';

/**
 * @param metric the metric's name
 * @param window {spanMs, toMs(): number} the time range shown (its end, read at each redraw, and
 *     its length), so a live chart keeps sliding
 * @param marks {alarms: [{fromMs, toMs, label}], events: [{atMs, label}]}
 */
export function metricChart(metric, window, marks) {
  const xs = [];
  const ys = [];
  const box = el('figure', { class: 'chart', 'data-test': `chart-${metric}`, 'data-metric': metric });
  const caption = el('figcaption', {}, el('h3', {}, metric));
  const plotArea = el('div', { role: 'img', 'aria-label': `Chart of ${metric}` });
  box.append(caption, plotArea);
  let plot = null;
  const width = () => Math.max(280, plotArea.clientWidth || 560);
  const resizes = new ResizeObserver(() => {
    if (plot && Math.abs(plot.width - width()) > 1) plot.setSize({ width: width(), height: 220 });
  });
  const fromMs = () => window.toMs() - window.spanMs;

  function inWindow(mark) {
    return mark.toMs >= fromMs() && mark.fromMs <= window.toMs();
  }

  function describe() {
    box.dataset.points = String(xs.length);
    box.dataset.alarms = String(marks.alarms.filter(inWindow).length);
    box.dataset.events = String(marks.events.filter((e) => e.atMs >= fromMs()).length);
    plotArea.setAttribute(
      'aria-label',
      `Chart of ${metric}: ${xs.length} points, ${box.dataset.alarms} alarms, ${box.dataset.events} events`,
    );
  }

  function drawMarks(u) {
    const { ctx } = u;
    const { left, top, width, height } = u.bbox;
    const clamp = (x) => Math.min(left + width, Math.max(left, x));
    ctx.save();
    for (const alarm of marks.alarms) {
      if (!inWindow(alarm)) continue;
      const x0 = clamp(u.valToPos(alarm.fromMs / 1000, 'x', true));
      const x1 = clamp(u.valToPos(alarm.toMs / 1000, 'x', true));
      ctx.fillStyle = ALARM_FILL;
      ctx.fillRect(x0, top, Math.max(2, x1 - x0), height);
      ctx.fillStyle = ALARM_EDGE;
      ctx.fillRect(x0, top, 2, height);
    }
    ctx.strokeStyle = EVENT_LINE;
    ctx.lineWidth = 1;
    for (const event of marks.events) {
      const x = u.valToPos(event.atMs / 1000, 'x', true);
      if (x < left || x > left + width) continue;
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
    }
    ctx.restore();
  }

  function options(width) {
    return {
      width,
      height: 220,
      scales: {
        x: { time: true, range: () => [fromMs() / 1000, window.toMs() / 1000] },
      },
      series: [{}, { label: metric, stroke: '#1f5fbf', width: 1.5, points: { show: xs.length < 120 } }],
      legend: { live: true },
      hooks: { draw: [drawMarks] },
    };
  }

  return {
    element: box,
    /** Replaces the points: [[ms, value]...] sorted by time. */
    setPoints(points) {
      xs.length = 0;
      ys.length = 0;
      for (const [ms, value] of points) {
        xs.push(ms / 1000);
        ys.push(value);
      }
      this.redraw();
    },
    /** Adds a live point (ignored if older than the last one) and drops what left the window. */
    append(ms, value) {
      if (xs.length && ms / 1000 < xs[xs.length - 1]) return;
      xs.push(ms / 1000);
      ys.push(value);
      while (xs.length && xs[0] < fromMs() / 1000) {
        xs.shift();
        ys.shift();
      }
      this.redraw();
    },
    /** Draws (the first time, once the box is in the page and has a width) or updates. */
    redraw() {
      describe();
      if (!box.isConnected) return;
      if (!plot) {
        plot = new uPlot(options(width()), [xs, ys], plotArea);
        // The grid reflows as charts are added and the window resizes: follow the box's width.
        resizes.observe(box);
      } else {
        plot.setData([xs, ys]);
      }
    },
    destroy() {
      resizes.disconnect();
      if (plot) plot.destroy();
      plot = null;
    },
  };
}
