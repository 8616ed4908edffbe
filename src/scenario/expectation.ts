// Expectations judged from recorded watch events as they arrive: "eventually" (within) and
// "stays true" (holdsFor). A timeout fails with what was last observed, per node.
import type { Judgement } from '../expect/judgement.js';
import type { Recorder, RecorderState } from '../observe/recorder.js';
import { AssertionFailure, UsageError } from '../util/errors.js';
import { parseDuration, formatMs, type Duration } from '../util/duration.js';
import type { AssertionReport } from '../report/report-model.js';

/** What a passed expectation hands back: when it was decided, on the recorder's clock. */
export interface ExpectationResult {
  name: string;
  /** ms since scenario start of the change that made it true (within) or that ended the window (holdsFor). */
  atMs: number;
  judgement: Judgement;
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
  /** The judgement must stay ok this long before it counts (e.g. a halted rollout must stay halted). */
  stableFor?: Duration;
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
  ) {}

  private judge(): Judgement {
    const rec = this.host.recorder;
    return this.judgeState(rec.state, rec.epochAtStart + rec.now());
  }

  /** atMs of the change since which the judgement has held without a break (replaying the timeline). */
  private heldSince(): number {
    const rec = this.host.recorder;
    if (rec.changes.length === 0 || rec.changes.length > 50_000) return rec.now();
    let since: number | undefined;
    rec.replay((state, change) => {
      const ok = this.judgeState(state, rec.epochAtStart + change.atMs).ok;
      if (!ok) since = undefined;
      else since ??= change.atMs;
    });
    return since ?? rec.now();
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
    return this.observe(timeoutMs, (j, atMs, state) => {
      if (!j.ok) {
        state.okSince = undefined;
        return undefined;
      }
      // Already true when we started looking: find the change that made it so.
      state.okSince ??= state.first ? this.heldSince() : atMs;
      // The result's time is when it became true (and then stayed so), which is what timings want.
      return atMs - state.okSince >= stableMs ? { atMs: state.okSince } : undefined;
    }, `within ${formatMs(timeoutMs)}${stableMs ? ` (stable for ${formatMs(stableMs)})` : ''}`, stableMs);
  }

  /** Requires the judgement to hold now and on every change for `duration`; fails at the first break. */
  holdsFor(duration: Duration): Promise<ExpectationResult> {
    const ms = this.duration(duration, 'holdsFor');
    const start = this.host.recorder.now();
    return this.observe(ms, (j, atMs) => {
      if (!j.ok) return { failed: true, atMs };
      return atMs - start >= ms ? { atMs } : undefined;
    }, `holds for ${formatMs(ms)}`, ms, true, true);
  }

  private observe(
    timeoutMs: number,
    step: (j: Judgement, atMs: number, state: { okSince?: number; first?: boolean }) => { atMs: number; failed?: boolean } | undefined,
    how: string,
    tickMs: number,
    passOnTimeout = false,
    everyChange = passOnTimeout,
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
        if (out?.failed) {
          this.report(j, out.atMs);
          finish(() => reject(this.failure(j, `${how}, broke after ${formatMs(out.atMs - started)}`)));
        } else if (out) {
          this.report(j, out.atMs);
          finish(() => resolve({ name: this.name, atMs: out.atMs, judgement: j }));
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
          if (passOnTimeout && j.ok) {
            this.report(j, rec.now());
            finish(() => resolve({ name: this.name, atMs: rec.now(), judgement: j }));
            return;
          }
          this.report(j, rec.now());
          finish(() => reject(this.failure(j, `not reached ${how}`)));
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

  private report(j: Judgement, atMs: number): void {
    this.host.recordAssertion({
      name: this.name,
      verdict: j.ok ? 'passed' : 'failed',
      expected: this.expected,
      observed: j.summary,
      atMs,
      nodes: j.nodes,
      problems: j.problems,
    });
  }

  private failure(j: Judgement, how: string): AssertionFailure {
    const problems = j.problems.filter((p) => !j.summary.includes(p));
    const detail = problems.length ? `; ${problems.slice(0, 6).join('; ')}${problems.length > 6 ? `; (+${problems.length - 6} more)` : ''}` : '';
    return new AssertionFailure(`${this.name}: ${how}: ${j.summary}${detail}`);
  }
}
