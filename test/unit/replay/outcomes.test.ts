import { describe, expect, it } from 'vitest';
import { compareOutcomes, type SideOutcomes } from '../../../src/replay/compare-outcomes.js';
import { coverageOutcomes, type CoverageGap } from '../../../src/replay/coverage-outcomes.js';
import { DS_KEY, NS, DS, pod, replacePod, spec, twin } from './fixtures.js';

describe('coverageOutcomes', () => {
  it('gives each node\'s gap from losing its available pod to the next one being available, and whether it was replaced', () => {
    const { gaps } = coverageOutcomes(twin(['w1', 'w2']), replacePod(1000, 'w1', 'agent-w1', 'agent-n1', 4000).map((l) => l as never), DS_KEY, 0, 10_000);
    expect(gaps).toEqual([{ node: 'w1', from: 1000, to: 5000, lostPod: 'agent-w1', regainedPod: 'agent-n1' }]);
  });

  it('counts a pod only after minReadySeconds, even when no change marks that moment', () => {
    const t = twin(['w1'], { ...spec(), minReadySeconds: 10 });
    const { gaps } = coverageOutcomes(t, replacePod(1000, 'w1', 'agent-w1', 'agent-n1', 2000).map((l) => l as never), DS_KEY, 0, 60_000);
    expect(gaps).toEqual([{ node: 'w1', from: 1000, to: 13_000, lostPod: 'agent-w1', regainedPod: 'agent-n1' }]);
  });

  it('ends a gap when its node is removed and leaves one open at the end', () => {
    const { gaps } = coverageOutcomes(twin(['w1', 'w2']), [
      { t: 1000, op: 'put', kind: 'Pod', obj: pod('agent-w1', 'w1', { ready: false }) },
      { t: 2000, op: 'put', kind: 'Pod', obj: pod('agent-w2', 'w2', { ready: false }) },
      { t: 3000, op: 'del', kind: 'Node', name: 'w1' },
    ], DS_KEY, 0, 9000);
    expect(gaps).toEqual([
      { node: 'w1', from: 1000, to: 3000, lostPod: 'agent-w1', removed: true },
      { node: 'w2', from: 2000, lostPod: 'agent-w2' },
    ]);
  });

  it('says how far a rollout got when it is judged', () => {
    const { rollouts } = coverageOutcomes(twin(['w1', 'w2', 'w3']), [
      { t: 500, op: 'put', kind: 'ControllerRevision', obj: { namespace: NS, daemonSet: DS, hash: 'h2', number: 2 } },
      ...replacePod(1000, 'w2', 'agent-w2', 'agent-n2', 100_000, 'h2'),
    ].map((l) => l as never), DS_KEY, 0, 10_000, [9000]);
    expect(rollouts).toEqual([{ at: 9000, revision: 'h2', updated: ['w2'], available: [], eligible: ['w1', 'w2', 'w3'] }]);
  });
});

