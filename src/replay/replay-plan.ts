// What a replay will do, worked out from a recording: the window, the starting state, the cause groups and the
// recorded outcomes to compare with. Pure: a Recording in, plain data out (the scenario generator renders it).
import type { Recording } from '../recording/recording-model.js';
import { RecordingState, type StateDaemonSet } from '../recording/recording-state.js';
import type { ClusterTwin } from '../twin/twin-model.js';
import { UsageError } from '../util/errors.js';
import { formatMs } from '../util/duration.js';
import { isNodeCause, type Cause, type CauseGroup } from './cause-model.js';
import type { Tolerance } from './compare-outcomes.js';
import { coverageOutcomes, type CoverageGap, type RolloutOutcome } from './coverage-outcomes.js';
import { inferCauses } from './infer-causes.js';

export interface PlanOptions {
  /** `name` or `namespace/name`; needed when the recording has several DaemonSets. */
  daemonSet?: string;
  /** ms since the recording's start; default: 5 s before the first cause. */
  from?: number;
  /** ms since the recording's start; default: 10 s after the last cause or coverage change. */
  to?: number;
  speed: number;
  tolerance: Tolerance;
}

/** The recorded outcomes a replay is compared with; times are ms since the replay's origin. */
export interface RecordedOutcomes {
  speed: number;
  tolerance: Tolerance;
  /** When the recording's window ends (ms since origin). */
  end: number;
  groups: Array<{ at: number; nodes: string[]; rollout: boolean }>;
  gaps: CoverageGap[];
  /** Indexed by cause group (null for groups that start no rollout). */
  rollouts: Array<RolloutOutcome | null>;
}

export interface ReplayPlan {
  dsKey: string;
  /** Origin and end of the window, ms since the recording's start. */
  origin: number;
  end: number;
  /** The cluster at the origin. */
  start: ClusterTwin;
  daemonSet: StateDaemonSet;
  groups: CauseGroup[];
  outcomes: RecordedOutcomes;
  /** Things the scenario should say in a comment (watch gaps, a recording that was cut). */
  notes: string[];
}

/** Causes less than this far apart are one step. */
const GROUP_WINDOW_MS = 1000;
const LEAD_MS = 5000;
const SETTLE_MS = 10_000;

/** Works out the replay of one DaemonSet of a recording. */
export function planReplay(rec: Recording, opts: PlanOptions): ReplayPlan {
  const dsKey = pickDaemonSet(rec, opts.daemonSet);
  const recordedEnd = rec.end?.t ?? rec.changes.at(-1)?.t ?? 0;
  const all = inferCauses(rec, dsKey, opts.from ?? 0, opts.to ?? Infinity);
  const origin = opts.from ?? defaultOrigin(rec, dsKey, all[0]?.t ?? 0);
  let end = opts.to ?? recordedEnd;
  if (opts.to === undefined) {
    const { gaps } = coverageOutcomes(rec.twin, rec.changes, dsKey, origin, recordedEnd);
    const last = Math.max(all.at(-1)?.t ?? origin, ...gaps.flatMap((g) => [g.from, g.to ?? g.from]));
    end = Math.min(recordedEnd, last + SETTLE_MS);
  }
  if (end < origin) throw new UsageError(`--to: ${formatMs(end)} is before --from ${formatMs(origin)}`);
  const causes = inferCauses(rec, dsKey, origin, end);
  const groups = groupCauses(causes, origin);
  const st = RecordingState.fromTwin(rec.twin);
  for (const line of rec.changes) if (line.t < origin) st.apply(line);
  const daemonSet = st.daemonSets.get(dsKey);
  if (!daemonSet) throw new UsageError(`${rec.file}: DaemonSet ${dsKey} does not exist at +${formatMs(origin)} (pass --from later)`);
  const checks = groups.map((g, i) => (g.rollout ? checkTime(groups, i, end - origin) + origin : undefined));
  const outcomes = coverageOutcomes(rec.twin, rec.changes, dsKey, origin, end, checks.filter((c): c is number => c !== undefined));
  let k = 0;
  const rollouts = checks.map((c) => (c === undefined ? null : shift(outcomes.rollouts[k++]!, origin)));
  return {
    dsKey, origin, end, start: st.toTwin(new Date(Date.parse(rec.header.startedAt) + origin).toISOString()), daemonSet, groups,
    outcomes: {
      speed: opts.speed, tolerance: opts.tolerance, end: end - origin,
      groups: groups.map((g) => ({ at: g.at, nodes: g.nodes, rollout: g.rollout })),
      gaps: outcomes.gaps.map((g) => ({ ...g, from: g.from - origin, ...(g.to !== undefined ? { to: g.to - origin } : {}) })),
      rollouts,
    },
    notes: notesOf(rec, origin, end),
  };
}

