// Node objects for kwok: a Node that kwok's controller picks up and plays the kubelet for.
import type { V1Node } from '@kubernetes/client-node';
import type { NodeSpec } from '../cluster.js';

/** The Node object for one simulated node. No kwok taint: DaemonSets must be able to land on it. */
export function kwokNodeManifest(spec: NodeSpec & { name: string }): V1Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: spec.name,
      labels: {
        'kubernetes.io/hostname': spec.name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'rollcall.dev/simulated': 'true',
        ...spec.labels,
      },
      annotations: { 'kwok.x-k8s.io/node': 'fake' },
    },
    spec: spec.taints?.length ? { taints: spec.taints } : {},
  };
}
