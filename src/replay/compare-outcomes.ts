// Compares the recorded outcomes with the replay's, node by node, within a tolerance. Pure: it only reads plain data.
import { formatMs } from '../util/duration.js';
import type { CoverageGap, RolloutOutcome } from './coverage-outcomes.js';
import { describeGap, matchGaps, type TimedGap } from './match-gaps.js';

/** Times relative to each side's origin; `groups` are the cause groups as each side played them. */
export interface SideOutcomes {
  gaps: CoverageGap[];
  /** Indexed by cause group: the rollout a group started, judged before the next one (undefined for other groups, or not reached). */
  rollouts: Array<RolloutOutcome | undefined>;
  /** When each cause group started (ms since origin); undefined for groups the side never reached. */
  groups: Array<{ at?: number; nodes: string[]; rollout: boolean }>;
  /** When the window ends (ms since origin): a gap still open then is open in the recording, not necessarily for good. */
  end?: number;
}

/** How far a replayed time may stray: `ms`, plus `ratio` of the recorded duration it belongs to. */
export interface Tolerance {
  ms: number;
  ratio: number;
}

/** One verdict for the report: a node's coverage, or a rollout. */
export interface OutcomeVerdict {
  name: string;
  ok: boolean;
  /** What the recording shows. */
  expected: string;
  /** What the replay did. */
  observed: string;
  /** Divergences, one line each, e.g. "recorded: worker-7 uncovered 4m10s; replay: 38s". */
  divergences: string[];
  node?: string;
}

/**
 * One verdict per node that was uncovered on either side, then one per rollout. Gaps started by a
 * node's own cause (a taint, a NotReady, a deleted pod) are compared on that node; gaps started by
 * a DaemonSet change are compared as a set over all nodes, because which node the controller
 * updates first is not deterministic (it walks a Go map). A gap shorter than `tolerance.ms` with
 * nothing to match on the other side is noise, not a divergence.
 */
export function compareOutcomes(recorded: SideOutcomes, replayed: SideOutcomes, tolerance: Tolerance): OutcomeVerdict[] {
  const expectedAt = (t: number, g: number) => (g < 0 ? t : replayed.groups[g]?.at === undefined ? undefined : replayed.groups[g]!.at! + (t - recorded.groups[g]!.at!));
  // Where the recording's end falls on the replay's clock: a gap the recording leaves open may close after
  // it, and what starts after it is outside the window compared.
  const lastGroup = recorded.groups.map((g, i) => (g.at !== undefined && g.at <= (recorded.end ?? Infinity) ? i : -1)).reduce((a, b) => Math.max(a, b), -1);
  const endOnReplay = recorded.end === undefined ? undefined : expectedAt(recorded.end, lastGroup);
  const rec = recorded.gaps.map((gap) => timed(gap, recorded, expectedAt));
  const rep = replayed.gaps.map((gap) => timed(gap, replayed, (t) => t)).filter((g) => endOnReplay === undefined || g.from! <= endOnReplay);
  const pairs = matchGaps(rec, rep);
  const verdicts = new Map<string, OutcomeVerdict>();
  const verdictOf = (node: string) => {
    if (!verdicts.has(node)) {
      verdicts.set(node, {
        name: `${node}: coverage as recorded`, node, ok: true,
        expected: rec.filter((g) => g.gap.node === node).map((g) => describeGap(g, true)).join('; ') || 'covered throughout',
        observed: rep.filter((g) => g.gap.node === node).map((g) => describeGap(g)).join('; ') || 'covered throughout',
        divergences: [],
      });
    }
    return verdicts.get(node)!;
  };
  for (const { recorded: r, replayed: p } of pairs) {
    if (r && r.from === undefined) continue; // its cause was never replayed: nothing to compare with
    const node = p?.gap.node ?? r!.gap.node;
    const v = verdictOf(node);
    if (r) verdictOf(r.gap.node);
    const problem = divergence(r, p, tolerance, endOnReplay);
    if (problem) {
      v.ok = false;
      v.divergences.push(problem);
    }
  }
  for (const node of new Set([...recorded.gaps, ...replayed.gaps].map((g) => g.node))) verdictOf(node);
  const rollouts = recorded.rollouts.flatMap((r, i) => (r ? [rolloutVerdict(i, recorded.groups[i]?.at ?? 0, r, replayed.rollouts[i])] : []));
  return [...[...verdicts.values()].sort((a, b) => a.name.localeCompare(b.name)), ...rollouts];
}

