// kind configs read as a topology: the nodes kind would register (names, roles, labels, taints),
// which kwok emulates; a bad config is one line naming the file and the field.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kindConfigTopology } from '../../../src/providers/kind/kind-config-topology.js';
import { UsageError } from '../../../src/util/errors.js';

const CONFIGS = join(import.meta.dirname, '..', '..', '..', 'kind-configs');
const HEAD = 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n';
const CP_TAINT = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };

describe('kindConfigTopology', () => {
  it('reads worker-pools.yaml as kind registers it: tainted control plane, general and dedicated pools', () => {
    const nodes = kindConfigTopology(readFileSync(join(CONFIGS, 'worker-pools.yaml'), 'utf8'), 'worker-pools.yaml', 'c1');
    expect(nodes.map((n) => [n.name, n.role])).toEqual([
      ['c1-control-plane', 'control-plane'], ['c1-worker', 'worker'], ['c1-worker2', 'worker'], ['c1-worker3', 'worker'], ['c1-worker4', 'worker'],
    ]);
    expect(nodes[0]).toMatchObject({ labels: { 'node-role.kubernetes.io/control-plane': '' }, taints: [CP_TAINT] });
    expect(nodes.slice(1).map((n) => n.labels?.['rollcall.dev/pool'])).toEqual(['general', 'general', 'dedicated', 'dedicated']);
    expect(nodes.slice(1).map((n) => n.taints)).toEqual([[], [], [{ key: 'rollcall.dev/dedicated', value: 'true', effect: 'NoSchedule' }], [{ key: 'rollcall.dev/dedicated', value: 'true', effect: 'NoSchedule' }]]);
  });

  it('takes names, taints and node-labels from kubeadm patches, cluster-wide and per node', () => {
    const text = `${HEAD}nodes:
- role: control-plane
  kubeadmConfigPatches:
  - |
    kind: InitConfiguration
    nodeRegistration:
      taints: []
- role: worker
  kubeadmConfigPatches:
  - |
    kind: JoinConfiguration
    nodeRegistration:
      name: gpu-1
      kubeletExtraArgs:
        node-labels: "gpu=true,zone=a"
- role: worker
kubeadmConfigPatches:
- |
  kind: JoinConfiguration
  nodeRegistration:
    kubeletExtraArgs:
    - {name: node-labels, value: "team=infra"}
`;
    const nodes = kindConfigTopology(text, 'x.yaml', 'c');
    expect(nodes).toEqual([
      { name: 'c-control-plane', role: 'control-plane', labels: { 'node-role.kubernetes.io/control-plane': '' }, taints: [] },
      { name: 'gpu-1', role: 'worker', labels: { team: 'infra', gpu: 'true', zone: 'a' }, taints: [] },
      { name: 'c-worker2', role: 'worker', labels: { team: 'infra' }, taints: [] },
    ]);
  });

  it('lifts the control-plane taint when there is no worker, as kind does; no nodes means one control plane', () => {
    expect(kindConfigTopology(HEAD, 'x.yaml', 'c')).toEqual([{ name: 'c-control-plane', role: 'control-plane', labels: { 'node-role.kubernetes.io/control-plane': '' }, taints: [] }]);
  });

  it('names the file and the field of a mistake', () => {
    const bad = (text: string) => () => kindConfigTopology(text, 'kind-configs/x.yaml', 'c');
    expect(bad('kind: Pod\n')).toThrow(UsageError);
    expect(bad('kind: Pod\n')).toThrow('kind-configs/x.yaml: field "kind" must be "Cluster"');
    expect(bad('kind: Cluster\napiVersion: v1\n')).toThrow('kind-configs/x.yaml: field "apiVersion" must be "kind.x-k8s.io/v1alpha4"');
    expect(bad(`${HEAD}nodes:\n- role: master\n`)).toThrow('kind-configs/x.yaml: field "nodes[0].role" is "master": must be "control-plane" or "worker"');
    expect(bad(`${HEAD}nodes:\n- role: worker\n  labels: [a]\n`)).toThrow('field "nodes[0].labels" must be a mapping of strings');
    expect(bad(`${HEAD}nodes:\n- role: worker\n  kubeadmConfigPatches:\n  - |\n    kind: JoinConfiguration\n    nodeRegistration:\n      taints: [{key: a, effect: Sometimes}]\n`))
      .toThrow('field "nodes[0].kubeadmConfigPatches[0]: nodeRegistration.taints[0].effect" is "Sometimes": must be one of NoSchedule, PreferNoSchedule, NoExecute');
    expect(bad(`${HEAD}nodes:\n- role: worker\n  kubeadmConfigPatches:\n  - |\n    kind: JoinConfiguration\n    nodeRegistration: {name: a}\n- role: worker\n  kubeadmConfigPatches:\n  - |\n    kind: JoinConfiguration\n    nodeRegistration: {name: a}\n`))
      .toThrow('field "nodes[1]" registers node name "a" twice');
    expect(bad('nodes: [')).toThrow(/^kind-configs\/x.yaml: not valid YAML/);
  });
});
