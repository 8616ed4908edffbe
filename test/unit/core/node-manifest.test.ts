import { describe, expect, it } from 'vitest';
import { kwokNodeManifest } from '../../../src/providers/kwok/node-manifest.js';
import { nodeSpecList, resolveNodeSpecs } from '../../../src/providers/node-specs.js';

describe('kwok node specs', () => {
  it('names nodes worker-<n>, skipping names already taken', () => {
    const r = resolveNodeSpecs([{}, { name: 'edge-1' }, {}], ['worker-1']);
    expect(r.map((s) => s.name)).toEqual(['worker-2', 'edge-1', 'worker-3']);
  });

  it('rejects bad names, duplicates and bad taints, naming the field', () => {
    expect(() => resolveNodeSpecs([{ name: 'Bad_Name' }], [])).toThrow(/nodes\[0\]\.name: "Bad_Name" is not a valid node name/);
    expect(() => resolveNodeSpecs([{ name: 'a' }], ['a'])).toThrow(/nodes\[0\]\.name: node "a" already exists/);
    expect(() => resolveNodeSpecs([{ taints: [{ key: 'k', effect: 'Sometimes' }] }], [])).toThrow(/nodes\[0\]\.taints: effect "Sometimes"/);
    expect(() => nodeSpecList(-1)).toThrow(/nodes: -1 is not a node count/);
    expect(() => nodeSpecList(1.5, 'cluster.nodes')).toThrow(/cluster\.nodes: 1\.5/);
  });

  it('makes an untainted, kwok-managed Node with the given labels and taints', () => {
    const n = kwokNodeManifest({ name: 'w', labels: { pool: 'a' }, taints: [{ key: 'k', effect: 'NoSchedule' }] });
    expect(n.metadata?.annotations?.['kwok.x-k8s.io/node']).toBe('fake');
    expect(n.metadata?.labels).toMatchObject({ 'kubernetes.io/hostname': 'w', pool: 'a' });
    expect(n.spec?.taints).toEqual([{ key: 'k', effect: 'NoSchedule' }]);
    expect(kwokNodeManifest({ name: 'plain' }).spec?.taints).toBeUndefined();
  });
});
