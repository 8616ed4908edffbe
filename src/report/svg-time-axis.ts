// The shared time axis of every chart: scale, tick marks, step bands and markers where rollcall acted.
import type { ActionReport, StepReport, TimelineEntry } from './report-model.js';
import { px } from './format.js';
import { formatMs } from '../util/duration.js';
import { html, joinHtml, type SafeHtml } from './html-escape.js';

export interface TimeScale {
  /** Left edge of the plot area and its width, in SVG units. */
  x0: number;
  width: number;
  endMs: number;
  x(ms: number): number;
}

/** A linear scale from [0, endMs] onto [x0, x0 + width]. */
export function timeScale(endMs: number, x0: number, width: number): TimeScale {
  const end = Math.max(endMs, 1);
  return { x0, width, endMs: end, x: (ms) => x0 + (Math.min(Math.max(ms, 0), end) / end) * width };
}

/** Round tick spacing: about `count` ticks at 1/2/5 x 10^n ms. */
export function tickStepMs(endMs: number, count = 8): number {
  const raw = Math.max(endMs, 1) / count;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const mult = [1, 2, 5, 10].find((m) => m * pow >= raw) ?? 10;
  return mult * pow;
}

/** Vertical grid lines with time labels along `y` (labels below), spanning [top, y]. */
export function timeTicks(scale: TimeScale, top: number, y: number): SafeHtml {
  const step = tickStepMs(scale.endMs);
  const parts: SafeHtml[] = [];
  for (let t = 0; t <= scale.endMs + 1e-9; t += step) {
    const x = px(scale.x(t));
    parts.push(html`<line class="grid" x1="${x}" x2="${x}" y1="${px(top)}" y2="${px(y)}"/><text class="tick" x="${x}" y="${px(y + 12)}" text-anchor="middle">${formatMs(t)}</text>`);
  }
  return joinHtml(parts);
}

/** Numbered dashed lines where rollcall acted; each carries a tooltip with what it did. */
export function actionMarkers(actions: ActionReport[], scale: TimeScale, top: number, bottom: number): SafeHtml {
  return joinHtml(actions.map((a, i) => {
    const x = px(scale.x(a.atMs));
    return html`<g class="action"><title>${i + 1}. ${formatMs(a.atMs)} ${a.kind}: ${a.description}</title><line x1="${x}" x2="${x}" y1="${px(top)}" y2="${px(bottom)}"/><text x="${x}" y="${px(top - 2)}" text-anchor="middle">${i + 1}</text></g>`;
  }));
}

/** A band of step spans (alternating shades, name as tooltip and as text when it fits). */
export function stepBand(steps: StepReport[], scale: TimeScale, y: number, h: number): SafeHtml {
  return joinHtml(steps.map((st, i) => {
    const x1 = scale.x(st.startMs);
    const w = Math.max(scale.x(st.endMs) - x1, 1);
    const label = w > st.name.length * 6 ? html`<text x="${px(x1 + 3)}" y="${px(y + h - 4)}">${st.name}</text>` : '';
    return html`<g class="step step-${st.verdict} step-${i % 2 ? 'odd' : 'even'}"><title>step ${st.name}: ${st.verdict}, ${formatMs(st.startMs)} to ${formatMs(st.endMs)}</title><rect x="${px(x1)}" y="${px(y)}" width="${px(w)}" height="${px(h)}"/>${label}</g>`;
  }));
}

/**
 * Red where nothing was observed: a band over the span when its start is known, else a mark where
 * the watch relisted. What the charts show there may have missed changes.
 */
export function gapMarkers(timeline: TimelineEntry[], scale: TimeScale, top: number, bottom: number): SafeHtml {
  return joinHtml(timeline.filter((e) => e.kind === 'Gap').map((e) => {
    const x = px(scale.x(e.atMs));
    const reason = String(e.summary.reason ?? 'watch interrupted');
    if (typeof e.summary.fromMs === 'number') {
      const x0 = scale.x(e.summary.fromMs);
      return html`<g class="gap gap-span"><title>${formatMs(e.summary.fromMs)} to ${formatMs(e.atMs)} not observed (${e.name}): ${reason}</title><rect x="${px(x0)}" y="${px(top)}" width="${px(Math.max(scale.x(e.atMs) - x0, 2))}" height="${px(bottom - top)}"/></g>`;
    }
    return html`<g class="gap"><title>${formatMs(e.atMs)} watch gap on ${e.name}: ${reason}</title><line x1="${x}" x2="${x}" y1="${px(top)}" y2="${px(bottom)}"/></g>`;
  }));
}