// A gap with the cause groups that started and ended it, and its times on the replay's clock.
function timed(gap: CoverageGap, side: SideOutcomes, toReplay: (t: number, g: number) => number | undefined): TimedGap {
  const startGroup = groupOf(gap.from, gap.node, side);
  const endGroup = gap.to === undefined ? -1 : groupOf(gap.to, gap.node, side);
  const from = toReplay(gap.from, startGroup);
  const to = gap.to === undefined ? undefined : toReplay(gap.to, endGroup);
  const scope = startGroup >= 0 && side.groups[startGroup]!.nodes.length === 0 ? 'daemonset' : 'node';
  return { gap, group: startGroup, scope, from, to, open: gap.to === undefined };
}

// The latest cause group at or before `t` that acts on this node or on the DaemonSet (-1: none, the origin).
function groupOf(t: number, node: string, side: SideOutcomes): number {
  let found = -1;
  side.groups.forEach((g, i) => {
    if (g.at !== undefined && g.at <= t && (g.nodes.length === 0 || g.nodes.includes(node))) found = i;
  });
  return found;
}

function divergence(r: TimedGap | undefined, p: TimedGap | undefined, tol: Tolerance, endOnReplay?: number): string | undefined {
  const dur = (g: TimedGap) => (g.to ?? Infinity) - g.from!;
  if (!p) return dur(r!) > tol.ms ? `recorded: ${r!.gap.node} uncovered ${describeDuration(r!, true)} from +${formatMs(r!.gap.from)}; replay: covered throughout` : undefined;
  if (!r) return dur(p) > tol.ms ? `recorded: ${p.gap.node} covered throughout; replay: uncovered ${describeDuration(p)} from +${formatMs(p.from!)}` : undefined;
  const allowed = tol.ms + tol.ratio * (Number.isFinite(dur(r)) ? dur(r) : 0);
  // Uncovered when the recording stopped (a recorder killed mid-incident), back in the replay only after that point.
  const cutShort = r.open && !p.open && endOnReplay !== undefined && p.to! >= endOnReplay - tol.ms;
  if (r.open !== p.open && !cutShort) return `recorded: ${r.gap.node} uncovered ${describeDuration(r, true)}; replay: ${p.gap.node} uncovered ${describeDuration(p)}`;
  if (Math.abs(p.from! - r.from!) > tol.ms) return `recorded: ${r.gap.node} uncovered from +${formatMs(r.from!)}; replay: from +${formatMs(p.from!)}`;
  if (!r.open && Math.abs(dur(p) - dur(r)) > allowed) return `recorded: ${r.gap.node} uncovered ${describeDuration(r, true)}; replay: ${p.gap.node === r.gap.node ? '' : `${p.gap.node} `}${describeDuration(p)}`;
  const replaced = (g: TimedGap) => !!g.gap.lostPod && !!g.gap.regainedPod && g.gap.lostPod !== g.gap.regainedPod;
  if (!r.open && replaced(r) !== replaced(p)) return `recorded: ${r.gap.node} pod ${replaced(r) ? 'replaced' : 'kept'}; replay: ${replaced(p) ? 'replaced' : 'kept'}`;
  return undefined;
}

// A replayed gap's length; a recorded one's as recorded, with what it should be in the replay when that differs.
function describeDuration(g: TimedGap, recorded = false): string {
  if (g.open) return 'until the end';
  const replayMs = g.to! - g.from!;
  if (!recorded) return formatMs(replayMs);
  const recordedMs = g.gap.to! - g.gap.from;
  return Math.abs(recordedMs - replayMs) > 500 ? `${formatMs(recordedMs)} (${formatMs(replayMs)} at this speed)` : formatMs(recordedMs);
}

function rolloutVerdict(group: number, at: number, r: RolloutOutcome, p: RolloutOutcome | undefined): OutcomeVerdict {
  const describe = (o: RolloutOutcome) => {
    const done = o.updated.length === o.eligible.length && o.available.length === o.eligible.length;
    return `${done ? 'complete' : 'halted'}: ${o.updated.length} of ${o.eligible.length} nodes updated${o.updated.length && !done ? ` (${o.updated.join(', ')})` : ''}, ${o.available.length} available`;
  };
  const expected = describe(r);
  const observed = p ? describe(p) : 'not replayed that far';
  const same = !!p && expected.split(':')[0] === observed.split(':')[0] && r.updated.length === p.updated.length && r.available.length === p.available.length;
  return {
    name: `rollout started at +${formatMs(at)} (cause group ${group + 1})`, ok: same, expected, observed,
    divergences: same ? [] : [`recorded: rollout ${expected}; replay: ${observed}`],
  };
}
