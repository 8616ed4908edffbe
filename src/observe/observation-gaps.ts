// Spans of the scenario's clock in which the recorder saw nothing, and the rules by which a claim
// whose window spans one is judged. Pure: plain data in, verdicts and sentences out.
import { formatMs } from '../util/duration.js';

/**
 * A span the recorder could not observe: a watch was cut and had to resume or relist, or a fault
 * froze what the watches read (a paused API server or etcd serves no changes at all).
 */
export interface ObservationGap {
  /** ms on the scenario clock. */
  fromMs: number;
  /** Undefined while the gap is still open. */
  toMs?: number;
  /** Which watches it hit (`all` for a fault that blinds every one). */
  watches: string[];
  /** Why, in words: "kube-apiserver was restarting". */
  reason: string;
}

/** A gap's end, an open one counting as lasting until `nowMs`. */
export function gapEnd(g: ObservationGap, nowMs: number): number {
  return g.toMs ?? nowMs;
}

/** The gaps that overlap [fromMs, toMs]; an open gap lasts until `toMs`. Touching is not overlapping. */
export function gapsWithin(gaps: readonly ObservationGap[], fromMs: number, toMs: number): ObservationGap[] {
  return gaps.filter((g) => g.fromMs < toMs && gapEnd(g, Infinity) > fromMs);
}

/**
 * Overlapping or touching gaps as one span each, the watches joined and the reasons kept in
 * order (a watch relisted during an API server restart is that restart, not a second gap).
 */
export function mergeGaps(gaps: readonly ObservationGap[]): ObservationGap[] {
  const sorted = [...gaps].sort((a, b) => a.fromMs - b.fromMs);
  const out: ObservationGap[] = [];
  for (const g of sorted) {
    const last = out.at(-1);
    if (last && g.fromMs <= gapEnd(last, Infinity)) {
      last.toMs = last.toMs === undefined || g.toMs === undefined ? undefined : Math.max(last.toMs, g.toMs);
      for (const w of g.watches) if (!last.watches.includes(w)) last.watches.push(w);
      if (!last.reason.split('; ').includes(g.reason)) last.reason = `${last.reason}; ${g.reason}`;
    } else {
      out.push({ ...g, watches: [...g.watches] });
    }
  }
  return out;
}

/** "not observed from +12.3s to +15.1s: kube-apiserver was restarting" (several joined by '; '). */
export function describeGaps(gaps: readonly ObservationGap[]): string {
  return mergeGaps(gaps)
    .map((g) => `not observed from +${formatMs(g.fromMs)} ${g.toMs === undefined ? 'on (still unobserved)' : `to +${formatMs(g.toMs)}`}: ${g.reason}`)
    .join('; ');
}

/** How a "stays true" claim (holdsFor, an invariant) treats a gap in its window. */
export interface AcrossGaps {
  /**
   * Accept a gap when the claim held on the last change before it and on the first after it
   * (the caller has judged every observed change, so a claim still standing held on both sides).
   * Off by default: a relist folds the changes in between, so a break and its repair inside the
   * gap leave no trace, and passing would claim what nobody saw.
   */
  allowGaps?: boolean;
}

/** What the gaps in a window make of a claim that held on every change that was observed. */
export interface GapVerdict {
  /** Gaps that leave the claim unproven: it fails as unobserved. */
  unobserved: ObservationGap[];
  /** Gaps accepted under `allowGaps` (shown in the result, not failed). */
  accepted: ObservationGap[];
}

/**
 * Judges the gaps in a "stays true" window [fromMs, toMs]. Without `allowGaps` every overlapping
 * gap leaves the claim unobserved. With it, a gap is accepted only when it has both sides inside
 * the window: it starts after the window opened and closed before the window ended (a gap open
 * at either edge has no observed state on that side).
 */
export function judgeGaps(gaps: readonly ObservationGap[], fromMs: number, toMs: number, opts: AcrossGaps = {}): GapVerdict {
  const overlapping = gapsWithin(gaps, fromMs, toMs);
  if (!opts.allowGaps) return { unobserved: overlapping, accepted: [] };
  const bounded = (g: ObservationGap) => g.fromMs > fromMs && g.toMs !== undefined && g.toMs < toMs;
  return { unobserved: overlapping.filter((g) => !bounded(g)), accepted: overlapping.filter(bounded) };
}

/**
 * For an "eventually" claim that became true at `atMs`: the earliest it may really have become
 * true. If `atMs` falls in a gap, the change happened unseen somewhere since the gap began (and
 * if that gap began inside an earlier one, since that one began).
 */
export function earliestPossible(gaps: readonly ObservationGap[], atMs: number): number {
  let earliest = atMs;
  for (;;) {
    const g = gaps.find((x) => x.fromMs < earliest && gapEnd(x, Infinity) >= earliest);
    if (!g) return earliest;
    earliest = g.fromMs;
  }
}
