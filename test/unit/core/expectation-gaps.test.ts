// Expectations whose window spans a gap in the recording say so, in virtual time over a hand-fed
// change stream: holdsFor fails as unobserved unless allowGaps, within dates an unseen change.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Expectation, type ExpectationHost } from '../../../src/scenario/expectation.js';
import type { Recorder, RecordedChange, RecorderState } from '../../../src/observe/recorder.js';
import type { ObservationGap } from '../../../src/observe/observation-gaps.js';
import type { AssertionReport } from '../../../src/report/report-model.js';
import { atLeast } from '../../support/value-judge.js';

/** A recorder stand-in whose "cluster" is one number; gaps are opened and closed by hand. */
function fakeRecorder() {
  const listeners = new Set<(c: RecordedChange) => void>();
  const changes: RecordedChange[] = [];
  const gaps: ObservationGap[] = [];
  const state = { value: 0 } as unknown as RecorderState & { value: number };
  const emit = (c: RecordedChange) => {
    changes.push(c);
    listeners.forEach((l) => l(c));
  };
  const rec = {
    changes, state, gaps, epochAtStart: 0,
    // The scenario clock is the fake timers' clock, so deadlines and gaps share one time.
    now: () => Date.now(),
    subscribe: (fn: (c: RecordedChange) => void) => (listeners.add(fn), () => listeners.delete(fn)),
    // No history to walk: "already true" dates from now.
    walkBack: () => {},
    replay: () => {},
  };
  const at = (ms: number) => vi.advanceTimersByTime(ms - Date.now());
  return {
    recorder: rec as unknown as Recorder,
    set(ms: number, value: number) {
      at(ms);
      state.value = value;
      emit({ atMs: ms, kind: 'Node', type: 'MODIFIED', object: { metadata: { name: 'n' } } });
    },
    /** Opens a gap at `ms`; the returned function closes it (recording it, as the recorder does). */
    openGap(ms: number, reason: string): (end: number) => void {
      at(ms);
      const g: ObservationGap = { fromMs: ms, watches: ['all'], reason };
      gaps.push(g);
      return (end) => {
        at(end);
        g.toMs = end;
        emit({ atMs: end, fromMs: ms, kind: 'Gap', type: 'GAP', object: { metadata: { name: 'all' } }, reason });
      };
    },
  };
}


describe('Expectation over gaps in the recording', () => {
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

  it('holdsFor fails as unobserved as soon as a gap inside its window closes, naming the span and why', async () => {
    fake.set(0, 5);
    const p = new Expectation(host, 'value >= 3', 'at least 3', atLeast(3)).holdsFor('30s');
    const failed = expect(p).rejects.toThrow('value >= 3: holds for 30.0s: unobserved: not observed from +12.3s to +15.1s: kube-apiserver was restarting: value 5');
    const close = fake.openGap(12_300, 'kube-apiserver was restarting');
    close(15_100);
    await failed;
    expect(assertions.at(-1)).toMatchObject({ verdict: 'failed', atMs: 15_100, gaps: [{ fromMs: 12_300, toMs: 15_100, reason: 'kube-apiserver was restarting' }] });
  });

  it('holdsFor with allowGaps passes over a gap it held on both sides of, and shows it', async () => {
    fake.set(0, 5);
    const p = new Expectation(host, 'value >= 3', 'at least 3', atLeast(3)).holdsFor('30s', { allowGaps: true });
    fake.openGap(12_300, 'kube-apiserver was paused')(15_100);
    fake.set(20_000, 6);
    await vi.advanceTimersByTimeAsync(10_000);
    const r = await p;
    expect(r.gaps).toEqual([{ fromMs: 12_300, toMs: 15_100, watches: ['all'], reason: 'kube-apiserver was paused' }]);
    expect(assertions.at(-1)).toMatchObject({ verdict: 'passed', observed: 'value 6; held on both sides of it: not observed from +12.3s to +15.1s: kube-apiserver was paused' });
  });

  it('holdsFor with allowGaps still fails when the window ends inside a gap (no state after it)', async () => {
    fake.set(0, 5);
    const p = new Expectation(host, 'value >= 3', 'at least 3', atLeast(3)).holdsFor('10s', { allowGaps: true });
    const failed = expect(p).rejects.toThrow(/unobserved: not observed from \+8\.0s on \(still unobserved\): etcd was paused/);
    fake.openGap(8000, 'etcd was paused');
    await vi.advanceTimersByTimeAsync(2000);
    await failed;
  });

  it('holdsFor still fails on a break it did observe, gap or not', async () => {
    fake.set(0, 5);
    const p = new Expectation(host, 'value >= 3', 'at least 3', atLeast(3)).holdsFor('30s', { allowGaps: true });
    const failed = expect(p).rejects.toThrow(/holds for 30\.0s, broke after 16\.0s: value 1/);
    fake.openGap(12_300, 'kube-apiserver was restarting')(15_100);
    fake.set(16_000, 1);
    await failed;
  });

  it('within, first seen true right after a gap, says it may have come true at any time since the gap began', async () => {
    fake.set(0, 1);
    const p = new Expectation(host, 'value >= 3', 'at least 3', atLeast(3)).within('60s');
    const close = fake.openGap(12_300, 'kube-apiserver was restarting');
    fake.set(15_000, 4); // the relist after the restart delivers it
    await Promise.resolve();
    close(15_100);
    const r = await p;
    expect(r).toMatchObject({ atMs: 15_000, earliestMs: 12_300 });
    // Judged while the gap was still open (the relist came before the restart's gap closed).
    expect(assertions.at(-1)).toMatchObject({ verdict: 'passed', observed: 'value 4; became true between +12.3s and +15.0s: not observed from +12.3s on (still unobserved): kube-apiserver was restarting' });
  });

  it('within, true on a change seen well after a gap, is dated exactly', async () => {
    fake.set(0, 1);
    const p = new Expectation(host, 'value >= 3', 'at least 3', atLeast(3)).within('60s');
    fake.openGap(12_300, 'kube-apiserver was restarting')(15_100);
    fake.set(20_000, 4);
    const r = await p;
    expect(r.atMs).toBe(20_000);
    expect(r.earliestMs).toBeUndefined();
    expect(assertions.at(-1)!.observed).toBe('value 4');
  });

  it('within stableFor counts only observed time: stability starts again after a gap', async () => {
    fake.set(0, 5);
    const p = new Expectation(host, 'value >= 3', 'at least 3', atLeast(3)).within('60s', { stableFor: '10s' });
    let settled = false;
    void p.then(() => (settled = true), () => (settled = true));
    fake.openGap(2000, 'etcd was paused')(6000);
    await vi.advanceTimersByTimeAsync(5000); // 11 s since it became true, but only 5 s observed since the gap
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(6000);
    expect((await p).atMs).toBe(0);
  });

  it('a within that times out names the gaps it could not see through', async () => {
    fake.set(0, 1);
    const p = new Expectation(host, 'value >= 3', 'at least 3', atLeast(3)).within('20s');
    const failed = expect(p).rejects.toThrow('value >= 3: not reached within 20.0s (not observed from +5.0s to +9.0s: etcd was paused): value 1');
    fake.openGap(5000, 'etcd was paused')(9000);
    await vi.advanceTimersByTimeAsync(11_000);
    await failed;
  });
});
