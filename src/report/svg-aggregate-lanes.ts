// Aggregated swimlanes for large runs: instead of one row per node, stacked areas counting how
// many nodes are in each condition and how many have a pod in each state, over time.
import type { ScenarioReport } from './report-model.js';
import { px } from './format.js';
import { formatMs } from '../util/duration.js';
import { html, joinHtml, type SafeHtml } from './html-escape.js';
import { timelineEndMs, type NodeLane, type PodState } from './timeline-lanes.js';
import { actionMarkers, stepBand, timeScale, timeTicks, type TimeScale } from './svg-time-axis.js';

const W = 960;
const LEFT = 120;
const BUCKETS = 200;
const NODE_CATS = ['node-ready', 'cordon', 'node-unknown', 'node-notready'] as const;
const POD_CATS = ['pod-ready', 'pod-ready-old', 'pod-notready', 'pod-pending', 'pod-failing', 'pod-terminating', 'pod-none'] as const;
type NodeCat = (typeof NODE_CATS)[number];
type PodCat = (typeof POD_CATS)[number];
const POD_RANK: PodState[] = ['ready', 'ready-old', 'notready', 'pending', 'failing', 'terminating'];

export interface AggregateSample {
  atMs: number;
  nodes: Record<NodeCat, number>;
  pods: Record<PodCat, number>;
}

/** Counts per node condition and per best pod state at evenly spaced times. */
export function sampleLanes(lanes: NodeLane[], endMs: number, buckets = BUCKETS): AggregateSample[] {
  const samples: AggregateSample[] = [];
  for (let i = 0; i < buckets; i++) {
    const t = ((i + 0.5) * endMs) / buckets;
    const nodes = Object.fromEntries(NODE_CATS.map((c) => [c, 0])) as Record<NodeCat, number>;
    const pods = Object.fromEntries(POD_CATS.map((c) => [c, 0])) as Record<PodCat, number>;
    for (const l of lanes) {
      const n = l.nodeSegments.find((g) => g.startMs <= t && t < g.endMs);
      if (!n) continue;
      nodes[n.ready === 'False' ? 'node-notready' : n.ready !== 'True' ? 'node-unknown' : n.unschedulable ? 'cordon' : 'node-ready']++;
      let best: number | undefined;
      for (const g of l.podSegments) if (g.startMs <= t && t < g.endMs) best = Math.min(best ?? 99, POD_RANK.indexOf(g.state));
      pods[best === undefined ? 'pod-none' : (`pod-${POD_RANK[best]}` as PodCat)]++;
    }
    samples.push({ atMs: t, nodes, pods });
  }
  return samples;
}

/** Stacked step areas for one group of categories, within [top, top + h]. */
function stackedAreas<C extends string>(samples: Array<Record<C, number>>, cats: readonly C[], scale: TimeScale, top: number, h: number, max: number): SafeHtml {
  const n = samples.length;
  const xAt = (i: number) => scale.x0 + (i / n) * scale.width;
  const yOf = (v: number) => top + h - (v / max) * h;
  const below = new Array<number>(n).fill(0);
  return joinHtml(cats.map((c) => {
    const upper: string[] = [];
    const lower: string[] = [];
    samples.forEach((s, i) => {
      const lo = below[i]!;
      const hi = lo + s[c];
      upper.push(`${px(xAt(i))},${px(yOf(hi))} ${px(xAt(i + 1))},${px(yOf(hi))}`);
      lower.unshift(`${px(xAt(i + 1))},${px(yOf(lo))} ${px(xAt(i))},${px(yOf(lo))}`);
      below[i] = hi;
    });
    if (samples.every((s) => s[c] === 0)) return '';
    return html`<polygon class="area ${c}" points="${upper.join(' ')} ${lower.join(' ')}"><title>${c.replace('-', ' ')}</title></polygon>`;
  }));
}

/** Invisible columns whose tooltips give the exact counts at that time. */
function hoverColumns(samples: AggregateSample[], scale: TimeScale, top: number, h: number): SafeHtml {
  const w = scale.width / samples.length;
  return joinHtml(samples.map((s, i) => {
    const nodes = NODE_CATS.filter((c) => s.nodes[c]).map((c) => `${s.nodes[c]} ${c.replace('node-', '')}`).join(', ');
    const pods = POD_CATS.filter((c) => s.pods[c]).map((c) => `${s.pods[c]} ${c.replace('pod-', '')}`).join(', ');
    return html`<rect class="hover" x="${px(scale.x0 + i * w)}" y="${top}" width="${px(w)}" height="${h}"><title>${formatMs(s.atMs)} nodes: ${nodes || 'none'}; pods: ${pods || 'none'}</title></rect>`;
  }));
}

/** The aggregated lanes SVG: node conditions (top band) and pod states per node (bottom band). */
export function renderAggregateLanes(s: ScenarioReport, lanes: NodeLane[]): SafeHtml {
  const end = timelineEndMs(s);
  const scale = timeScale(end, LEFT, W - LEFT - 24);
  const samples = sampleLanes(lanes, end);
  const max = Math.max(1, lanes.length);
  const nodeTop = 30;
  const podTop = nodeTop + 70;
  const bottom = podTop + 130;
  return html`<svg class="swimlanes aggregate-lanes" viewBox="0 0 ${W} ${bottom + 18}" role="img" aria-label="aggregated lanes for ${lanes.length} nodes" data-lanes="aggregate" data-nodes="${lanes.length}">
<title>Aggregated lanes for ${lanes.length} nodes: node conditions and daemon pod states over time</title>
${stepBand(s.steps, scale, 2, 16)}${timeTicks(scale, nodeTop, bottom)}
<text class="lane-label" x="${LEFT - 6}" y="${nodeTop + 34}" text-anchor="end">nodes (${lanes.length})</text>
<text class="lane-label" x="${LEFT - 6}" y="${podTop + 68}" text-anchor="end">daemon pods</text>
${stackedAreas(samples.map((x) => x.nodes), NODE_CATS, scale, nodeTop, 60, max)}
${stackedAreas(samples.map((x) => x.pods), POD_CATS, scale, podTop, 120, max)}
${hoverColumns(samples, scale, nodeTop, bottom - nodeTop)}
${actionMarkers(s.actions, scale, nodeTop, bottom)}
</svg>`;
}
