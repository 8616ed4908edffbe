// Expectations judged from recorded watch events as they arrive: "eventually" (within) and
// "stays true" (holdsFor). A timeout fails with what was last observed, per node.
import type { Judgement } from '../expect/judgement.js';
import type { Recorder, RecorderState } from '../observe/recorder.js';
import { AssertionFailure, UsageError } from '../util/errors.js';
import { parseDuration, formatMs, type Duration } from '../util/duration.js';
import type { AssertionReport } from '../report/report-model.js';
import { describeGaps, earliestPossible, gapsWithin, judgeGaps, type AcrossGaps, type ObservationGap } from '../observe/observation-gaps.js';

/** What a passed expectation hands back: when it was decided, on the recorder's clock. */
export interface ExpectationResult {
  name: string;
  /** ms since scenario start of the change that made it true (within) or that ended the window (holdsFor). */
  atMs: number;
  judgement: Judgement;
  /**
   * Set when it became true unseen, inside a gap in the recording: the earliest it may have
   * become true (`atMs` is when it was first observed).
   */
  earliestMs?: number;
  /** Gaps in the recording that the result had to reckon with (see `earliestMs`, and holdsFor's `allowGaps`). */
  gaps?: ObservationGap[];
}

export interface ExpectationHost {
  recorder: Recorder;
  /** Records the verdict in the report. */
  recordAssertion(a: AssertionReport): void;
  /** Aborted when the scenario is interrupted or times out. */
  signal: AbortSignal;
  /** The scenario file, so bad input (a duration) names it. */
  file?: string;
  /** Injected timers, so waiting logic can be driven in virtual time in unit tests. */
  timers?: { setTimeout: typeof setTimeout; clearTimeout: typeof clearTimeout };
}

export interface WithinOptions {
  /** The judgement must stay ok this long before it counts (e.g. a halted rollout must stay halted); only observed time counts. */
  stableFor?: Duration;
}

/** What a `within` step sees while `ruledOut` holds: a failing verdict, never reported. */
const RULED_OUT: Judgement = Object.freeze({ ok: false, summary: 'ruled out', nodes: [], problems: ['ruled out'] });

/** What the observe loop's step decides at one evaluation. */
interface StepOutcome {
  atMs: number;
  failed?: boolean;
  /** Why it failed when the state itself did not break (nothing was observed for part of the window). */
  unobserved?: ObservationGap[];
  earliestMs?: number;
  /** Gaps to show with a pass. */
  gaps?: ObservationGap[];
}

/**
 * A rule over the recorded cluster state, judged on every watch event as it arrives (never by
 * polling). `within` waits until it holds; `holdsFor` requires it to stay true; `now` judges once.
 * A failure says what was last observed on each node.
 *
 * @example
 * const covered = await ds.expectCoverage().within('60s');          // resolves when it first holds
 * await ds.expectRolloutHalted().within('60s', { stableFor: '10s' }); // ...and stays so for 10 s
 * await ds.expectCoverage({ ignoreStatusCounters: true }).holdsFor('30s');
 * t.timing('node added -> covered', added, covered, { max: '30s' });
 */
export class Expectation {
  constructor(
    private readonly host: ExpectationHost,
    readonly name: string,
    /** What should hold, in words, for the report. */
    readonly expected: string,
    private readonly judgeState: (state: RecorderState, nowEpochMs: number) => Judgement,
    /** Re-judge this often even without events (time-dependent rules such as minReadySeconds). */
    private readonly tickMs?: number,
    /**
     * A cheap necessary condition: true when the judgement certainly fails in this state (say, the
     * DaemonSet's status shows a rollout under way). `within` then skips judging every node; a
     * failure to report is always judged in full.
     */
    private readonly ruledOut?: (state: RecorderState) => boolean,
  ) {}

  private judge(): Judgement {
    const rec = this.host.recorder;
    return this.judgeState(rec.state, rec.epochAtStart + rec.now());
  }

  /**
   * atMs of the change since which the judgement has held without a break, walking the timeline back
   * from now until it did not hold. Judging whole states is costly at scale: after 2 s of walking it
   * stops and answers the oldest change it verified (a later time than the truth, never an earlier one).
   */
  private heldSince(): number {
    const rec = this.host.recorder;
    let since = rec.now();
    const deadline = performance.now() + 2000;
    rec.walkBack((state, change) => {
      if (change.kind === 'Event' || change.kind === 'Gap') return true;
      if (!this.judgeState(state, rec.epochAtStart + change.atMs).ok) return false;
      since = change.atMs;
      return performance.now() < deadline;
    });
    return since;
  }

