// Timings against their thresholds: a table with a small bar per timing (threshold as a tick).
import type { TimingReport } from './report-model.js';
import { px } from './format.js';
import { formatMs } from '../util/duration.js';
import { html, type SafeHtml } from './html-escape.js';
import { verdictBadge } from './html-page.js';

/** A bar of `ms` against the threshold, scaled so both fit. */
function timingBar(t: TimingReport): SafeHtml {
  if (t.thresholdMs === undefined) return html``;
  const max = Math.max(t.ms, t.thresholdMs, 1) * 1.1;
  const w = (t.ms / max) * 180;
  const tx = (t.thresholdMs / max) * 180;
  return html`<svg class="bar" viewBox="0 0 180 10" role="img" aria-label="${t.ms}ms of ${t.thresholdMs}ms"><rect x="0" y="1" width="${px(w)}" height="8" fill="${t.ms > t.thresholdMs ? '#cf222e' : '#1a7f37'}"/><line x1="${px(tx)}" x2="${px(tx)}" y1="0" y2="10" stroke="#24292f" stroke-width="2"/></svg>`;
}

/** The timings table: measured against threshold, what it measured from and to. */
export function renderTimings(timings: TimingReport[]): SafeHtml {
  if (!timings.length) return html`<p class="muted">No timings were measured.</p>`;
  const rows = timings.map((t) => html`<tr class="${t.verdict}"><td>${verdictBadge(t.verdict)}</td><td>${t.name}</td><td class="num">${formatMs(t.ms)}</td><td class="num">${t.thresholdMs !== undefined ? formatMs(t.thresholdMs) : '—'}</td><td>${timingBar(t)}</td><td class="muted">${t.from} → ${t.to}</td></tr>`);
  return html`<table class="timings"><thead><tr><th>verdict</th><th>timing</th><th class="num">measured</th><th class="num">threshold</th><th></th><th>from → to</th></tr></thead><tbody>${rows}</tbody></table>`;
}
