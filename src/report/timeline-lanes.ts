// Derives what the charts draw from a scenario's compacted timeline: per-node state segments,
// per-pod state segments, and DaemonSet status series. Pure; follows TimelineEntry.summary conventions.
import type { ScenarioReport, TimelineEntry } from './report-model.js';

export type PodState = 'ready' | 'ready-old' | 'notready' | 'pending' | 'failing' | 'terminating';

export interface NodeSegment {
  startMs: number;
  endMs: number;
  ready: string;
  taints: string[];
  unschedulable: boolean;
}

export interface PodSegment {
  pod: string;
  startMs: number;
  endMs: number;
  state: PodState;
  revision?: number;
  reason?: string;
  restarts: number;
  /** Row inside the node's pod lane (pods overlap during a surge or a replacement). */
  row: number;
}

export interface NodeLane {
  node: string;
  nodeSegments: NodeSegment[];
  podSegments: PodSegment[];
  podRows: number;
}

export interface StatusPoint {
  atMs: number;
  desired: number;
  available: number;
  updated: number;
  ready: number;
}

/** Waiting reasons that are part of a normal start, not a failure. */
export const BENIGN_REASONS = new Set(['ContainerCreating', 'PodInitializing', 'Completed']);

/** The end of the scenario's time axis: its duration, or the last thing recorded if later. */
export function timelineEndMs(s: ScenarioReport): number {
  let end = s.durationMs;
  for (const e of s.timeline) end = Math.max(end, e.atMs);
  for (const a of s.actions) end = Math.max(end, a.atMs);
  for (const st of s.steps) end = Math.max(end, st.endMs);
  return Math.max(end, 1);
}

/** Maps pod-template hashes to revision numbers, from ControllerRevision entries. */
function revisionsByHash(s: ScenarioReport): Map<string, number> {
  const m = new Map<string, number>();
  for (const e of s.timeline) {
    if (e.kind === 'ControllerRevision' && typeof e.summary.hash === 'string' && typeof e.summary.revision === 'number') m.set(e.summary.hash, e.summary.revision);
  }
  return m;
}

/** A pod entry's revision number, from `revision` or via its hash. */
function podRevision(e: TimelineEntry, byHash: Map<string, number>): number | undefined {
  if (typeof e.summary.revision === 'number') return e.summary.revision;
  return typeof e.summary.hash === 'string' ? byHash.get(e.summary.hash) : undefined;
}

/** The newest revision seen in the scenario (pods or ControllerRevisions). */
export function latestRevision(s: ScenarioReport): number | undefined {
  const byHash = revisionsByHash(s);
  let max: number | undefined;
  for (const r of byHash.values()) max = Math.max(max ?? r, r);
  for (const e of s.timeline) {
    const r = e.kind === 'Pod' ? podRevision(e, byHash) : undefined;
    if (r !== undefined) max = Math.max(max ?? r, r);
  }
  return max;
}

/** Classifies one pod observation into the state drawn in the lanes. */
export function podState(summary: TimelineEntry['summary'], revision: number | undefined, latest: number | undefined): PodState {
  const reason = typeof summary.reason === 'string' ? summary.reason : undefined;
  if (summary.terminating === true) return 'terminating';
  if (summary.phase === 'Failed' || (reason && !BENIGN_REASONS.has(reason))) return 'failing';
  if (summary.ready === true) return latest !== undefined && revision !== undefined && revision < latest ? 'ready-old' : 'ready';
  return summary.phase === 'Pending' ? 'pending' : 'notready';
}

/** Natural sort for node names (worker-2 before worker-10). */
export function compareNames(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** Per-node lanes: node condition segments and pod segments (packed into rows), sorted by node name. */
export function buildLanes(s: ScenarioReport): NodeLane[] {
  const end = timelineEndMs(s);
  const byHash = revisionsByHash(s);
  const latest = latestRevision(s);
  const lanes = new Map<string, NodeLane>();
  const lane = (node: string) => {
    let l = lanes.get(node);
    if (!l) lanes.set(node, (l = { node, nodeSegments: [], podSegments: [], podRows: 0 }));
    return l;
  };
  const openPods = new Map<string, { node: string; seg: PodSegment }>();
  for (const e of [...s.timeline].sort((a, b) => a.atMs - b.atMs)) {
    if (e.kind === 'Node') {
      const l = lane(e.name);
      const last = l.nodeSegments.at(-1);
      if (last && last.endMs > e.atMs) last.endMs = e.atMs;
      if (e.type === 'DELETED') continue;
      const taints = Array.isArray(e.summary.taints) ? e.summary.taints.map(String) : [];
      l.nodeSegments.push({ startMs: e.atMs, endMs: end, ready: String(e.summary.ready ?? 'Unknown'), taints, unschedulable: e.summary.unschedulable === true });
    } else if (e.kind === 'Pod') {
      const open = openPods.get(e.name);
      if (open) open.seg.endMs = e.atMs;
      openPods.delete(e.name);
      const node = typeof e.summary.node === 'string' ? e.summary.node : '';
      if (e.type === 'DELETED' || !node) continue;
      const revision = podRevision(e, byHash);
      const reason = typeof e.summary.reason === 'string' ? e.summary.reason : undefined;
      const restarts = typeof e.summary.restarts === 'number' ? e.summary.restarts : 0;
      const seg: PodSegment = { pod: e.name, startMs: e.atMs, endMs: end, state: podState(e.summary, revision, latest), revision, reason, restarts, row: 0 };
      lane(node).podSegments.push(seg);
      openPods.set(e.name, { node, seg });
    }
  }
  for (const n of s.finalNodes) lane(n.node);
  for (const l of lanes.values()) l.podRows = packRows(l.podSegments);
  return [...lanes.values()].sort((a, b) => compareNames(a.node, b.node));
}

/** Assigns each pod a row so that overlapping pods on one node do not hide each other; returns the row count. */
function packRows(segs: PodSegment[]): number {
  const podEnd = new Map<string, { start: number; end: number }>();
  for (const g of segs) {
    const p = podEnd.get(g.pod);
    podEnd.set(g.pod, { start: Math.min(p?.start ?? g.startMs, g.startMs), end: Math.max(p?.end ?? g.endMs, g.endMs) });
  }
  const rowEnds: number[] = [];
  const rowOf = new Map<string, number>();
  for (const [pod, span] of [...podEnd].sort((a, b) => a[1].start - b[1].start)) {
    let row = rowEnds.findIndex((e) => e <= span.start);
    if (row < 0) row = rowEnds.push(0) - 1;
    rowEnds[row] = span.end;
    rowOf.set(pod, row);
  }
  for (const g of segs) g.row = rowOf.get(g.pod) ?? 0;
  return Math.max(rowEnds.length, 1);
}

/** DaemonSet status counters over time, one series per DaemonSet name. */
export function statusSeries(s: ScenarioReport): Map<string, StatusPoint[]> {
  const series = new Map<string, StatusPoint[]>();
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  for (const e of [...s.timeline].sort((a, b) => a.atMs - b.atMs)) {
    if (e.kind !== 'DaemonSet' || e.type === 'DELETED') continue;
    const list = series.get(e.name) ?? [];
    list.push({ atMs: e.atMs, desired: num(e.summary.desired), available: num(e.summary.available), updated: num(e.summary.updated), ready: num(e.summary.ready) });
    series.set(e.name, list);
  }
  return series;
}
