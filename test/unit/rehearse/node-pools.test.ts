import { describe, expect, it } from 'vitest';
import { poolOf, scaleDownTwin, signature } from '../../../src/rehearse/node-pools.js';
import { twin, twinDs, twinNode, readyPod } from '../check/fixtures.js';

const GPU = { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' };
// 10 general nodes in two zones, 4 GPU nodes (one with an extra taint), 1 infra node, one not-ready general node.
const nodes = [
  ...Array.from({ length: 10 }, (_, i) => twinNode(`gen-${String(i).padStart(2, '0')}`, { labels: { pool: 'general', 'topology.kubernetes.io/zone': i % 2 ? 'b' : 'a' } })),
  ...Array.from({ length: 4 }, (_, i) => twinNode(`gpu-${i}`, { labels: { pool: 'gpu' }, taints: i === 3 ? [GPU, { key: 'dedicated', value: 'ml', effect: 'NoExecute' }] : [GPU] })),
  twinNode('infra-0', { labels: { pool: 'infra' } }),
  twinNode('gen-sick', { labels: { pool: 'general', 'topology.kubernetes.io/zone': 'a' }, unschedulable: true, conditions: { Ready: 'False' },
    taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] }),
];
const agent = { ...twinDs('agent'), pods: nodes.map((n) => readyPod('agent', n.name)) };

describe('scaleDownTwin', () => {
  it('keeps at most N per pool, round-robin over label/taint combinations, the same every time', () => {
    const { twin: scaled, pools } = scaleDownTwin(twin(nodes, [agent]), 3);
    expect(pools.map((p) => [p.name, p.total, p.combinations, p.kept])).toEqual([
      ['pool=general', 11, 2, ['gen-00', 'gen-01', 'gen-02']],
      ['pool=gpu', 4, 2, ['gpu-0', 'gpu-1', 'gpu-3']],
      ['pool=infra', 1, 1, ['infra-0']],
    ]);
    expect(scaleDownTwin(twin([...nodes].reverse(), [agent]), 3).pools).toEqual(pools);
    expect(scaled.nodes.map((n) => n.name).sort()).toEqual(['gen-00', 'gen-01', 'gen-02', 'gpu-0', 'gpu-1', 'gpu-3', 'infra-0']);
    expect(scaled.daemonSets[0]!.pods.map((p) => p.node).sort()).toEqual(['gen-00', 'gen-01', 'gen-02', 'gpu-0', 'gpu-1', 'gpu-3', 'infra-0']);
  });

  it('never drops a combination, even past N', () => {
    const { pools } = scaleDownTwin(twin(nodes, []), 1);
    expect(pools.find((p) => p.name === 'pool=gpu')!.kept).toEqual(['gpu-0', 'gpu-3']);
    expect(pools.find((p) => p.name === 'pool=general')!.kept).toEqual(['gen-00', 'gen-01']);
  });

  it('copies healthy nodes: controller taints, cordons and NotReady are left behind, user taints and resources kept', () => {
    const sick = scaleDownTwin(twin(nodes.filter((n) => n.name === 'gen-sick' || n.name === 'gpu-3'), []), 5).twin.nodes;
    expect(sick.find((n) => n.name === 'gen-sick')).toMatchObject({ taints: [], unschedulable: false, conditions: { Ready: 'True' }, allocatable: { cpu: '8', memory: '32Gi' } });
    expect(sick.find((n) => n.name === 'gpu-3')!.taints).toEqual([GPU, { key: 'dedicated', value: 'ml', effect: 'NoExecute' }]);
  });

  it('groups without a pool label by the whole signature, hostname aside', () => {
    const a = twinNode('a', { labels: { role: 'edge' } });
    const b = twinNode('b', { labels: { role: 'edge' } });
    expect(signature(a)).toBe(signature(b));
    expect(poolOf(a)).toBe('role=edge');
    expect(poolOf(twinNode('c', { labels: { 'cloud.google.com/gke-nodepool': 'np1', pool: 'x' } }))).toBe('cloud.google.com/gke-nodepool=np1');
    expect(() => scaleDownTwin(twin([a], []), 0)).toThrow(/whole number >= 1/);
  });
});
