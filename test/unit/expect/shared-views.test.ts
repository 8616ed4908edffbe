// Judging at scale shares work between judges of one recorder state: frozen lists share one view,
// and eligibility is remembered per node object. Sharing must never return a stale verdict.
import { describe, expect, it } from 'vitest';
import type { ClusterSnapshot } from '../../../src/expect/index.js';
import { judgeCoverage, nodeShouldRunDaemonPod } from '../../../src/expect/index.js';
import { viewOf } from '../../../src/expect/status-counts.js';
import { daemonSet, healthySnapshot, node } from './fixtures.js';

function frozen(s: ClusterSnapshot): ClusterSnapshot {
  return { ...s, nodes: Object.freeze([...s.nodes]) as never, pods: Object.freeze([...s.pods]) as never, revisions: Object.freeze([...s.revisions]) as never };
}

describe('shared views and remembered eligibility', () => {
  it('gives two judges of the same frozen lists one view, and a new view once a list is replaced', () => {
    const s = frozen(healthySnapshot());
    expect(viewOf({ ...s, now: s.now + 1000 })).toBe(viewOf(s));
    const tainted = frozen({ ...s, nodes: s.nodes.map((n, i) => (i === 0 ? node(n.metadata!.name!, { taints: [{ key: 'gpu', effect: 'NoExecute' }] }) : n)) });
    expect(viewOf(tainted)).not.toBe(viewOf(s));
    expect(judgeCoverage(s).ok).toBe(true);
    expect(judgeCoverage(tainted).ok).toBe(false);
    expect(judgeCoverage(tainted).problems[0]).toMatch(/expected no daemon pod \(taint gpu:NoExecute not tolerated\)/);
  });

  it('never shares a view of lists that can still change', () => {
    const s = healthySnapshot();
    const before = judgeCoverage(s);
    s.pods.pop();
    expect(before.ok).toBe(true);
    expect(judgeCoverage(s).ok).toBe(false);
  });

  it('remembers eligibility per node object and per the DaemonSet fields it reads', () => {
    const n = node('worker-1', { taints: [{ key: 'gpu', effect: 'NoSchedule' }] });
    const plain = daemonSet();
    const tolerant = daemonSet({ tolerations: [{ key: 'gpu', operator: 'Exists' }] });
    expect(nodeShouldRunDaemonPod(n, plain).shouldRun).toBe(false);
    expect(nodeShouldRunDaemonPod(n, tolerant).shouldRun).toBe(true);
    // Same uid and generation, other tolerations: still judged by what the spec says.
    expect(nodeShouldRunDaemonPod(n, plain)).toBe(nodeShouldRunDaemonPod(n, daemonSet()));
  });
});