describe('compareOutcomes', () => {
  const tol = { ms: 2000, ratio: 0.1 };
  const gap = (node: string, from: number, to?: number, replaced = true): CoverageGap => ({ node, from, ...(to !== undefined ? { to } : {}), lostPod: `${node}-a`, ...(to !== undefined ? { regainedPod: replaced ? `${node}-b` : `${node}-a` } : {}) });
  // Groups: w1 tainted at +1s and untainted at +6s, then a bad image at +10s rolled back at +30s.
  const groups = (at: Array<number | undefined>) => [
    { at: at[0], nodes: ['w1'], rollout: false }, { at: at[1], nodes: ['w1'], rollout: false },
    { at: at[2], nodes: [], rollout: true }, { at: at[3], nodes: [], rollout: true },
  ];
  const AS_RECORDED = [1000, 6000, 10_000, 30_000];
  const recorded: SideOutcomes = { gaps: [gap('w1', 1100, 6100), gap('w2', 10_100, 30_200)], rollouts: [], groups: groups(AS_RECORDED) };

  it('passes a replay at 5x whose gaps start after the same causes and last the scaled time', () => {
    // Causes 5x closer together; each effect as far after its cause as recorded (controllers do not speed up).
    const replayed: SideOutcomes = { gaps: [gap('w1', 300, 1350), gap('w2', 2150, 6300)], rollouts: [], groups: groups([200, 1200, 2000, 6000]) };
    const verdicts = compareOutcomes(recorded, replayed, tol);
    expect(verdicts.map((v) => [v.name, v.ok])).toEqual([['w1: coverage as recorded', true], ['w2: coverage as recorded', true]]);
  });

  it('matches a rollout\'s gap on another node: the controller picks nodes in no fixed order', () => {
    const replayed: SideOutcomes = { gaps: [gap('w1', 1100, 6200), gap('w3', 10_150, 30_100)], rollouts: [], groups: groups(AS_RECORDED) };
    expect(compareOutcomes(recorded, replayed, tol).every((v) => v.ok)).toBe(true);
  });

  it('reports per node what diverged: a longer gap, an extra gap, a missing one', () => {
    const replayed: SideOutcomes = {
      gaps: [gap('w1', 1100, 16_100), gap('w2', 10_100, 30_100), gap('w3', 10_100, 30_100)],
      rollouts: [], groups: groups(AS_RECORDED),
    };
    const bad = compareOutcomes(recorded, replayed, tol).filter((v) => !v.ok);
    expect(bad.map((v) => v.divergences)).toEqual([
      ['recorded: w1 uncovered 5.0s; replay: 15.0s'],
      ['recorded: w3 covered throughout; replay: uncovered 20.0s from +10.1s'],
    ]);
    const missing = compareOutcomes(recorded, { ...replayed, gaps: [gap('w1', 1100, 6100)] }, tol).filter((v) => !v.ok);
    expect(missing.map((v) => v.divergences)).toEqual([['recorded: w2 uncovered 20.1s from +10.1s; replay: covered throughout']]);
  });

  it('tells a replaced pod from the same pod coming back, and halted rollouts from complete ones', () => {
    const rollout = (updated: string[], available: string[]) => ({ at: 29_999, updated, available, eligible: ['w1', 'w2', 'w3'] });
    const replayed: SideOutcomes = {
      gaps: [gap('w1', 1100, 6100, false), gap('w2', 10_100, 30_200)], rollouts: [undefined, undefined, rollout(['w1', 'w2', 'w3'], ['w1', 'w2', 'w3'])], groups: groups(AS_RECORDED),
    };
    const verdicts = compareOutcomes({ ...recorded, rollouts: [undefined, undefined, rollout(['w2'], [])] }, replayed, tol);
    expect(verdicts.filter((v) => !v.ok).map((v) => v.divergences[0])).toEqual([
      'recorded: w1 pod replaced; replay: kept',
      'recorded: rollout halted: 1 of 3 nodes updated (w2), 0 available; replay: complete: 3 of 3 nodes updated, 3 available',
    ]);
  });

  it('accepts a gap the recording leaves open (a killed recorder) closing after the recording\'s end, not before', () => {
    const cut: SideOutcomes = { gaps: [gap('w1', 1100)], rollouts: [], groups: groups([1000, undefined, undefined, undefined]), end: 4000 };
    const replayed = (to: number): SideOutcomes => ({ gaps: [gap('w1', 1100, to)], rollouts: [], groups: groups([1000, undefined, undefined, undefined]) });
    expect(compareOutcomes(cut, replayed(6000), tol).every((v) => v.ok)).toBe(true);
    expect(compareOutcomes(cut, replayed(1500), tol).filter((v) => !v.ok).map((v) => v.divergences)).toEqual([['recorded: w1 uncovered until the end; replay: w1 uncovered 400ms']]);
  });

  it('leaves out gaps whose cause the replay never reached, and short blips on one side only', () => {
    const replayed: SideOutcomes = { gaps: [gap('w1', 1100, 6100), gap('w3', 12_000, 12_500)], rollouts: [], groups: groups([1000, 6000, undefined, undefined]) };
    expect(compareOutcomes(recorded, replayed, tol).filter((v) => !v.ok)).toEqual([]);
  });
});
