// The coverage-over-time chart: desired, available and updated pods of each DaemonSet as step
// lines, with step bands above and numbered markers where rollcall acted.
import type { ScenarioReport } from './report-model.js';
import { px } from './format.js';
import { html, joinHtml, type SafeHtml } from './html-escape.js';
import { statusSeries, timelineEndMs, type StatusPoint } from './timeline-lanes.js';
import { actionMarkers, gapMarkers, stepBand, timeScale, timeTicks, type TimeScale } from './svg-time-axis.js';

const W = 960;
const LEFT = 44;
const TOP = 34;
const PLOT_H = 180;
const SERIES: Array<keyof Omit<StatusPoint, 'atMs' | 'ready'>> = ['desired', 'available', 'updated'];

/** A step polyline's points for one counter, holding each value until the next change. Points that
 *  fall in the same pixel column are reduced to first, lowest, highest and last, so thousands of
 *  status changes stay a few kilobytes without hiding a dip. */
function stepPoints(points: StatusPoint[], key: keyof StatusPoint, scale: TimeScale, y: (v: number) => number): string {
  const raw: Array<[number, number]> = [];
  points.forEach((p, i) => {
    const x = scale.x(p.atMs);
    if (i > 0) raw.push([x, y(points[i - 1]![key])]);
    raw.push([x, y(p[key])]);
  });
  const last = points.at(-1);
  if (last) raw.push([scale.x(scale.endMs), y(last[key])]);
  const out: string[] = [];
  for (let i = 0; i < raw.length;) {
    const col = Math.round(raw[i]![0]);
    let j = i;
    while (j < raw.length && Math.round(raw[j]![0]) === col) j++;
    const group = raw.slice(i, j);
    const ys = group.map((g) => g[1]);
    const picks = [...new Set([0, ys.indexOf(Math.min(...ys)), ys.indexOf(Math.max(...ys)), group.length - 1])].sort((a, b) => a - b);
    for (const [x, yy] of picks.map((k) => group[k]!)) {
      const pt = `${px(x!)},${px(yy!)}`;
      if (out.at(-1) !== pt) out.push(pt);
    }
    i = j;
  }
  return out.join(' ');
}

/** Integer gridlines on the count axis. */
function countTicks(max: number, y: (v: number) => number): SafeHtml {
  const step = Math.max(1, Math.ceil(max / 5));
  const parts: SafeHtml[] = [];
  for (let v = 0; v <= max; v += step) {
    parts.push(html`<line class="grid" x1="${LEFT}" x2="${W - 24}" y1="${px(y(v))}" y2="${px(y(v))}"/><text class="tick" x="${LEFT - 4}" y="${px(y(v) + 3)}" text-anchor="end">${v}</text>`);
  }
  return joinHtml(parts);
}

/** One chart for one DaemonSet's status series. */
function chartFor(s: ScenarioReport, dsName: string, points: StatusPoint[]): SafeHtml {
  const scale = timeScale(timelineEndMs(s), LEFT, W - LEFT - 24);
  const max = Math.max(1, ...points.map((p) => Math.max(p.desired, p.available, p.updated)));
  const y = (v: number) => TOP + PLOT_H - (v / max) * PLOT_H;
  const bottom = TOP + PLOT_H;
  const lines = SERIES.map((k) => html`<polyline class="series series-${k}" points="${stepPoints(points, k, scale, y)}"><title>${k}</title></polyline>`);
  const last = points.at(-1)!;
  return html`<figure class="chart">
<svg class="coverage-chart" viewBox="0 0 ${W} ${bottom + 20}" role="img" aria-label="coverage over time for DaemonSet ${dsName}" data-points="${points.length}">
<title>DaemonSet ${dsName}: desired, available and updated pods over time</title>
${stepBand(s.steps, scale, 2, 16)}
${countTicks(max, y)}${timeTicks(scale, TOP, bottom)}
${lines}
${gapMarkers(s.timeline, scale, TOP, bottom)}${actionMarkers(s.actions, scale, TOP - 4, bottom)}
</svg>
<figcaption>DaemonSet <b>${dsName}</b>: <span class="key key-desired">desired</span> <span class="key key-available">available</span> <span class="key key-updated">updated</span>; at the end ${last.available}/${last.desired} available, ${last.updated}/${last.desired} updated (${points.length} status changes).</figcaption>
</figure>`;
}

/** Coverage charts for every DaemonSet in the scenario, or a note when none was recorded. */
export function renderCoverageCharts(s: ScenarioReport): SafeHtml {
  const series = statusSeries(s);
  if (series.size === 0) return html`<p class="muted">No DaemonSet status was recorded.</p>`;
  return joinHtml([...series].map(([name, points]) => chartFor(s, name, points)));
}