  /** Judges the current state once, without waiting. */
  now(): ExpectationResult {
    const j = this.judge();
    const atMs = this.host.recorder.now();
    this.report(j, atMs);
    if (!j.ok) throw this.failure(j, 'now');
    return { name: this.name, atMs, judgement: j };
  }

  /** Resolves as soon as the judgement holds (for `stableFor`, if given); fails after `timeout`. */
  within(timeout: Duration = '60s', opts: WithinOptions = {}): Promise<ExpectationResult> {
    const timeoutMs = this.duration(timeout, 'within');
    const stableMs = opts.stableFor === undefined ? 0 : this.duration(opts.stableFor, 'stableFor');
    const gaps = this.host.recorder.gaps;
    return this.observe(timeoutMs, (j, atMs, state) => {
      if (!j.ok) {
        state.okSince = undefined;
        return undefined;
      }
      // Already true when we started looking: find the change that made it so.
      state.okSince ??= state.first ? this.heldSince() : atMs;
      let stableSince = state.okSince;
      if (stableMs > 0) {
        // Stability is counted only over observed time: it starts again after a gap.
        const inside = gapsWithin(gaps, stableSince, atMs);
        if (inside.some((g) => g.toMs === undefined)) return undefined;
        stableSince = Math.max(stableSince, ...inside.map((g) => g.toMs!));
      }
      if (atMs - stableSince < stableMs) return undefined;
      // The result's time is when it became true (and then stayed so), which is what timings want;
      // inside a gap, it may have become true unseen since the gap began.
      const earliestMs = earliestPossible(gaps, state.okSince);
      const uncertain = earliestMs < state.okSince ? gapsWithin(gaps, earliestMs, state.okSince + 1) : [];
      return uncertain.length ? { atMs: state.okSince, earliestMs, gaps: uncertain } : { atMs: state.okSince };
    }, `within ${formatMs(timeoutMs)}${stableMs ? ` (stable for ${formatMs(stableMs)})` : ''}`, stableMs);
  }

  /**
   * Requires the judgement to hold now and on every change for `duration`; fails at the first
   * break. A gap in the recording inside the window fails it as unobserved (nobody saw whether it
   * held), unless `allowGaps` accepts gaps it held on both sides of (see AcrossGaps).
   */
  holdsFor(duration: Duration, opts: AcrossGaps = {}): Promise<ExpectationResult> {
    const ms = this.duration(duration, 'holdsFor');
    const rec = this.host.recorder;
    const start = rec.now();
    const verdict = (atMs: number, final: boolean): StepOutcome | undefined => {
      // Before the end, only closed gaps decide (an open one is reported once its span is known),
      // and the window goes on: a gap closed by now has its after side.
      const { unobserved, accepted } = final ? judgeGaps(rec.gaps, start, atMs, opts) : judgeGaps(rec.gaps.filter((g) => g.toMs !== undefined), start, Infinity, opts);
      if (unobserved.length) return { failed: true, atMs, unobserved };
      return final ? { atMs, gaps: accepted.length ? accepted : undefined } : undefined;
    };
    return this.observe(ms, (j, atMs) => {
      if (!j.ok) return { failed: true, atMs };
      return verdict(atMs, atMs - start >= ms);
    }, `holds for ${formatMs(ms)}`, ms, (atMs) => verdict(atMs, true)!, true);
  }

