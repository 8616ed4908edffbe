// The kind config generated for a scenario: node names, labels, taints and flags land where kind
// and kubeadm read them, with values YAML 1.1 would otherwise turn into booleans kept as strings.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { apiOnlyLabels, kindRunConfig, kubeletLabels } from '../../src/providers/kind/kind-run-config.js';

interface KindNode { role: string; labels?: Record<string, string>; kubeadmConfigPatches?: string[] }
interface KindConfig { kind: string; apiVersion: string; kubeadmConfigPatches: string[]; nodes: KindNode[] }

const config = (yaml: string) => parse(yaml) as KindConfig;

describe('kindRunConfig', () => {
  const cfg = config(kindRunConfig([
    { name: 'ssd-1', labels: { disk: 'ssd', 'node-role.kubernetes.io/infra': '' } },
    { name: 'hdd-1', labels: { on: 'y' }, taints: [{ key: 'dedicated', value: 'no', effect: 'NoSchedule' }] },
  ]));

  it('has one control plane and a worker per scenario node, registered under the scenario name', () => {
    expect(cfg).toMatchObject({ kind: 'Cluster', apiVersion: 'kind.x-k8s.io/v1alpha4' });
    expect(cfg.nodes.map((n) => n.role)).toEqual(['control-plane', 'worker', 'worker']);
    const joins = cfg.nodes.slice(1).map((n) => parse(n.kubeadmConfigPatches![0]!) as { kind: string; nodeRegistration: { name: string; taints?: unknown[] } });
    expect(joins.map((j) => j.kind)).toEqual(['JoinConfiguration', 'JoinConfiguration']);
    expect(joins.map((j) => j.nodeRegistration.name)).toEqual(['ssd-1', 'hdd-1']);
    expect(joins[1]!.nodeRegistration.taints).toEqual([{ key: 'dedicated', value: 'no', effect: 'NoSchedule' }]);
  });

  it('quotes values YAML 1.1 reads as booleans', () => {
    const yaml11 = kindRunConfig([{ name: 'a', labels: { on: 'y' }, taints: [{ key: 'k', value: 'no', effect: 'NoSchedule' }] }]);
    expect(yaml11).toContain('"on": "y"');
    expect(yaml11).toContain('"value": "no"');
  });

  it('leaves labels the kubelet may not set to the API', () => {
    expect(cfg.nodes[1]!.labels).toEqual({ disk: 'ssd' });
    expect(kubeletLabels({ a: '1', 'node.kubernetes.io/pool': 'x', 'kubernetes.io/os': 'linux', 'node-role.kubernetes.io/infra': '' })).toEqual({ a: '1', 'node.kubernetes.io/pool': 'x', 'kubernetes.io/os': 'linux' });
    expect(apiOnlyLabels({ a: '1', 'node-role.kubernetes.io/infra': '', 'example.k8s.io/x': 'y' })).toEqual({ 'node-role.kubernetes.io/infra': '', 'example.k8s.io/x': 'y' });
  });

  it('keeps the cgroup v1 patch and shortens node-monitor-grace-period unless componentArgs says otherwise', () => {
    const patches = cfg.kubeadmConfigPatches.map((p) => parse(p) as Record<string, unknown>);
    expect(patches).toContainEqual({ apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration', failCgroupV1: false });
    expect(patches).toContainEqual({ kind: 'ClusterConfiguration', controllerManager: { extraArgs: [{ name: 'node-monitor-grace-period', value: '20s' }] } });
    const custom = config(kindRunConfig([{ name: 'a' }], { 'kube-controller-manager': { 'node-monitor-grace-period': '40s' }, etcd: { 'quota-backend-bytes': '1000' } }));
    expect(parse(custom.kubeadmConfigPatches[1]!)).toEqual({
      kind: 'ClusterConfiguration',
      controllerManager: { extraArgs: [{ name: 'node-monitor-grace-period', value: '40s' }] },
      etcd: { local: { extraArgs: [{ name: 'quota-backend-bytes', value: '1000' }] } },
    });
  });
});
