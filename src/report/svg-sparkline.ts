// A tiny inline-SVG trend line for one timing across runs, with its threshold as a dashed line.
import { px } from './format.js';
import { formatMs } from '../util/duration.js';
import { html, type SafeHtml } from './html-escape.js';

export interface TrendPoint {
  runId: string;
  ms: number;
  thresholdMs?: number;
  verdict: 'passed' | 'failed';
}

const W = 200;
const H = 36;
const PAD = 4;

/** Sparkline of `points` (oldest first): a line, one dot per run (red when failed), threshold dashed. */
export function renderSparkline(points: TrendPoint[], label: string): SafeHtml {
  if (!points.length) return html``;
  const threshold = points.at(-1)?.thresholdMs;
  const max = Math.max(1, threshold ?? 0, ...points.map((p) => p.ms)) * 1.05;
  const x = (i: number) => (points.length === 1 ? W / 2 : PAD + (i / (points.length - 1)) * (W - 2 * PAD));
  const y = (ms: number) => H - PAD - (ms / max) * (H - 2 * PAD);
  const line = points.map((p, i) => `${px(x(i))},${px(y(p.ms))}`).join(' ');
  const limit = threshold !== undefined ? html`<line class="threshold" x1="0" x2="${W}" y1="${px(y(threshold))}" y2="${px(y(threshold))}"/>` : '';
  const dots = points.map((p, i) => html`<circle class="dot dot-${p.verdict}" cx="${px(x(i))}" cy="${px(y(p.ms))}" r="2.5"><title>${p.runId}: ${formatMs(p.ms)}${p.thresholdMs !== undefined ? ` (threshold ${formatMs(p.thresholdMs)})` : ''}</title></circle>`);
  return html`<svg class="sparkline" viewBox="0 0 ${W} ${H}" role="img" aria-label="trend of ${label} over ${points.length} runs" data-points="${points.length}">${limit}<polyline points="${line}"/>${dots}</svg>`;
}
