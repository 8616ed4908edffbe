// Node objects for kwok: a Node that kwok's controller picks up and plays the kubelet for.
import type { V1Node } from '@kubernetes/client-node';
import type { NodeSpec } from '../cluster.js';

/**
 * A node spec with the resources its kubelet reports (kwok copies them into the Node's status), so
 * a copy of a real cluster schedules against the same capacity and allocatable. Plain NodeSpecs
 * reach kwokNodeManifest through the providers unchanged, so these fields travel with them.
 */
export interface KwokNodeSpec extends NodeSpec {
  /** Resource quantities, e.g. `{cpu: "4", memory: 16Gi, pods: "110"}`. */
  capacity?: Record<string, string>;
  /** What the scheduler may hand out; defaults to capacity when only that is given. */
  allocatable?: Record<string, string>;
}

/** The Node object for one simulated node. No kwok taint: DaemonSets must be able to land on it. */
export function kwokNodeManifest(spec: KwokNodeSpec & { name: string }): V1Node {
  const capacity = spec.capacity ?? spec.allocatable;
  const allocatable = spec.allocatable ?? spec.capacity;
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
    ...(capacity || allocatable ? { status: { ...(capacity ? { capacity } : {}), ...(allocatable ? { allocatable } : {}) } } : {}),
  };
}
