// The waiting logic of expectations, in virtual time, over a hand-fed change stream.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Expectation, type ExpectationHost } from '../../../src/scenario/expectation.js';
import type { Recorder, RecordedChange, RecorderState } from '../../../src/observe/recorder.js';
import type { AssertionReport } from '../../../src/report/report-model.js';
import { atLeast } from '../../support/value-judge.js';

/** A recorder stand-in whose "cluster" is one number, changed by hand. */
function fakeRecorder() {
  let now = 0;
  const listeners = new Set<(c: RecordedChange) => void>();
  const changes: RecordedChange[] = [];
  const values: number[] = [];
  const state = { value: 0 } as unknown as RecorderState & { value: number };
  const rec = {
    changes, state, gaps: [], epochAtStart: 0,
    now: () => now,
    subscribe: (fn: (c: RecordedChange) => void) => (listeners.add(fn), () => listeners.delete(fn)),
    walkBack: (visit: (s: RecorderState, c: RecordedChange) => boolean) => {
      for (let i = changes.length - 1; i >= 0 && visit({ value: values[i] } as never, changes[i]!); i--);
    },
  };
  return {
    recorder: rec as unknown as Recorder,
    state,
    /** Moves the clock to `at` and records a change of the value. */
    set(at: number, value: number) {
      now = at;
      vi.setSystemTime(at);
      state.value = value;
      const c: RecordedChange = { atMs: at, kind: 'Node', type: 'MODIFIED', object: { metadata: { name: 'n' } } };
      changes.push(c);
      values.push(value);
      listeners.forEach((l) => l(c));
    },
    advance(ms: number) {
      now += ms;
    },
  };
}


describe('Expectation', () => {
  let fake: ReturnType<typeof fakeRecorder>;
  let assertions: AssertionReport[];
  let host: ExpectationHost;

  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
    fake = fakeRecorder();
    assertions = [];
    host = { recorder: fake.recorder, recordAssertion: (a) => assertions.push(a), signal: new AbortController().signal, file: 'scenarios/x.ts' };
  });
  afterEach(() => vi.useRealTimers());

  it('within resolves at the time of the change that made it true, not when it was noticed', async () => {
    const e = new Expectation(host, 'value >= 3', 'at least 3', atLeast(3));
    const p = e.within('10s');
    fake.set(1000, 2);
    fake.set(2500, 3);
    const r = await p;
    expect(r.atMs).toBe(2500);
    expect(assertions.at(-1)).toMatchObject({ name: 'value >= 3', verdict: 'passed', observed: 'value 3' });
  });

  it('within, already true, finds the change since which it has held', async () => {
    fake.set(100, 1);
    fake.set(400, 5);
    fake.set(900, 6);
    const r = await new Expectation(host, 'v', 'x', atLeast(3)).within('1s');
    expect(r.atMs).toBe(400);
  });

  it('within, true through the whole timeline, dates it from the first change', async () => {
    fake.set(100, 4);
    fake.set(400, 5);
    const r = await new Expectation(host, 'v', 'x', atLeast(3)).within('1s');
    expect(r.atMs).toBe(100);
  });

  it('within fails after the timeout with what it last observed', async () => {
    const p = new Expectation(host, 'value >= 3', 'at least 3', atLeast(3)).within('5s');
    const caught = p.catch((e: Error) => e);
    fake.set(1000, 1);
    fake.advance(4000);
    await vi.advanceTimersByTimeAsync(5000);
    const err = await caught;
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe('value >= 3: not reached within 5.0s: value 1; value 1 < 3');
    expect(assertions.at(-1)?.verdict).toBe('failed');
  });

  it('holdsFor fails at the first change that breaks it', async () => {
    fake.set(0, 5);
    const p = new Expectation(host, 'stays', 'x', atLeast(3)).holdsFor('10s');
    const caught = p.catch((e: Error) => e);
    fake.set(3000, 4);
    fake.set(4000, 2);
    const err = (await caught) as Error;
    expect(err.message).toMatch(/stays: holds for 10.0s, broke after 4.0s: value 2/);
  });

  it('holdsFor passes when nothing breaks it for the whole window', async () => {
    fake.set(0, 5);
    const p = new Expectation(host, 'stays', 'x', atLeast(3)).holdsFor('2s');
    fake.set(1000, 7);
    fake.advance(1500);
    await vi.advanceTimersByTimeAsync(2000);
    await expect(p).resolves.toMatchObject({ name: 'stays' });
  });

  it('within with stableFor needs the judgement to stay true for the window', async () => {
    const p = new Expectation(host, 'halted', 'x', atLeast(3)).within('30s', { stableFor: '5s' });
    fake.set(1000, 3);
    fake.set(2000, 1); // breaks: the window starts over
    fake.set(3000, 4);
    fake.advance(5000);
    await vi.advanceTimersByTimeAsync(6000);
    const r = await p;
    // It became true at 3000 and stayed so for the window: that is the moment reported.
    expect(r.atMs).toBe(3000);
    expect(fake.recorder.now()).toBeGreaterThanOrEqual(8000);
  });

  it('rejects a bad duration with one line naming the scenario file', () => {
    expect(() => new Expectation(host, 'cov', 'x', atLeast(1)).within('soon')).toThrow('scenarios/x.ts: cov: within: "soon" is not a duration');
  });

  it('within skips the full judgement while a cheap check rules it out, and judges in full to report a timeout', async () => {
    const judged: number[] = [];
    const judge = (st: RecorderState) => {
      judged.push((st as unknown as { value: number }).value);
      return atLeast(3)(st);
    };
    const ruledOut = (st: RecorderState) => (st as unknown as { value: number }).value < 2;
    const p = new Expectation(host, 'v', 'x', judge, undefined, ruledOut).within('10s');
    for (const [at, value] of [[100, 0], [200, 1], [300, 2], [400, 3]] as const) {
      fake.set(at, value);
      await vi.advanceTimersByTimeAsync(0); // one burst per change
    }
    expect((await p).atMs).toBe(400);
    expect(judged).toEqual([2, 3]);

    judged.length = 0;
    fake.set(500, 0);
    const late = new Expectation(host, 'late', 'x', judge, undefined, ruledOut).within('1s');
    fake.set(600, 1);
    await vi.advanceTimersByTimeAsync(0);
    const failed = late.catch((e: Error) => e);
    await vi.advanceTimersByTimeAsync(1000);
    expect(((await failed) as Error).message).toMatch(/^late: not reached within 1.0s: value 1/);
    expect(judged).toEqual([1]); // only at the timeout
    expect(assertions.at(-1)).toMatchObject({ name: 'late', verdict: 'failed', observed: 'value 1' });
  });
});
