import { describe, expect, it } from 'vitest';
import type { V1Pod } from '@kubernetes/client-node';
import { expectedStatus, judgeCoverage, type ClusterSnapshot } from '../../../src/expect/index.js';
import { daemonSet, healthySnapshot, healthyStatus, node, NOW, pod, revision, snapshot } from './fixtures.js';

// Makes the DaemonSet status agree with the pods, so only the rule under test can fail.
function consistent(s: ClusterSnapshot): ClusterSnapshot {
  s.daemonSet.status = { ...s.daemonSet.status, ...expectedStatus(s) };
  return s;
}
const withPods = (pods: V1Pod[]) => { const s = healthySnapshot(); s.pods = pods; return consistent(s); };

describe('judgeCoverage', () => {
  it('passes on a healthy snapshot', () => {
    const j = judgeCoverage(healthySnapshot());
    expect(j).toMatchObject({ ok: true, summary: '3/3 nodes covered', problems: [] });
    expect(j.nodes).toEqual([1, 2, 3].map((i) => ({
      node: `worker-${i}`, expected: '1 available pod of revision 1', observed: `pod log-agent-p${i} Running, Ready (revision 1)`, ok: true,
    })));
  });

  it('fails when a node has no pod', () => {
    const j = judgeCoverage(withPods([pod('log-agent-p1', { node: 'worker-1' }), pod('log-agent-p3', { node: 'worker-3' })]));
    expect(j.ok).toBe(false);
    expect(j.summary).toBe('2/3 nodes covered; worker-2: no daemon pod');
    expect(j.problems).toEqual(['worker-2: expected 1 available pod of revision 1, observed no daemon pod']);
  });

  it('fails when a node has two pods', () => {
    const j = judgeCoverage(withPods([
      pod('log-agent-p1', { node: 'worker-1' }), pod('log-agent-p2', { node: 'worker-2' }),
      pod('log-agent-p3', { node: 'worker-3' }), pod('log-agent-p4', { node: 'worker-3', createdSecondsAgo: 5 }),
    ]));
    expect(j.summary).toBe('2/3 nodes covered; worker-3: 2 daemon pods: pod log-agent-p3 Running, Ready (revision 1); pod log-agent-p4 Running, Ready (revision 1)');
    expect(j.problems).toHaveLength(1);
  });

  it('fails on a terminating pod, even beside a good one', () => {
    const alone = judgeCoverage(withPods([
      pod('log-agent-p1', { node: 'worker-1' }), pod('log-agent-p2', { node: 'worker-2', terminating: true }), pod('log-agent-p3', { node: 'worker-3' }),
    ]));
    expect(alone.summary).toBe('2/3 nodes covered; worker-2: pod log-agent-p2 Terminating');
    const beside = judgeCoverage(withPods([
      pod('log-agent-p1', { node: 'worker-1' }), pod('log-agent-p2', { node: 'worker-2' }), pod('log-agent-p3', { node: 'worker-3' }),
      pod('log-agent-old', { node: 'worker-2', terminating: true, createdSecondsAgo: 2000 }),
    ]));
    expect(beside.ok).toBe(false);
    expect(beside.summary).toMatch(/^2\/3 nodes covered; worker-2: 2 daemon pods: pod log-agent-old Terminating; /);
  });

  it('fails on a pod of an old revision', () => {
    const s = healthySnapshot();
    s.revisions = [revision('h1', 1), revision('h2', 2)];
    s.pods = [pod('log-agent-p1', { node: 'worker-1', hash: 'h2' }), pod('log-agent-p2', { node: 'worker-2', hash: 'h1' }), pod('log-agent-p3', { node: 'worker-3', hash: 'h2' })];
    const j = judgeCoverage(consistent(s));
    expect(j.summary).toBe('2/3 nodes covered; worker-2: pod log-agent-p2 Running, Ready (revision 1)');
    expect(j.problems).toEqual(['worker-2: expected 1 available pod of revision 2, observed pod log-agent-p2 Running, Ready (revision 1)']);
  });

  it('fails on a pod that is not ready', () => {
    const j = judgeCoverage(withPods([
      pod('log-agent-p1', { node: 'worker-1' }), pod('log-agent-x7k2p', { node: 'worker-2', waiting: 'ImagePullBackOff' }), pod('log-agent-p3', { node: 'worker-3' }),
    ]));
    expect(j.summary).toBe('2/3 nodes covered; worker-2: pod log-agent-x7k2p ImagePullBackOff (revision 1)');
  });

  it('fails on a pod on an ineligible node, unless misscheduled pods are allowed on a NoSchedule node', () => {
    const s = healthySnapshot({ nodeSelector: { role: 'log' } });
    s.nodes = [node('worker-1', { labels: { role: 'log' } }), node('worker-2', { labels: { role: 'log' } }), node('infra', { taints: [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }], labels: { role: 'log' } }), node('db')];
    s.pods = [pod('p1', { node: 'worker-1' }), pod('p2', { node: 'worker-2' }), pod('p3', { node: 'infra' }), pod('p4', { node: 'db' })];
    consistent(s);
    const j = judgeCoverage(s);
    expect(j.ok).toBe(false);
    expect(j.summary).toBe('2/2 nodes covered; infra: pod p3 Running, Ready (revision 1)');
    expect(j.problems).toEqual([
      'infra: expected no daemon pod (taint dedicated=infra:NoSchedule not tolerated), observed pod p3 Running, Ready (revision 1)',
      'db: expected no daemon pod (nodeSelector role=log does not match), observed pod p4 Running, Ready (revision 1)',
    ]);
    const allowed = judgeCoverage(s, { allowMisscheduled: true });
    expect(allowed.problems).toEqual([j.problems[1]]); // the nodeSelector miss is never allowed
    s.pods.pop(); consistent(s);
    expect(judgeCoverage(s, { allowMisscheduled: true }).ok).toBe(true);
  });

  it('fails on a pod whose node no longer exists', () => {
    const j = judgeCoverage(withPods([
      pod('log-agent-p1', { node: 'worker-1' }), pod('log-agent-p2', { node: 'worker-2' }), pod('log-agent-p3', { node: 'worker-3' }), pod('ghost', { node: 'worker-9' }),
    ]));
    expect(j.problems).toEqual(['worker-9: node does not exist, observed pod ghost Running, Ready (revision 1)']);
  });

  it('fails when no node should run the daemon, unless allowEmpty', () => {
    const s = consistent(snapshot(daemonSet({ nodeSelector: { role: 'none' } }), [node('w1')], []));
    const j = judgeCoverage(s);
    expect(j.ok).toBe(false);
    expect(j.summary).toBe('0/0 nodes covered; no node should run the daemon (desiredNumberScheduled 0)');
    expect(judgeCoverage(s, { allowEmpty: true }).ok).toBe(true);
  });

  it('fails while the controller has not observed the latest generation', () => {
    const s = healthySnapshot({ generation: 2, observedGeneration: 1 });
    s.daemonSet.status!.observedGeneration = 1;
    const j = judgeCoverage(s);
    expect(j.ok).toBe(false);
    expect(j.problems).toEqual(['status.observedGeneration is 1, metadata.generation is 2: the controller has not seen the latest spec']);
  });

  it('fails when a status counter disagrees with the pods, and treats a missing field as 0', () => {
    const s = healthySnapshot({ status: { ...healthyStatus(3), numberAvailable: 2 } });
    expect(judgeCoverage(s).problems).toEqual(['status.numberAvailable is 2, pods show 3']);
    delete (s.daemonSet.status as { numberReady?: number }).numberReady;
    s.daemonSet.status!.numberAvailable = 3;
    expect(judgeCoverage(s).problems).toEqual(['status.numberReady is 0, pods show 3']);
    const stale = healthySnapshot({ status: { ...healthyStatus(3), numberAvailable: 3 } });
    stale.pods = stale.pods.slice(0, 2);
    expect(judgeCoverage(stale).problems).toEqual([
      'worker-3: expected 1 available pod of revision 1, observed no daemon pod',
      'status.currentNumberScheduled is 3, pods show 2', 'status.numberReady is 3, pods show 2',
      'status.updatedNumberScheduled is 3, pods show 2', 'status.numberAvailable is 3, pods show 2',
      'status.numberUnavailable is 0, pods show 1',
    ]);
  });

  it('fails until minReadySeconds have passed (injected now)', () => {
    const s = healthySnapshot({ minReadySeconds: 60 });
    s.pods[1] = pod('log-agent-p2', { node: 'worker-2', readyForSeconds: 20 });
    s.daemonSet.status = { ...healthyStatus(3), numberAvailable: 2, numberUnavailable: 1 };
    const early = judgeCoverage(s);
    expect(early.summary).toBe('2/3 nodes covered; worker-2: pod log-agent-p2 Running, Ready < minReadySeconds 60 (revision 1)');
    expect(early.problems).toHaveLength(1);
    const later = { ...s, now: NOW + 40_000 };
    later.daemonSet = { ...s.daemonSet, status: healthyStatus(3) };
    expect(judgeCoverage(later).ok).toBe(true);
  });

  it('a NotReady node leaves desired: its pod is misscheduled', () => {
    const s = healthySnapshot();
    s.nodes[2] = node('worker-3', { ready: false });
    s.daemonSet.status = { ...healthyStatus(2), currentNumberScheduled: 2, numberMisscheduled: 1 };
    expect(judgeCoverage(s).problems).toEqual([
      'worker-3: expected no daemon pod (taint node.kubernetes.io/not-ready:NoSchedule not tolerated), observed pod log-agent-p3 Running, Ready (revision 1)',
    ]);
    expect(judgeCoverage(s, { allowMisscheduled: true })).toMatchObject({ ok: true, summary: '2/2 nodes covered' });
  });

  it('fails without any ControllerRevision', () => {
    const s = healthySnapshot(); s.revisions = [];
    s.daemonSet.status!.updatedNumberScheduled = 0;
    const j = judgeCoverage(s);
    expect(j.problems).toContain('no ControllerRevision owned by the DaemonSet: current revision unknown');
    expect(j.ok).toBe(false);
  });
});
