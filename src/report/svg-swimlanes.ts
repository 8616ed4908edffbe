// Per-node swimlanes: the node's condition (Ready/NotReady, taints, cordon) over a lane of its
// daemon pods (revision and readiness), with markers where rollcall acted on that node.
import type { ScenarioReport } from './report-model.js';
import { px } from './format.js';
import { formatMs } from '../util/duration.js';
import { html, joinHtml, type SafeHtml } from './html-escape.js';
import { timelineEndMs, type NodeLane, type PodSegment } from './timeline-lanes.js';
import { actionMarkers, stepBand, timeScale, timeTicks, type TimeScale } from './svg-time-axis.js';

const W = 960;
const LABEL_W = 170;
const TOP = 26;
const NODE_H = 8;
const POD_ROW_H = 10;
const MAX_POD_ROWS = 3;
const GAP = 8;

/** Height of one node's row. */
function rowHeight(l: NodeLane): number {
  return NODE_H + 2 + Math.min(l.podRows, MAX_POD_ROWS) * POD_ROW_H + GAP;
}

/** Short text for a label column, full name in the tooltip. */
function clip(name: string, max = 26): string {
  return name.length > max ? `${name.slice(0, max - 1)}…` : name;
}

/** The node-condition lane: one rect per state, plus taint and cordon stripes. */
function nodeLane(l: NodeLane, scale: TimeScale, y: number): SafeHtml {
  return joinHtml(l.nodeSegments.map((g) => {
    const x = scale.x(g.startMs);
    const w = Math.max(scale.x(g.endMs) - x, 0.5);
    const cls = g.ready === 'True' ? 'node-ready' : g.ready === 'False' ? 'node-notready' : 'node-unknown';
    const tip = `node ${l.node}: ${g.ready === 'True' ? 'Ready' : g.ready === 'False' ? 'NotReady' : 'Unknown'}${g.unschedulable ? ', cordoned' : ''}${g.taints.length ? `, taints ${g.taints.join(' ')}` : ''} (${formatMs(g.startMs)} to ${formatMs(g.endMs)})`;
    const taint = g.taints.length ? html`<rect class="tainted" x="${px(x)}" y="${px(y - 2)}" width="${px(w)}" height="2"/>` : '';
    const cordon = g.unschedulable ? html`<rect class="cordon" x="${px(x)}" y="${px(y + NODE_H - 3)}" width="${px(w)}" height="3"/>` : '';
    return html`<g><title>${tip}</title><rect class="${cls}" x="${px(x)}" y="${px(y)}" width="${px(w)}" height="${NODE_H}"/>${taint}${cordon}</g>`;
  }));
}

/** One pod segment: colour by state, revision number inside when it fits. */
function podRect(l: NodeLane, g: PodSegment, scale: TimeScale, y: number): SafeHtml {
  const x = scale.x(g.startMs);
  const w = Math.max(scale.x(g.endMs) - x, 0.5);
  const ry = y + Math.min(g.row, MAX_POD_ROWS - 1) * POD_ROW_H;
  const rev = g.revision !== undefined ? `revision ${g.revision}` : 'revision ?';
  const tip = `pod ${g.pod} on ${l.node}: ${g.state}, ${rev}${g.reason ? `, ${g.reason}` : ''}${g.restarts ? `, ${g.restarts} restarts` : ''} (${formatMs(g.startMs)} to ${formatMs(g.endMs)})`;
  const label = g.revision !== undefined && w > 16 ? html`<text x="${px(x + 2)}" y="${px(ry + POD_ROW_H - 2.5)}">r${g.revision}</text>` : '';
  return html`<g class="pod pod-${g.state}"><title>${tip}</title><rect x="${px(x)}" y="${px(ry)}" width="${px(w)}" height="${POD_ROW_H - 1}"/>${label}</g>`;
}

/** Small triangles on a node's row where rollcall acted on that node. */
function nodeActionMarks(s: ScenarioReport, node: string, scale: TimeScale, y: number): SafeHtml {
  return joinHtml(s.actions.map((a, i) => {
    if (a.target !== node) return '';
    const x = scale.x(a.atMs);
    return html`<path class="action-mark" d="M${px(x - 4)},${px(y - 5)} L${px(x + 4)},${px(y - 5)} L${px(x)},${px(y + 1)} Z"><title>${i + 1}. ${formatMs(a.atMs)} ${a.kind}: ${a.description}</title></path>`;
  }));
}

/** An SVG with one row per given lane (callers cap the count), steps on top, action markers across. */
export function renderSwimlanes(s: ScenarioReport, lanes: NodeLane[]): SafeHtml {
  const scale = timeScale(timelineEndMs(s), LABEL_W, W - LABEL_W - 24);
  let y = TOP + 8;
  const rows = lanes.map((l) => {
    const top = y;
    y += rowHeight(l);
    return html`<g class="lane" data-node="${l.node}"><text class="lane-label" x="${LABEL_W - 6}" y="${px(top + NODE_H + 4)}" text-anchor="end"><title>${l.node}</title>${clip(l.node)}</text>${nodeLane(l, scale, top)}${joinHtml(l.podSegments.map((g) => podRect(l, g, scale, top + NODE_H + 2)))}${nodeActionMarks(s, l.node, scale, top)}</g>`;
  });
  const bottom = y;
  return html`<svg class="swimlanes" viewBox="0 0 ${W} ${px(bottom + 18)}" role="img" aria-label="per-node swimlanes" data-lanes="${lanes.length}">
<title>Per-node swimlanes: node condition and daemon pods over time</title>
${stepBand(s.steps, scale, 2, 16)}${timeTicks(scale, TOP, bottom)}
${rows}
${actionMarkers(s.actions, scale, TOP + 4, bottom)}
</svg>`;
}

/** The legend shared by per-node and aggregated lanes (plain HTML, readable when printed). */
export function laneLegend(): SafeHtml {
  return html`<p class="legend"><span class="key node-ready">node Ready</span> <span class="key node-notready">NotReady</span> <span class="key node-unknown">Unknown</span> <span class="key tainted">tainted</span> <span class="key cordon">cordoned</span> · <span class="key pod-ready">pod ready (latest revision)</span> <span class="key pod-ready-old">ready (older revision)</span> <span class="key pod-notready">not ready</span> <span class="key pod-pending">pending</span> <span class="key pod-failing">failing</span> <span class="key pod-terminating">terminating</span> · numbered lines: rollcall's actions</p>`;
}
