// Plain-data twins for the check tests: nodes, DaemonSets and pods as a hand-written twin has them.
import type { V1Container, V1DaemonSetSpec } from '@kubernetes/client-node';
import type { ClusterTwin, TwinDaemonSet, TwinNode, TwinPod } from '../../../src/twin/twin-model.js';

export const CAPTURED = '2025-06-01T12:00:00Z';

export function twinNode(name: string, opts: Partial<TwinNode> = {}): TwinNode {
  return {
    name, labels: { 'kubernetes.io/hostname': name, ...opts.labels }, taints: opts.taints ?? [], unschedulable: opts.unschedulable ?? false,
    capacity: opts.capacity ?? { cpu: '8', memory: '32Gi' }, allocatable: opts.allocatable ?? { cpu: '8', memory: '32Gi' }, conditions: opts.conditions ?? { Ready: 'True' },
  };
}

/** A container that passes every spec check. */
export function goodContainer(over: Partial<V1Container> = {}): V1Container {
  return {
    name: 'agent', image: 'agent:1', readinessProbe: { httpGet: { path: '/healthz', port: 8080 } },
    resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } }, ...over,
  };
}

export interface DsOpts {
  namespace?: string; spec?: Partial<V1DaemonSetSpec>; pod?: Record<string, unknown>; containers?: V1Container[];
  status?: TwinDaemonSet['status']; pods?: TwinPod[]; revisions?: TwinDaemonSet['revisions']; generation?: number;
}

/** A DaemonSet that passes every check unless told otherwise (RollingUpdate maxUnavailable 1, system-node-critical). */
export function twinDs(name: string, opts: DsOpts = {}): TwinDaemonSet {
  return {
    namespace: opts.namespace ?? 'ops', name, generation: opts.generation ?? 1,
    spec: {
      selector: { matchLabels: { app: name } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      template: { metadata: { labels: { app: name } }, spec: { priorityClassName: 'system-node-critical', containers: opts.containers ?? [goodContainer()], ...opts.pod } },
      ...opts.spec,
    } as V1DaemonSetSpec,
    ...(opts.status ? { status: opts.status } : {}),
    ...(opts.revisions ? { revisions: opts.revisions } : {}),
    pods: opts.pods ?? [],
  };
}

/** A Running, Ready pod for `node` of the current revision. */
export function readyPod(ds: string, node: string, over: Partial<TwinPod> = {}): TwinPod {
  return { name: `${ds}-${node}`, node, phase: 'Running', ready: true, readySince: '2025-06-01T11:00:00Z', ...over };
}

export function twin(nodes: TwinNode[], daemonSets: TwinDaemonSet[], more: Partial<ClusterTwin> = {}): ClusterTwin {
  return {
    apiVersion: 'rollcall.dev/v1alpha1', kind: 'ClusterTwin', metadata: { name: 'unit', capturedAt: CAPTURED }, serverVersion: 'v1.36.3',
    nodes, namespaces: [], daemonSets, podDisruptionBudgets: [], priorityClasses: [{ name: 'system-node-critical', value: 2000001000 }], ...more,
  };
}

/** Every node of `nodes` covered by one Ready pod of the DaemonSet. */
export function coveredEverywhere(ds: TwinDaemonSet, nodes: TwinNode[]): TwinDaemonSet {
  return { ...ds, pods: nodes.map((n) => readyPod(ds.name, n.name)) };
}
