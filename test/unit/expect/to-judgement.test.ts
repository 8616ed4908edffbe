import { describe, expect, it } from 'vitest';
import { judgement, toJudgement } from '../../../src/expect/index.js';

describe('toJudgement (what a custom judge returned)', () => {
  it('true passes, false fails', () => {
    expect(toJudgement(true, 'x')).toEqual({ ok: true, summary: 'holds', nodes: [], problems: [] });
    expect(toJudgement(false, 'x')).toEqual({ ok: false, summary: 'does not hold', nodes: [], problems: ['does not hold'] });
  });

  it('a string fails and says why', () => {
    expect(toJudgement('2 pods on worker-1', 'x')).toEqual({ ok: false, summary: '2 pods on worker-1', nodes: [], problems: ['2 pods on worker-1'] });
  });

  it('a Judgement is kept as it is, per-node detail included', () => {
    const j = judgement('1/2 nodes', [{ node: 'w1', expected: 'a pod', observed: 'none', ok: false }], ['w1: none']);
    expect(toJudgement(j, 'x')).toBe(j);
  });

  it('a judge that forgot to return fails, so it can never pass by accident', () => {
    expect(toJudgement(undefined, 'my check')).toEqual(expect.objectContaining({ ok: false, summary: 'the judge of "my check" returned nothing; return true, false, a failure message or a Judgement' }));
    expect(toJudgement(1, 'my check').ok).toBe(false);
  });
});
