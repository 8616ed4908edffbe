// report.json keeps the nodes that did not match and counts the others.
import { describe, expect, it } from 'vitest';
import { compactAssertion, type AssertionReport } from '../../../src/report/report-model.js';

describe('compactAssertion', () => {
  const node = (i: number, ok: boolean) => ({ node: `w${i}`, expected: 'one pod', observed: ok ? 'pod Running' : 'no daemon pod', ok });
  const a = (nodes: AssertionReport['nodes']): AssertionReport => ({ name: 'coverage', verdict: 'failed', expected: 'x', observed: 'y', atMs: 1, nodes, problems: [] });

  it('above 100 nodes, keeps the nodes that did not match, in order, and counts the rest', () => {
    const c = compactAssertion(a(Array.from({ length: 101 }, (_, i) => node(i, i !== 7 && i !== 90))));
    expect(c.nodes.map((n) => n.node)).toEqual(['w7', 'w90']);
    expect(c.nodesOk).toBe(99);
  });

  it('up to 100 nodes, keeps them all (rehearse reads the matching ones)', () => {
    const small = a([node(1, true), node(2, false)]);
    expect(compactAssertion(small)).toBe(small);
  });

  it('leaves an assertion without matching nodes as it was', () => {
    const orig = a(Array.from({ length: 101 }, (_, i) => node(i, false)));
    expect(compactAssertion(orig)).toBe(orig);
    expect(compactAssertion(a([])).nodesOk).toBeUndefined();
  });
});
