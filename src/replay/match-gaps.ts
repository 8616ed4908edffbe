// Pairs recorded coverage gaps with replayed ones: by node for gaps a node's own cause started, as a set
// for gaps a DaemonSet change started (the controller picks the nodes of a rollout in no fixed order).
import { formatMs } from '../util/duration.js';
import type { CoverageGap } from './coverage-outcomes.js';

/** A gap with its times on the replay's clock (a recorded gap's are where the replay should have it). */
export interface TimedGap {
  gap: CoverageGap;
  /** The cause group that started it (-1: before any). */
  group: number;
  scope: 'node' | 'daemonset';
  /** Undefined when the group that started it was never replayed. */
  from?: number;
  to?: number;
  open: boolean;
}

/** A recorded gap and the replayed gap it corresponds to; either may be missing. */
export interface GapPair {
  recorded?: TimedGap;
  replayed?: TimedGap;
}

/**
 * Node-scoped gaps pair with a gap on the same node started by the same group, closest start
 * first. DaemonSet-scoped gaps of one group pair with that group's replayed gaps on any node:
 * the same node first, then by the closest duration.
 */
export function matchGaps(recorded: TimedGap[], replayed: TimedGap[]): GapPair[] {
  const free = new Set(replayed);
  const pairs: GapPair[] = [];
  const take = (r: TimedGap, candidates: TimedGap[], score: (p: TimedGap) => number) => {
    const best = candidates.filter((p) => free.has(p)).sort((a, b) => score(a) - score(b))[0];
    if (best) free.delete(best);
    pairs.push({ recorded: r, ...(best ? { replayed: best } : {}) });
  };
  const dur = (g: TimedGap) => (g.to ?? 1e12) - (g.from ?? 0);
  for (const r of recorded.filter((g) => g.scope === 'node')) {
    take(r, replayed.filter((p) => p.gap.node === r.gap.node && p.group === r.group), (p) => Math.abs((p.from ?? 0) - (r.from ?? 0)));
  }
  const dsRecorded = recorded.filter((g) => g.scope === 'daemonset').sort((a, b) => a.group - b.group);
  const sameNodeFirst = dsRecorded.filter((r) => replayed.some((p) => free.has(p) && p.group === r.group && p.scope === 'daemonset' && p.gap.node === r.gap.node));
  for (const r of sameNodeFirst) take(r, replayed.filter((p) => p.group === r.group && p.scope === 'daemonset' && p.gap.node === r.gap.node), (p) => Math.abs(dur(p) - dur(r)));
  for (const r of dsRecorded.filter((x) => !sameNodeFirst.includes(x))) {
    take(r, replayed.filter((p) => p.group === r.group && p.scope === 'daemonset'), (p) => Math.abs(dur(p) - dur(r)));
  }
  for (const p of free) pairs.push({ replayed: p });
  return pairs;
}

/**
 * "uncovered 20.1s from +5.0s, pod replaced" (or "until the end", "node removed"). A recorded gap
 * gives its recorded times, and where the replay should have it when that differs (a speed above 1).
 */
export function describeGap(g: TimedGap, recorded = false): string {
  const how = g.gap.removed ? ', node removed' : g.gap.lostPod && g.gap.regainedPod ? (g.gap.lostPod === g.gap.regainedPod ? ', same pod back' : ', pod replaced') : '';
  const span = (from: number, to: number | undefined) => `${g.open || to === undefined ? 'until the end' : formatMs(to - from)} from +${formatMs(Math.max(0, from))}`;
  if (g.from === undefined) return `uncovered ${span(g.gap.from, g.gap.to)} (its cause was not replayed)`;
  const replay = span(g.from, g.to);
  const original = span(g.gap.from, g.gap.to);
  return `uncovered ${recorded ? original : replay}${recorded && original !== replay ? ` (${replay} at this speed)` : ''}${how}`;
}
