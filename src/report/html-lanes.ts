// Chooses how to draw nodes over time: one swimlane per node up to 50 nodes; above that,
// aggregated lanes plus per-node lanes only for the nodes that deviated, collapsed.
import type { ScenarioReport } from './report-model.js';
import { html, type SafeHtml } from './html-escape.js';
import { buildLanes, type NodeLane } from './timeline-lanes.js';
import { laneLegend, renderSwimlanes } from './svg-swimlanes.js';
import { renderAggregateLanes } from './svg-aggregate-lanes.js';

export const PER_NODE_LANE_LIMIT = 50;

/** Nodes worth a closer look: flagged by a failed assertion, not Ready at some point, or with a failing pod. */
export function deviatingLanes(s: ScenarioReport, lanes: NodeLane[]): NodeLane[] {
  const flagged = new Set(s.assertions.filter((a) => a.verdict === 'failed').flatMap((a) => a.nodes.filter((n) => !n.ok).map((n) => n.node)));
  const deviates = (l: NodeLane) => flagged.has(l.node) || l.nodeSegments.some((g) => g.ready !== 'True') || l.podSegments.some((g) => g.state === 'failing');
  return lanes.filter(deviates).sort((a, b) => Number(flagged.has(b.node)) - Number(flagged.has(a.node)));
}

/** The "nodes over time" section body for one scenario. */
export function renderNodeLanes(s: ScenarioReport): SafeHtml {
  const lanes = buildLanes(s);
  if (!lanes.length) return html`<p class="muted">No node was recorded.</p>`;
  if (lanes.length <= PER_NODE_LANE_LIMIT) return html`${renderSwimlanes(s, lanes)}${laneLegend()}`;
  const odd = deviatingLanes(s, lanes);
  const shown = odd.slice(0, PER_NODE_LANE_LIMIT);
  const detail = shown.length
    ? html`<details class="more"><summary>Per-node lanes for ${shown.length}${odd.length > shown.length ? ` of ${odd.length}` : ''} nodes that deviated (NotReady, failing pods, or failed checks)</summary>${renderSwimlanes(s, shown)}</details>`
    : html`<p class="muted">No node deviated (every node stayed Ready and no pod failed).</p>`;
  return html`<p class="muted">${lanes.length} nodes: aggregated lanes (counts per state over time; hover for exact numbers).</p>${renderAggregateLanes(s, lanes)}${laneLegend()}${detail}`;
}
