// What a recording shows happened to a DaemonSet: when each node lost and regained an available pod, and how far
// each rollout got. The recorded incident and its replay go through this same function, so they compare like for like.
import { nodeShouldRunDaemonPod } from '../expect/eligibility.js';
import type { DeleteLine, GapLine, PutLine, RecordedPod } from '../recording/recording-model.js';
import { RecordingState } from '../recording/recording-state.js';
import { twinDaemonSetObject, twinNodeObject } from '../twin/twin-snapshot.js';
import type { ClusterTwin } from '../twin/twin-model.js';

/** A stretch of time a node had no available daemon pod. Times are ms since the recording's start. */
export interface CoverageGap {
  node: string;
  from: number;
  /** When an available pod was back; absent when the node was still uncovered at the end. */
  to?: number;
  /** The pod that was available before (absent: the node joined, or was uncovered from the start). */
  lostPod?: string;
  /** The pod available after it. */
  regainedPod?: string;
  /** The gap ended because the node went away. */
  removed?: boolean;
}

/** How far the rollout of the then-current revision got, judged at `at`. */
export interface RolloutOutcome {
  at: number;
  revision?: string;
  /** Nodes with a live pod of the revision. */
  updated: string[];
  /** Nodes where that pod was available. */
  available: string[];
  /** Nodes that should run a pod. */
  eligible: string[];
}

export interface Outcomes {
  gaps: CoverageGap[];
  rollouts: RolloutOutcome[];
}

type Line = PutLine | DeleteLine | GapLine;

/**
 * Sweeps the changes between `from` and `to` and returns the coverage gaps of `dsKey`'s pods per
 * node, and rollout outcomes at each time in `checks`. A pod counts once Ready for minReadySeconds
 * (measured from its readySince) and not terminating.
 */
export function coverageOutcomes(twin: ClusterTwin, changes: Line[], dsKey: string, from: number, to: number, checks: number[] = []): Outcomes {
  const st = RecordingState.fromTwin(twin);
  const startedAt = Date.parse(twin.metadata.capturedAt);
  const open = new Map<string, CoverageGap>();
  const covering = new Map<string, string | undefined>();
  const gaps: CoverageGap[] = [];
  const rollouts: RolloutOutcome[] = [];
  const pending: Array<{ node: string; at: number }> = [];
  const todo = [...checks].sort((a, b) => a - b);
  const minReadyMs = () => (st.daemonSets.get(dsKey)?.spec.minReadySeconds ?? 0) * 1000;
  const availableAt = (p: RecordedPod, seen: number) => {
    if (!p.ready || p.terminating) return Infinity;
    const min = minReadyMs();
    return min === 0 ? seen : Math.max(seen, (p.readySince ? Date.parse(p.readySince) - startedAt : seen) + min);
  };
  const seenAt = new Map<string, number>();
  const podsOn = (node: string) => st.podsOf(dsKey).filter((p) => p.node === node);
  const evaluate = (node: string, t: number) => {
    const gap = open.get(node);
    if (!st.nodes.has(node)) {
      if (gap) gaps.push({ ...gap, to: t, removed: true });
      open.delete(node);
      covering.delete(node);
      return;
    }
    const candidates = podsOn(node).map((p) => ({ p, at: availableAt(p, seenAt.get(p.name) ?? t) }));
    const pod = candidates.filter((c) => c.at <= t).sort((a, b) => (a.p.createdAt ?? '').localeCompare(b.p.createdAt ?? ''))[0]?.p.name;
    if (pod && gap) {
      gaps.push({ ...gap, to: t, regainedPod: pod });
      open.delete(node);
    } else if (!pod && !gap) {
      const lost = covering.get(node);
      open.set(node, { node, from: t, ...(lost ? { lostPod: lost } : {}) });
    }
    if (pod) covering.set(node, pod);
    const next = Math.min(...candidates.map((c) => c.at).filter((at) => at > t && at !== Infinity));
    if (!pod && Number.isFinite(next)) pending.push({ node, at: next });
  };
  const catchUp = (t: number) => {
    for (;;) {
      pending.sort((a, b) => a.at - b.at);
      const nextPending = pending[0]?.at ?? Infinity;
      const nextCheck = todo[0] ?? Infinity;
      if (Math.min(nextPending, nextCheck) > t) return;
      if (nextCheck <= nextPending) rollouts.push(rollout(st, dsKey, todo.shift()!, (p) => availableAt(p, seenAt.get(p.name) ?? 0)));
      else evaluate(pending.shift()!.node, nextPending);
    }
  };
  let i = 0;
  for (; i < changes.length && changes[i]!.t < from; i++) {
    note(changes[i]!, seenAt);
    st.apply(changes[i]!);
  }
  for (const node of st.nodes.keys()) evaluate(node, from);
  for (; i < changes.length && changes[i]!.t <= to; i++) {
    const line = changes[i]!;
    catchUp(line.t);
    const affected = nodesAffected(line, st);
    note(line, seenAt);
    st.apply(line);
    for (const node of affected === 'all' ? [...new Set([...st.nodes.keys(), ...open.keys()])] : affected) evaluate(node, line.t);
  }
  catchUp(to);
  return { gaps: [...gaps, ...open.values()].sort((a, b) => a.from - b.from || a.node.localeCompare(b.node)), rollouts };
}

// When each pod was first seen Ready, so availability without minReadySeconds starts at the change that showed it.
function note(line: Line, seenAt: Map<string, number>): void {
  if (line.op !== 'put' || line.kind !== 'Pod') return;
  if (!line.obj.ready) seenAt.delete(line.obj.name);
  else if (!seenAt.has(line.obj.name)) seenAt.set(line.obj.name, line.t);
}

function nodesAffected(line: Line, st: RecordingState): string[] | 'all' {
  if (line.op === 'gap') return [];
  if (line.kind === 'Node') return [line.op === 'put' ? line.obj.name : line.name];
  if (line.kind === 'DaemonSet') return 'all';
  if (line.kind !== 'Pod') return [];
  const pod = line.op === 'put' ? line.obj : st.pods.get(line.name);
  const before = line.op === 'put' ? st.pods.get(`${line.obj.namespace}/${line.obj.name}`) : undefined;
  return [...new Set([pod?.node, before?.node].filter((n): n is string => !!n))];
}

function rollout(st: RecordingState, dsKey: string, at: number, availableAt: (p: RecordedPod) => number): RolloutOutcome {
  const ds = st.daemonSets.get(dsKey);
  const pods = st.podsOf(dsKey).filter((p) => !p.terminating);
  const newest = [...pods].sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''))[0];
  const revision = st.revisionsOf(dsKey).at(-1)?.hash ?? newest?.revisionHash;
  const mine = pods.filter((p) => p.revisionHash === revision);
  const eligible = ds ? [...st.nodes.values()].filter((n) => nodeShouldRunDaemonPod(twinNodeObject(n), twinDaemonSetObject({ ...ds, pods: [] })).shouldRun).map((n) => n.name) : [];
  return {
    at,
    ...(revision ? { revision } : {}),
    updated: [...new Set(mine.map((p) => p.node))].sort(),
    available: [...new Set(mine.filter((p) => availableAt(p) <= at).map((p) => p.node))].sort(),
    eligible: eligible.sort(),
  };
}
