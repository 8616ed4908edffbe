// Kubernetes Events (warnings first) and pod failure reasons, both bounded so a 1,000-node run
// stays readable; report.json keeps everything.
import type { EventReport, ScenarioReport } from './report-model.js';
import { formatMs } from '../util/duration.js';
import { html, type SafeHtml } from './html-escape.js';
import { BENIGN_REASONS } from './timeline-lanes.js';

const EVENTS_SHOWN = 200;

export interface FailureReason {
  reason: string;
  pods: string[];
  nodes: string[];
  firstMs: number;
}

/** Pods that hit a non-benign waiting/terminated reason, grouped by reason, most pods first. */
export function podFailureReasons(s: ScenarioReport): FailureReason[] {
  const by = new Map<string, { pods: Set<string>; nodes: Set<string>; firstMs: number }>();
  for (const e of s.timeline) {
    const reason = e.kind === 'Pod' ? e.summary.reason : undefined;
    if (typeof reason !== 'string' || !reason || BENIGN_REASONS.has(reason)) continue;
    const r = by.get(reason) ?? { pods: new Set<string>(), nodes: new Set<string>(), firstMs: e.atMs };
    r.pods.add(e.name);
    if (typeof e.summary.node === 'string' && e.summary.node) r.nodes.add(e.summary.node);
    r.firstMs = Math.min(r.firstMs, e.atMs);
    by.set(reason, r);
  }
  return [...by].map(([reason, r]) => ({ reason, pods: [...r.pods], nodes: [...r.nodes], firstMs: r.firstMs })).sort((a, b) => b.pods.length - a.pods.length);
}

/** A short list with "and N more". */
function sample(items: string[], n = 5): string {
  return items.length > n ? `${items.slice(0, n).join(', ')} and ${items.length - n} more` : items.join(', ');
}

/** The pod failure reasons table, or a note that no pod failed. */
export function renderFailureReasons(s: ScenarioReport): SafeHtml {
  const reasons = podFailureReasons(s);
  if (!reasons.length) return html`<p class="muted">No pod reported a failure reason.</p>`;
  const rows = reasons.map((r) => html`<tr class="failed"><td><b>${r.reason}</b></td><td class="num">${r.pods.length}</td><td class="num">${r.nodes.length}</td><td class="num">${formatMs(r.firstMs)}</td><td class="mono">${sample(r.pods)}</td></tr>`);
  return html`<table class="failure-reasons"><thead><tr><th>reason</th><th class="num">pods</th><th class="num">nodes</th><th class="num">first seen</th><th>pods</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** Warnings first, then the rest, each group in time order. */
export function orderEvents(events: EventReport[]): EventReport[] {
  const warn = (e: EventReport) => (e.type === 'Normal' ? 1 : 0);
  return [...events].sort((a, b) => warn(a) - warn(b) || a.atMs - b.atMs);
}

/** One events table. */
function eventTable(events: EventReport[]): SafeHtml {
  const rows = events.map((e) => html`<tr class="${e.type === 'Normal' ? '' : 'warning'}"><td class="num">${formatMs(e.atMs)}</td><td>${e.type}</td><td>${e.reason}</td><td class="mono">${e.object}${e.folded ? ` (${e.folded} like it)` : ''}</td><td>${e.message}</td><td class="num">${e.count}</td></tr>`);
  return html`<table class="events"><thead><tr><th class="num">at</th><th>type</th><th>reason</th><th>object</th><th>message</th><th class="num">count</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** Events: warnings open, normal events collapsed, at most EVENTS_SHOWN rendered. */
export function renderEvents(s: ScenarioReport): SafeHtml {
  if (!s.events.length) return html`<p class="muted">No events were recorded.</p>`;
  const ordered = orderEvents(s.events).slice(0, EVENTS_SHOWN);
  const warnings = ordered.filter((e) => e.type !== 'Normal');
  const normal = ordered.filter((e) => e.type === 'Normal');
  const cut = s.events.length > EVENTS_SHOWN ? html`<p class="muted">Showing ${EVENTS_SHOWN} of ${s.events.length} events; report.json has them all.</p>` : '';
  const warnPart = warnings.length ? html`<h4>${warnings.length} warning${warnings.length === 1 ? '' : 's'}</h4>${eventTable(warnings)}` : html`<p class="muted">No warnings.</p>`;
  const normalPart = normal.length ? html`<details class="more"><summary>${normal.length} normal events</summary>${eventTable(normal)}</details>` : '';
  return html`${warnPart}${normalPart}${cut}`;
}
