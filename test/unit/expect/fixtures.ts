// Plain-object builders for Nodes, Pods, DaemonSets and ControllerRevisions, shaped like API server output.
import type {
  V1Affinity, V1ControllerRevision, V1DaemonSet, V1DaemonSetStatus, V1DaemonSetUpdateStrategy, V1Node, V1Pod,
  V1Taint, V1Toleration,
} from '@kubernetes/client-node';
import type { ClusterSnapshot } from '../../../src/expect/index.js';

export const NOW = Date.parse('2025-06-01T12:00:00Z');
export const DS_UID = 'ds-uid-1';
const at = (secondsAgo: number) => new Date(NOW - secondsAgo * 1000);

export interface NodeOpts { labels?: Record<string, string>; taints?: V1Taint[]; unschedulable?: boolean; ready?: boolean }

// A node as the cluster shows it: cordoning and NotReady also add the taints the node controllers add.
export function node(name: string, opts: NodeOpts = {}): V1Node {
  const taints = [...(opts.taints ?? [])];
  if (opts.unschedulable) taints.push({ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' });
  if (opts.ready === false) {
    taints.push({ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' });
  }
  return {
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...opts.labels } },
    spec: { unschedulable: opts.unschedulable, taints: taints.length ? taints : undefined },
    status: { conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }] },
  };
}

export interface DsOpts {
  name?: string; uid?: string | null; generation?: number; observedGeneration?: number;
  nodeSelector?: Record<string, string>; affinity?: V1Affinity; tolerations?: V1Toleration[]; hostNetwork?: boolean;
  updateStrategy?: V1DaemonSetUpdateStrategy; minReadySeconds?: number; status?: V1DaemonSetStatus;
}

// A DaemonSet selecting app=<name>, RollingUpdate with defaults unless told otherwise.
export function daemonSet(opts: DsOpts = {}): V1DaemonSet {
  const name = opts.name ?? 'log-agent';
  const generation = opts.generation ?? 1;
  return {
    metadata: { name, namespace: 'default', uid: opts.uid === null ? undefined : opts.uid ?? DS_UID, generation },
    spec: {
      selector: { matchLabels: { app: name } },
      minReadySeconds: opts.minReadySeconds,
      updateStrategy: opts.updateStrategy ?? { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{ name: 'agent', image: 'agent:1' }],
          nodeSelector: opts.nodeSelector, affinity: opts.affinity, tolerations: opts.tolerations, hostNetwork: opts.hostNetwork,
        },
      },
    },
    status: { observedGeneration: opts.observedGeneration ?? generation, ...opts.status } as V1DaemonSetStatus,
  };
}

export interface PodOpts {
  node?: string; hash?: string; ready?: boolean; readyForSeconds?: number; phase?: string; waiting?: string;
  terminating?: boolean; createdSecondsAgo?: number; uid?: string; restarts?: number; owner?: 'ds' | 'none' | 'other';
  dsName?: string;
}

// A daemon pod of revision hash `h1` on a node, Running and Ready for 10 minutes unless told otherwise.
export function pod(name: string, opts: PodOpts = {}): V1Pod {
  const ready = opts.ready ?? (opts.waiting === undefined);
  const owner = opts.owner ?? 'ds';
  const dsName = opts.dsName ?? 'log-agent';
  return {
    metadata: {
      name, namespace: 'default', uid: opts.uid ?? `uid-${name}`,
      creationTimestamp: at(opts.createdSecondsAgo ?? 900),
      deletionTimestamp: opts.terminating ? at(1) : undefined,
      labels: { app: dsName, 'controller-revision-hash': opts.hash ?? 'h1' },
      ownerReferences: owner === 'none' ? undefined : [{
        apiVersion: 'apps/v1', kind: 'DaemonSet', name: owner === 'ds' ? dsName : 'other', uid: owner === 'ds' ? DS_UID : 'other-uid', controller: true,
      }],
    },
    spec: { nodeName: opts.node, containers: [{ name: 'agent', image: 'agent:1' }] },
    status: {
      phase: opts.phase ?? (opts.waiting && !['CrashLoopBackOff'].includes(opts.waiting) ? 'Pending' : 'Running'),
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: at(opts.readyForSeconds ?? 600) }],
      containerStatuses: [{
        name: 'agent', image: 'agent:1', imageID: '', ready, restartCount: opts.restarts ?? 0,
        state: opts.waiting ? { waiting: { reason: opts.waiting } } : { running: { startedAt: at(600) } },
      }],
    },
  };
}

// A ControllerRevision named <ds>-<hash> owned by the DaemonSet.
export function revision(hash: string, number: number, dsName = 'log-agent'): V1ControllerRevision {
  return {
    metadata: {
      name: `${dsName}-${hash}`, namespace: 'default', labels: { app: dsName, 'controller-revision-hash': hash },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: dsName, uid: DS_UID, controller: true }],
    },
    revision: number,
  };
}

// A snapshot at NOW.
export function snapshot(daemonSet: V1DaemonSet, nodes: V1Node[], pods: V1Pod[], revisions: V1ControllerRevision[] = [revision('h1', 1)]): ClusterSnapshot {
  return { daemonSet, nodes, pods, revisions, now: NOW };
}

// Status counters the controller would write for n fully covered nodes.
export function healthyStatus(n: number): V1DaemonSetStatus {
  return {
    observedGeneration: 1, desiredNumberScheduled: n, currentNumberScheduled: n, numberMisscheduled: 0,
    numberReady: n, updatedNumberScheduled: n, numberAvailable: n,
  };
}

// Three worker nodes, each with one healthy pod of revision 1, and a status that agrees.
export function healthySnapshot(dsOpts: DsOpts = {}): ClusterSnapshot {
  const nodes = ['worker-1', 'worker-2', 'worker-3'].map((n) => node(n));
  const pods = nodes.map((n, i) => pod(`log-agent-p${i + 1}`, { node: n.metadata!.name }));
  return snapshot(daemonSet({ status: healthyStatus(3), ...dsOpts }), nodes, pods);
}