/**
 * A few seconds before the first cause, but not while the DaemonSet was still starting up (a
 * recording begun with the DaemonSet, as a report's is): the replay starts from a settled state.
 */
function defaultOrigin(rec: Recording, dsKey: string, firstCause: number): number {
  const { gaps } = coverageOutcomes(rec.twin, rec.changes, dsKey, 0, firstCause);
  const settled = Math.max(0, ...gaps.filter((g) => g.to !== undefined && g.to < firstCause).map((g) => g.to! + 1));
  return Math.min(firstCause, Math.max(firstCause - LEAD_MS, settled));
}

/** When a rollout group's outcome is judged: just before the next group that changes the DaemonSet, or at the end. */
export function checkTime(groups: Array<{ at?: number; nodes: string[] }>, i: number, end: number): number {
  const next = groups.slice(i + 1).find((g) => g.nodes.length === 0 && g.at !== undefined);
  return next ? next.at! - 1 : end;
}

/** Causes within a second of each other make one group; a group that touches the DaemonSet acts on every node. */
export function groupCauses(causes: Cause[], origin: number): CauseGroup[] {
  const groups: CauseGroup[] = [];
  for (const c of causes) {
    const last = groups.at(-1);
    const g = last && c.t - origin - last.at <= GROUP_WINDOW_MS ? last : undefined;
    const group = g ?? { at: c.t - origin, causes: [], nodes: [], rollout: false };
    if (!g) groups.push(group);
    group.causes.push(c);
  }
  for (const g of groups) {
    const onDaemonSet = g.causes.some((c) => !isNodeCause(c));
    g.nodes = onDaemonSet ? [] : [...new Set(g.causes.map((c) => (isNodeCause(c) ? c.node : '')))].sort();
    g.rollout = g.causes.some((c) => c.kind === 'ds.image' || c.kind === 'ds.rollback' || (c.kind === 'ds.patch' && c.fields.some((f) => f.startsWith('template.'))));
  }
  return groups;
}

function pickDaemonSet(rec: Recording, wanted: string | undefined): string {
  const keys = rec.twin.daemonSets.map((d) => `${d.namespace}/${d.name}`);
  for (const c of rec.changes) if (c.op === 'put' && c.kind === 'DaemonSet' && !keys.includes(`${c.obj.namespace}/${c.obj.name}`)) keys.push(`${c.obj.namespace}/${c.obj.name}`);
  const found = wanted === undefined ? keys : keys.filter((k) => k === wanted || k.endsWith(`/${wanted}`));
  if (found.length === 1) return found[0]!;
  if (!keys.length) throw new UsageError(`${rec.file}: the recording has no DaemonSet`);
  throw new UsageError(`--daemonset: ${wanted === undefined ? 'the recording has several DaemonSets; name one' : `"${wanted}" ${found.length ? 'is ambiguous' : 'is not in the recording'}`} (${keys.join(', ')})`);
}

function shift(r: RolloutOutcome, origin: number): RolloutOutcome {
  return { ...r, at: r.at - origin };
}

function notesOf(rec: Recording, origin: number, end: number): string[] {
  const notes = rec.changes.filter((c) => c.op === 'gap' && c.t >= origin && c.t <= end)
    .map((c) => `at +${formatMs(c.t - origin)} the watch of ${c.kind} was relisted (${c.op === 'gap' ? c.reason : ''}): changes in between may be missing`);
  if (!rec.end) notes.push(`the recording stops at +${formatMs((rec.changes.at(-1)?.t ?? 0) - origin)} without an end line (the recorder was killed): replayed up to there`);
  return notes;
}
