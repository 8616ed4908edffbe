import { describe, expect, it } from 'vitest';
import type { V1DaemonSet, V1Pod } from '@kubernetes/client-node';
import { captureTwin, selectorQuery } from '../../../src/snapshot/capture-twin.js';
import type { ClusterReader } from '../../../src/snapshot/cluster-reader.js';
import { anonymizeTwin } from '../../../src/snapshot/anonymize-twin.js';
import { checkTwin } from '../../../src/check/check-twin.js';
import { parseTwin } from '../../../src/twin/parse-twin.js';
import { serializeTwin } from '../../../src/twin/serialize-twin.js';

const owner = [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'u1', controller: true }];
const ds: V1DaemonSet = {
  metadata: { name: 'agent', namespace: 'ops', uid: 'u1', generation: 2, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"env":"hunter2"}' } },
  spec: {
    selector: { matchLabels: { app: 'agent' } },
    template: {
      metadata: { labels: { app: 'agent' }, annotations: { note: 'x' } },
      spec: {
        nodeSelector: { pool: 'gpu' },
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }],
        containers: [{ name: 'a', image: 'a:1', env: [{ name: 'TOKEN', value: 'hunter2' }, { name: 'FROM', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }],
      },
    },
  },
  status: { desiredNumberScheduled: 1, currentNumberScheduled: 1, numberMisscheduled: 0, numberReady: 0, observedGeneration: 2 },
};
const pod = (name: string, node: string, extra: Partial<V1Pod['status']> = {}): V1Pod => ({
  metadata: { name, namespace: 'ops', ownerReferences: owner, labels: { app: 'agent', 'controller-revision-hash': 'h2' }, creationTimestamp: new Date('2025-06-01T11:00:00Z') },
  spec: { nodeName: node, containers: [] },
  status: { phase: 'Pending', ...extra },
});

// A fake cluster: two gpu nodes and one general node; every call is recorded.
function fakeReader(calls: string[]): ClusterReader {
  const node = (name: string, pool: string, taint?: boolean) => ({
    metadata: { name, labels: { 'kubernetes.io/hostname': name, pool, 'topology.kubernetes.io/zone': 'z1' } },
    spec: taint ? { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } : {},
    status: { allocatable: { cpu: '4' }, conditions: [{ type: 'Ready', status: 'True' }, { type: 'Other', status: 'True' }] },
  });
  const rec = <T>(what: string, v: T) => { calls.push(what); return Promise.resolve(v); };
  return {
    serverVersion: () => rec('version', 'v1.36.3'),
    nodes: () => rec('nodes', [node('gpu-b', 'gpu', true), node('gpu-a', 'gpu', true), node('gen-a', 'general')]),
    namespaces: () => rec('namespaces', [{ metadata: { name: 'ops', annotations: { 'scheduler.alpha.kubernetes.io/node-selector': 'pool=gpu' } } }, { metadata: { name: 'other' } }]),
    daemonSets: (ns) => rec(`daemonsets ${ns ?? '*'}`, [ds]),
    pods: (ns, sel) => rec(`pods ${ns} ${sel}`, [
      pod('agent-1', 'gpu-a', { containerStatuses: [{ name: 'a', image: '', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off' } } }] }),
      { ...pod('stranger', 'gpu-a'), metadata: { name: 'stranger', namespace: 'ops', labels: { app: 'agent' }, ownerReferences: [{ ...owner[0]!, uid: 'other' }] } },
    ]),
    controllerRevisions: (ns, sel) => rec(`revisions ${ns} ${sel}`, [{ metadata: { name: 'agent-h2', labels: { 'controller-revision-hash': 'h2' }, ownerReferences: owner }, revision: 2 }]),
    podDisruptionBudgets: (ns) => rec(`pdbs ${ns ?? '*'}`, []),
    priorityClasses: () => rec('priorityclasses', [{ metadata: { name: 'system-node-critical' }, value: 2000001000 }]),
  };
}

describe('captureTwin', () => {
  it('keeps what checks need, blanks env values, drops annotations, keeps only owned pods', async () => {
    const calls: string[] = [];
    const twin = await captureTwin(fakeReader(calls), { context: 'prod', namespaces: ['ops'], now: new Date('2025-06-01T12:00:00Z') });
    expect(calls.sort()).toEqual(['daemonsets ops', 'namespaces', 'nodes', 'pdbs ops', 'pods ops app=agent', 'priorityclasses', 'revisions ops app=agent', 'version']);
    expect(twin.nodes.map((n) => n.name)).toEqual(['gen-a', 'gpu-a', 'gpu-b']);
    expect(twin.nodes[0]!.conditions).toEqual({ Ready: 'True' });
    expect(twin.namespaces).toEqual([{ name: 'ops', nodeSelector: 'pool=gpu' }]);
    const d = twin.daemonSets[0]!;
    expect(d.spec.template.spec!.containers[0]!.env).toEqual([{ name: 'TOKEN', value: '' }, { name: 'FROM', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }]);
    expect(d.spec.template.metadata).toEqual({ labels: { app: 'agent' } });
    expect(serializeTwin(twin)).not.toContain('hunter2');
    expect(d.revisions).toEqual([{ hash: 'h2', number: 2 }]);
    expect(d.pods).toEqual([{ name: 'agent-1', node: 'gpu-a', revisionHash: 'h2', phase: 'Pending', ready: false, reason: 'ImagePullBackOff', message: 'Back-off', createdAt: '2025-06-01T11:00:00.000Z' }]);
    expect(parseTwin(serializeTwin(twin), 'x.yaml')).toEqual(twin);
  });

  it('turns label selectors into the API query text', () => {
    expect(selectorQuery({ matchLabels: { app: 'a' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['x', 'y'] }, { key: 'skip', operator: 'DoesNotExist' }] }))
      .toBe('app=a,tier in (x,y),!skip');
  });
});

describe('anonymizeTwin', () => {
  it('renames nodes per pool and hashes values consistently, so the checks find the same', async () => {
    const twin = await captureTwin(fakeReader([]), { context: 'prod', now: new Date('2025-06-01T12:00:00Z') });
    const anon = anonymizeTwin(twin, 'salt');
    expect(anon.nodes.map((n) => n.name)).toEqual(['pool-1-001', 'pool-2-001', 'pool-2-002']);
    const gpu = anon.nodes[1]!;
    expect(gpu.labels['kubernetes.io/hostname']).toBe('pool-2-001');
    expect(gpu.labels['topology.kubernetes.io/zone']).toBe('z1');
    expect(gpu.labels.pool).toMatch(/^h-[0-9a-f]{10}$/);
    expect(gpu.taints[0]!.value).toBe(gpu.labels.pool); // "gpu" is one value, one hash
    const spec = anon.daemonSets[0]!.spec.template.spec!;
    expect(spec.nodeSelector).toEqual({ pool: gpu.labels.pool });
    expect(spec.tolerations![0]!.value).toBe(gpu.labels.pool);
    expect(anon.namespaces[0]!.nodeSelector).toBe(`pool=${gpu.labels.pool}`);
    expect(anon.daemonSets[0]!.pods[0]!.node).toBe('pool-2-001');
    expect(anon.metadata).toMatchObject({ name: 'anonymized', anonymized: true });
    expect(JSON.stringify(anon)).not.toMatch(/gpu-a|gen-a|prod/);
    const shape = (t: typeof twin) => checkTwin(t, { source: 'x' }).daemonSets[0]!.coverage.map((c) => [c.eligible, c.reasons.length, c.availableNow]);
    expect(shape(anon).sort()).toEqual(shape(twin).sort());
  });
});