  /**
   * Judges on every change (or burst of changes) and tick until `step` decides or `timeoutMs`
   * passes. `onTimeout` (holdsFor) decides at the deadline when the judgement still holds;
   * without it the deadline is a failure.
   */
  private observe(
    timeoutMs: number,
    step: (j: Judgement, atMs: number, state: { okSince?: number; first?: boolean }) => StepOutcome | undefined,
    how: string,
    tickMs: number,
    onTimeout?: (atMs: number) => StepOutcome,
    everyChange = !!onTimeout,
  ): Promise<ExpectationResult> {
    const timers = this.host.timers ?? { setTimeout, clearTimeout };
    const rec = this.host.recorder;
    const started = rec.now();
    const state: { okSince?: number; first?: boolean } = { first: true };
    return new Promise<ExpectationResult>((resolve, reject) => {
      let last: Judgement | undefined;
      let done = false;
      const handles: ReturnType<typeof setTimeout>[] = [];
      const finish = (fn: () => void) => {
        if (done) return;
        done = true;
        unsubscribe();
        handles.forEach((h) => timers.clearTimeout(h));
        this.host.signal.removeEventListener('abort', onAbort);
        fn();
      };
      const evaluate = (atMs: number) => {
        if (done) return;
        if (!everyChange && this.ruledOut?.(rec.state)) {
          // Not yet, and nothing to report from it: a timeout judges the state in full.
          last = undefined;
          step(RULED_OUT, atMs, state);
          state.first = false;
          return;
        }
        let j: Judgement;
        try {
          j = this.judge();
        } catch (err) {
          finish(() => reject(err));
          return;
        }
        last = j;
        const out = step(j, atMs, state);
        state.first = false;
        if (out) settle(j, out);
      };
      const settle = (j: Judgement, out: StepOutcome) => {
        if (out.unobserved) {
          this.report(j, out.atMs, out.unobserved, 'unobserved');
          finish(() => reject(this.failure(j, `${how}: unobserved: ${describeGaps(out.unobserved!)}`)));
        } else if (out.failed) {
          this.report(j, out.atMs);
          finish(() => reject(this.failure(j, `${how}, broke after ${formatMs(out.atMs - started)}`)));
        } else {
          this.report(j, out.atMs, out.gaps, out.earliestMs === undefined ? 'held on both sides of it' : `became true between +${formatMs(out.earliestMs)} and +${formatMs(out.atMs)}`);
          finish(() => resolve({ name: this.name, atMs: out.atMs, judgement: j, ...(out.earliestMs === undefined ? {} : { earliestMs: out.earliestMs }), ...(out.gaps ? { gaps: out.gaps } : {}) }));
        }
      };
      // Events are not part of a snapshot: they cannot change a judgement. `within` judges once per
      // burst of changes (the lines of one watch read arrive together), at the burst's last change;
      // `holdsFor` must see every change, so a state that breaks it for one change is never missed.
      let burst: number | undefined;
      const unsubscribe = rec.subscribe((c) => {
        if (c.kind === 'Event') return;
        if (everyChange) return evaluate(c.atMs);
        if (burst === undefined) queueMicrotask(() => {
          const atMs = burst!;
          burst = undefined;
          evaluate(atMs);
        });
        burst = c.atMs;
      });
      const onAbort = () => finish(() => reject(this.host.signal.reason ?? new Error('aborted')));
      this.host.signal.addEventListener('abort', onAbort, { once: true });
      const tickEvery = this.tickMs ?? (tickMs > 0 ? Math.min(1000, Math.max(100, tickMs / 10)) : 0);
      if (tickEvery > 0) {
        const tick = () => {
          evaluate(rec.now());
          if (!done) handles.push(timers.setTimeout(tick, tickEvery));
        };
        handles.push(timers.setTimeout(tick, tickEvery));
      }
      handles.push(
        timers.setTimeout(() => {
          const j = last ?? this.judge();
          if (onTimeout && j.ok) return settle(j, onTimeout(rec.now()));
          // What the wait could not see is part of why it did not see the judgement come true.
          const blind = gapsWithin(rec.gaps, started, rec.now());
          this.report(j, rec.now(), blind.length ? blind : undefined, 'unobserved');
          finish(() => reject(this.failure(j, `not reached ${how}${blind.length ? ` (${describeGaps(blind)})` : ''}`)));
        }, timeoutMs),
      );
      evaluate(rec.now());
    });
  }

  private duration(d: Duration, field: string): number {
    try {
      return parseDuration(d, `${this.name}: ${field}`);
    } catch (err) {
      throw new UsageError(`${this.host.file ? `${this.host.file}: ` : ''}${(err as Error).message}`);
    }
  }

  /** Records the verdict; `gaps` (with what they mean for it, `how`) are shown with what was observed. */
  private report(j: Judgement, atMs: number, gaps?: ObservationGap[], how?: string): void {
    const unobserved = how === 'unobserved' && !!gaps?.length;
    const note = gaps?.length ? `; ${how === 'unobserved' ? '' : `${how}: `}${describeGaps(gaps)}` : '';
    this.host.recordAssertion({
      name: this.name,
      verdict: j.ok && !unobserved ? 'passed' : 'failed',
      expected: this.expected,
      observed: `${j.summary}${note}`,
      atMs,
      nodes: j.nodes,
      problems: j.problems,
      ...(gaps?.length ? { gaps: gaps.map((g) => ({ ...g, watches: [...g.watches] })) } : {}),
    });
  }

  private failure(j: Judgement, how: string): AssertionFailure {
    const problems = j.problems.filter((p) => !j.summary.includes(p));
    const detail = problems.length ? `; ${problems.slice(0, 6).join('; ')}${problems.length > 6 ? `; (+${problems.length - 6} more)` : ''}` : '';
    return new AssertionFailure(`${this.name}: ${how}: ${j.summary}${detail}`);
  }
}
