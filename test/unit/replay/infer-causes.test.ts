import { describe, expect, it } from 'vitest';
import type { ChangeLine } from '../../../src/recording/recording-model.js';
import { inferCauses } from '../../../src/replay/infer-causes.js';
import { classifyPodLoss, type PodLoss } from '../../../src/replay/pod-disruption.js';
import { DS, DS_KEY, NS, node, pod, recording, replacePod, spec, twin } from './fixtures.js';

const NODES = ['w1', 'w2', 'w3'];
const kinds = (lines: ChangeLine[]) => inferCauses(recording(twin(NODES), lines), DS_KEY).map((c) => `${c.kind}${'node' in c ? ` ${c.node}` : ''}`);

describe('inferCauses: nodes', () => {
  it('finds labels, taints and cordons set by someone, and ignores what controllers and providers set', () => {
    const causes = inferCauses(recording(twin(NODES), [
      { t: 1000, op: 'put', kind: 'Node', obj: node('w1', { labels: { 'kubernetes.io/hostname': 'w1', pool: 'edge', 'rollcall.dev/failed': 'not-ready' } }) },
      { t: 2000, op: 'put', kind: 'Node', obj: node('w2', { taints: [{ key: 'dedicated', value: 'edge', effect: 'NoExecute' }, { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }] }) },
      { t: 3000, op: 'put', kind: 'Node', obj: node('w3', { unschedulable: true, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] }) },
      { t: 4000, op: 'put', kind: 'Node', obj: node('w2', { taints: [] }) },
    ]), DS_KEY);
    expect(causes).toMatchObject([
      { kind: 'node.label', node: 'w1', set: { pool: 'edge' }, removed: [] },
      { kind: 'node.taint', node: 'w2', taint: { key: 'dedicated', value: 'edge', effect: 'NoExecute' } },
      { kind: 'node.cordon', node: 'w3' },
      { kind: 'node.untaint', node: 'w2', key: 'dedicated', effect: 'NoExecute' },
    ]);
    expect(causes).toHaveLength(4);
  });

  it('counts Ready flips away from True as failures and back to True as recoveries, but not a new node turning Ready', () => {
    expect(kinds([
      { t: 1000, op: 'put', kind: 'Node', obj: node('w1', { conditions: { Ready: 'Unknown' } }) },
      { t: 5000, op: 'put', kind: 'Node', obj: node('w1', { conditions: { Ready: 'True' } }) },
      { t: 6000, op: 'put', kind: 'Node', obj: node('w4', { conditions: { Ready: 'False' } }) },
      { t: 7000, op: 'put', kind: 'Node', obj: node('w4', { conditions: { Ready: 'True' } }) },
      { t: 8000, op: 'del', kind: 'Node', name: 'w2' },
    ])).toEqual(['node.fail w1', 'node.recover w1', 'node.add w4', 'node.remove w2']);
  });
});

describe('inferCauses: the DaemonSet', () => {
  it('tells an image change whose pods fail to pull from a rollback to the previous template', () => {
    const causes = inferCauses(recording(twin(NODES), [
      { t: 1000, op: 'put', kind: 'DaemonSet', obj: { namespace: NS, name: DS, generation: 2, spec: spec('agent:broken') } },
      { t: 1100, op: 'put', kind: 'Pod', obj: pod('agent-x', 'w1', { revisionHash: 'h2', phase: 'Pending', ready: false, reason: 'ImagePullBackOff' }) },
      { t: 9000, op: 'put', kind: 'DaemonSet', obj: { namespace: NS, name: DS, generation: 3, spec: spec('agent:1') } },
    ]), DS_KEY);
    expect(causes).toMatchObject([
      { kind: 'ds.image', images: [{ container: 'main', image: 'agent:broken' }], bad: 'pull-error' },
      { kind: 'ds.rollback', revision: 1, previous: true },
    ]);
  });

  it('keeps a working image as set-image and other spec changes as a patch', () => {
    const causes = inferCauses(recording(twin(NODES), [
      { t: 1000, op: 'put', kind: 'DaemonSet', obj: { namespace: NS, name: DS, generation: 2, spec: spec('agent:2') } },
      { t: 1100, op: 'put', kind: 'Pod', obj: pod('agent-x', 'w1', { revisionHash: 'h2' }) },
      { t: 5000, op: 'put', kind: 'DaemonSet', obj: { namespace: NS, name: DS, generation: 3, spec: spec('agent:2', 3) } },
    ]), DS_KEY);
    expect(causes).toMatchObject([
      { kind: 'ds.image', images: [{ image: 'agent:2' }] },
      { kind: 'ds.patch', fields: ['updateStrategy.rollingUpdate.maxUnavailable'], patch: { updateStrategy: { rollingUpdate: { maxUnavailable: 3 } } } },
    ]);
    expect(causes[0]).not.toHaveProperty('bad');
  });
});

describe('inferCauses: pods', () => {
  it('replays a current pod deleted behind the controller\'s back, not the controller\'s own deletions', () => {
    expect(kinds([
      ...replacePod(1000, 'w1', 'agent-w1', 'agent-n1', 500),
      // The DaemonSet controller reports its own deletions.
      { t: 3000, op: 'put', kind: 'Event', obj: { namespace: NS, name: 'e1', type: 'Normal', reason: 'SuccessfulDelete', message: 'Deleted pod: agent-w2', object: { kind: 'DaemonSet', name: DS, namespace: NS }, count: 1 } },
      ...replacePod(3000, 'w2', 'agent-w2', 'agent-n2', 500),
    ])).toEqual(['pod.delete w1']);
  });

  it('reads an eviction from the DisruptionTarget reason', () => {
    expect(kinds([{ t: 1000, op: 'put', kind: 'Pod', obj: pod('agent-w3', 'w3', { terminating: true, disruption: 'EvictionByEvictionAPI' }) }])).toEqual(['pod.evict w3']);
  });
});

describe('classifyPodLoss', () => {
  const loss = (extra: Partial<PodLoss> = {}, podExtra = {}): PodLoss => ({
    t: 1000, pod: pod('agent-w1', 'w1', podExtra), node: node('w1'), daemonSet: { namespace: NS, name: DS, generation: 1, spec: spec() },
    currentHash: 'h1', siblings: 0, ...extra,
  });

  it.each([
    ['an older revision during a rollout', loss({ currentHash: 'h2' }), /older revision/],
    ['a failed pod', loss({}, { phase: 'Failed' }), /failed/],
    ['a node gone', loss({ node: undefined }), /node was gone/],
    ['a NoExecute taint it does not tolerate', loss({ node: node('w1', { taints: [{ key: 'x', effect: 'NoExecute' }] }) }), /may no longer run it/],
    ['a sibling on the node', loss({ siblings: 1 }), /another pod/],
    ['the taint manager', loss({}, { disruption: 'DeletionByTaintManager' }), /DeletionByTaintManager/],
  ])('calls %s a controller\'s doing', (_what, l, why) => {
    const out = classifyPodLoss(l, []);
    expect(out.cause).toBeUndefined();
    expect(out.why).toMatch(why);
  });

  it('calls what is left a deletion by someone else', () => {
    expect(classifyPodLoss(loss(), [])).toMatchObject({ cause: 'pod.delete' });
  });
});
