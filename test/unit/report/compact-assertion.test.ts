// report.json keeps the nodes that did not match and counts the others.
import { describe, expect, it } from 'vitest';
import { compactAssertion, type AssertionReport } from '../../../src/report/report-model.js';

describe('compactAssertion', () => {
  const node = (i: number, ok: boolean) => ({ node: `w${i}`, expected: 'one pod', observed: ok ? 'pod Running' : 'no daemon pod', ok });
  const a = (nodes: AssertionReport['nodes']): AssertionReport => ({ name: 'coverage', verdict: 'failed', expected: 'x', observed: 'y', atMs: 1, nodes, problems: [] });

  it('keeps the nodes that did not match, in order, and counts the rest', () => {
    const c = compactAssertion(a([node(1, true), node(2, false), node(3, true), node(4, false)]));
    expect(c.nodes.map((n) => n.node)).toEqual(['w2', 'w4']);
    expect(c.nodesOk).toBe(2);
  });

  it('leaves an assertion without matching nodes as it was', () => {
    const orig = a([node(1, false)]);
    expect(compactAssertion(orig)).toBe(orig);
    expect(compactAssertion(a([])).nodesOk).toBeUndefined();
  });
});
