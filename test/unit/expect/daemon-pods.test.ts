import { describe, expect, it } from 'vitest';
import {
  currentRevision, daemonPodsByNode, describePod, expectedStatus, isPodAvailable, isPodReady, isPodUpdated,
  isTerminating, podRevisionHash, revisionNumberOf,
} from '../../../src/expect/index.js';
import { daemonSet, node, NOW, pod, revision, snapshot } from './fixtures.js';

describe('pod facts', () => {
  it('isPodReady reads the Ready condition', () => {
    expect(isPodReady(pod('a'))).toBe(true);
    expect(isPodReady(pod('a', { ready: false }))).toBe(false);
    const none = pod('a'); none.status!.conditions = [];
    expect(isPodReady(none)).toBe(false);
  });

  it('isPodAvailable needs Ready for minReadySeconds, measured against the injected now', () => {
    const p = pod('a', { readyForSeconds: 5 });
    expect(isPodAvailable(p, 0, NOW)).toBe(true);
    expect(isPodAvailable(p, 10, NOW)).toBe(false);
    expect(isPodAvailable(p, 5, NOW)).toBe(true); // exactly minReadySeconds counts
    expect(isPodAvailable(p, 10, NOW + 5000)).toBe(true);
    expect(isPodAvailable(pod('b', { ready: false }), 0, NOW)).toBe(false);
    const noTime = pod('c'); delete noTime.status!.conditions![0]!.lastTransitionTime;
    expect(isPodAvailable(noTime, 1, NOW)).toBe(false);
  });

  it('accepts RFC 3339 strings where the client would give Dates', () => {
    const p = pod('a');
    (p.status!.conditions![0] as { lastTransitionTime: unknown }).lastTransitionTime = new Date(NOW - 3000).toISOString();
    expect(isPodAvailable(p, 3, NOW)).toBe(true);
    expect(isPodAvailable(p, 4, NOW)).toBe(false);
  });

  it('isTerminating and podRevisionHash', () => {
    expect(isTerminating(pod('a', { terminating: true }))).toBe(true);
    expect(isTerminating(pod('a'))).toBe(false);
    expect(podRevisionHash(pod('a', { hash: 'abc' }))).toBe('abc');
  });

  it('isPodUpdated matches the hash, or the legacy template generation', () => {
    const ds = daemonSet();
    expect(isPodUpdated(pod('a', { hash: 'h2' }), 'h2', ds)).toBe(true);
    expect(isPodUpdated(pod('a', { hash: 'h1' }), 'h2', ds)).toBe(false);
    ds.metadata!.annotations = { 'deprecated.daemonset.template.generation': '3' };
    const legacy = pod('a', { hash: 'h1' }); legacy.metadata!.labels!['pod-template-generation'] = '3';
    expect(isPodUpdated(legacy, 'h2', ds)).toBe(true);
  });
});

describe('daemonPodsByNode', () => {
  it('groups own pods by node, oldest first, by owner uid', () => {
    const s = snapshot(daemonSet(), [node('w1'), node('w2')], [
      pod('young', { node: 'w1', createdSecondsAgo: 10 }),
      pod('old', { node: 'w1', createdSecondsAgo: 100 }),
      pod('other', { node: 'w2', owner: 'other' }),
      pod('b-same-age', { node: 'w2', createdSecondsAgo: 50 }),
      pod('a-same-age', { node: 'w2', createdSecondsAgo: 50 }),
    ]);
    const m = daemonPodsByNode(s);
    expect(m.get('w1')?.map((p) => p.metadata?.name)).toEqual(['old', 'young']);
    expect(m.get('w2')?.map((p) => p.metadata?.name)).toEqual(['a-same-age', 'b-same-age']);
  });

  it('falls back to the selector when the DaemonSet has no uid, and adopts matching orphans', () => {
    const orphan = pod('orphan', { node: 'w1', owner: 'none' });
    const stranger = pod('stranger', { node: 'w1', owner: 'none', dsName: 'other-app' });
    const s = snapshot(daemonSet({ uid: null }), [node('w1')], [pod('mine', { node: 'w1' }), orphan, stranger, pod('theirs', { node: 'w1', owner: 'other' })]);
    expect(daemonPodsByNode(s).get('w1')?.map((p) => p.metadata?.name).sort()).toEqual(['mine', 'orphan']);
  });

  it('finds unscheduled pods by their matchFields affinity, and drops deleted terminal pods', () => {
    const pending = pod('pending', { phase: 'Pending', ready: false, createdSecondsAgo: 2000 });
    pending.spec!.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['w1'] }] }] } } };
    const gone = pod('gone', { node: 'w1', phase: 'Failed', terminating: true });
    const leaving = pod('leaving', { node: 'w1', terminating: true });
    const m = daemonPodsByNode(snapshot(daemonSet(), [node('w1')], [pending, gone, leaving]));
    expect(m.get('w1')?.map((p) => p.metadata?.name)).toEqual(['leaving', 'pending']); // scheduled pods sort first
  });

  it('keeps a Failed pod that is not yet deleted (the controller deletes and recreates it)', () => {
    const failed = pod('failed', { node: 'w1', phase: 'Failed', ready: false });
    expect(daemonPodsByNode(snapshot(daemonSet(), [node('w1')], [failed])).get('w1')?.map((p) => p.metadata?.name)).toEqual(['failed']);
  });

  it('does not adopt an orphan that is being deleted', () => {
    const s = snapshot(daemonSet(), [node('w1')], [pod('orphan', { node: 'w1', owner: 'none', terminating: true })]);
    expect(daemonPodsByNode(s).get('w1')).toBeUndefined();
  });
});

