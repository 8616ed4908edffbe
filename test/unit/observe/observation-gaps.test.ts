// The rules for claims whose window spans a gap in the recording, on plain data.
import { describe, expect, it } from 'vitest';
import { describeGaps, earliestPossible, gapsWithin, judgeGaps, mergeGaps, type ObservationGap } from '../../../src/observe/observation-gaps.js';

const restart: ObservationGap = { fromMs: 12_300, toMs: 15_100, watches: ['all'], reason: 'kube-apiserver was restarting' };

describe('observation gaps', () => {
  it('a gap overlaps a window when they share time; touching ends do not', () => {
    expect(gapsWithin([restart], 10_000, 20_000)).toEqual([restart]);
    expect(gapsWithin([restart], 13_000, 14_000)).toEqual([restart]);
    expect(gapsWithin([restart], 15_100, 20_000)).toEqual([]);
    expect(gapsWithin([restart], 0, 12_300)).toEqual([]);
    // An open gap lasts until whenever the window ends.
    expect(gapsWithin([{ ...restart, toMs: undefined }], 90_000, 95_000)).toHaveLength(1);
  });

  it('says what was not observed, when and why', () => {
    expect(describeGaps([restart])).toBe('not observed from +12.3s to +15.1s: kube-apiserver was restarting');
    expect(describeGaps([{ ...restart, toMs: undefined }])).toBe('not observed from +12.3s on (still unobserved): kube-apiserver was restarting');
  });

  it('merges a watch relisted during a restart into the restart, keeping both reasons and every watch', () => {
    const relist: ObservationGap = { fromMs: 12_500, toMs: 15_400, watches: ['Pod'], reason: 'watch of Pod expired (410 Gone): relisted' };
    const later: ObservationGap = { fromMs: 40_000, toMs: 41_000, watches: ['Node'], reason: 'watch of Node cut' };
    expect(mergeGaps([later, relist, restart])).toEqual([
      { fromMs: 12_300, toMs: 15_400, watches: ['all', 'Pod'], reason: 'kube-apiserver was restarting; watch of Pod expired (410 Gone): relisted' },
      later,
    ]);
  });

  it('a "stays true" claim over a gap is unobserved by default', () => {
    expect(judgeGaps([restart], 10_000, 40_000)).toEqual({ unobserved: [restart], accepted: [] });
    expect(judgeGaps([restart], 20_000, 40_000)).toEqual({ unobserved: [], accepted: [] });
  });

  it('with allowGaps, a gap is accepted only when the window saw both of its sides', () => {
    expect(judgeGaps([restart], 10_000, 40_000, { allowGaps: true })).toEqual({ unobserved: [], accepted: [restart] });
    // The window opened inside the gap: no state before it was observed.
    expect(judgeGaps([restart], 13_000, 40_000, { allowGaps: true }).unobserved).toEqual([restart]);
    // The window closed inside the gap, or the gap is still open: no state after it.
    expect(judgeGaps([restart], 10_000, 14_000, { allowGaps: true }).unobserved).toEqual([restart]);
    expect(judgeGaps([{ ...restart, toMs: undefined }], 10_000, 40_000, { allowGaps: true }).unobserved).toHaveLength(1);
  });

  it('an "eventually" claim first seen inside a gap may have come true since the gap began, through chained gaps', () => {
    expect(earliestPossible([restart], 15_000)).toBe(12_300);
    expect(earliestPossible([restart], 15_100)).toBe(12_300);
    expect(earliestPossible([restart], 16_000)).toBe(16_000);
    expect(earliestPossible([restart], 12_300)).toBe(12_300);
    const before: ObservationGap = { fromMs: 11_000, toMs: 12_800, watches: ['Node'], reason: 'watch of Node cut' };
    expect(earliestPossible([restart, before], 14_000)).toBe(11_000);
  });
});