describe('revisions', () => {
  it('currentRevision is the owned revision with the highest .revision', () => {
    const foreign = revision('zz', 9); foreign.metadata!.ownerReferences![0]!.uid = 'other';
    const s = snapshot(daemonSet(), [], [], [revision('h1', 1), revision('h3', 3), revision('h2', 2), foreign]);
    expect(currentRevision(s)).toMatchObject({ hash: 'h3', number: 3 });
    expect(currentRevision(snapshot(daemonSet(), [], [], []))).toBeUndefined();
  });

  it('takes the hash from the name when the label is missing', () => {
    const r = revision('5d8f7c', 4); delete r.metadata!.labels!['controller-revision-hash'];
    expect(currentRevision(snapshot(daemonSet(), [], [], [r]))?.hash).toBe('5d8f7c');
  });

  it('revisionNumberOf finds the number for a hash', () => {
    const revs = [revision('h1', 1), revision('h2', 5)];
    expect(revisionNumberOf('h2', revs)).toBe(5);
    expect(revisionNumberOf('nope', revs)).toBeUndefined();
    expect(revisionNumberOf(undefined, revs)).toBeUndefined();
  });
});

describe('describePod', () => {
  const s = snapshot(daemonSet({ minReadySeconds: 30 }), [], [], [revision('h1', 1), revision('h2', 2), revision('h3', 3)]);
  it.each([
    [pod('log-agent-x7k2p', { hash: 'h2', waiting: 'ImagePullBackOff' }), 'pod log-agent-x7k2p ImagePullBackOff (revision 2)'],
    [pod('log-agent-abcde', { hash: 'h1' }), 'pod log-agent-abcde Running, Ready (revision 1)'],
    [pod('x', { terminating: true }), 'pod x Terminating'],
    [pod('x', { hash: 'h3', waiting: 'CrashLoopBackOff' }), 'pod x CrashLoopBackOff (revision 3)'],
    [pod('x', { hash: 'h2', ready: false }), 'pod x Running, not Ready (revision 2)'],
    [pod('x', { hash: 'h2', readyForSeconds: 3 }), 'pod x Running, Ready < minReadySeconds 30 (revision 2)'],
    [pod('x', { hash: 'h9' }), 'pod x Running, Ready (unknown revision h9)'],
  ])('%#: %s', (p, want) => expect(describePod(p, s)).toBe(want));
});

describe('expectedStatus (updateDaemonSetStatus)', () => {
  it('counts per node with the oldest pod deciding, misscheduled on tainted nodes, pods on unknown nodes ignored', () => {
    const nodes = [
      node('ok'), node('old'), node('two'), node('empty'), node('notready-oldest'), node('tainted', { taints: [{ key: 'x', effect: 'NoSchedule' }] }),
      node('unready', { ready: false }),
    ];
    const pods = [
      pod('a', { node: 'ok', hash: 'h2' }),
      pod('b', { node: 'old', hash: 'h1' }),
      pod('c-old', { node: 'two', hash: 'h1', createdSecondsAgo: 500 }), pod('c-new', { node: 'two', hash: 'h2', createdSecondsAgo: 5 }),
      pod('d', { node: 'notready-oldest', hash: 'h2', ready: false, createdSecondsAgo: 500 }), pod('d2', { node: 'notready-oldest', hash: 'h2', createdSecondsAgo: 5 }),
      pod('e', { node: 'tainted', hash: 'h2' }),
      pod('f', { node: 'unready', hash: 'h2' }),
      pod('g', { node: 'deleted-node', hash: 'h2' }),
      pod('h', { node: 'ok', hash: 'h2', owner: 'other' }),
    ];
    const s = snapshot(daemonSet(), nodes, pods, [revision('h1', 1), revision('h2', 2)]);
    expect(expectedStatus(s)).toEqual({
      desiredNumberScheduled: 5, currentNumberScheduled: 4, numberMisscheduled: 2, numberReady: 3,
      updatedNumberScheduled: 2, numberAvailable: 3, numberUnavailable: 2,
    });
  });

  it('a Ready pod short of minReadySeconds is ready but not available', () => {
    const s = snapshot(daemonSet({ minReadySeconds: 60 }), [node('w')], [pod('a', { node: 'w', readyForSeconds: 30 })]);
    expect(expectedStatus(s)).toMatchObject({ numberReady: 1, numberAvailable: 0, numberUnavailable: 1 });
    expect(expectedStatus({ ...s, now: NOW + 30_000 })).toMatchObject({ numberReady: 1, numberAvailable: 1, numberUnavailable: 0 });
  });
});

describe('describePod for an unschedulable pod', () => {
  it('says why the scheduler would not place it', async () => {
    const { describePod } = await import('../../../src/expect/daemon-pods.js');
    const pod = {
      metadata: { name: 'exporter-abc' },
      spec: { nodeName: undefined },
      status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: "0/3 nodes are available: 1 node(s) didn't have free ports for the requested pod ports. preemption: 0/3 nodes are available" }] },
    };
    const snapshot = { daemonSet: { spec: {} }, nodes: [], pods: [], revisions: [], now: 0 };
    expect(describePod(pod as never, snapshot as never)).toBe("pod exporter-abc Pending: Unschedulable (0/3 nodes are available: 1 node(s) didn't have free ports for the requested pod ports.)");
  });
});
