// Turns one DaemonSet of a twin back into API-shaped objects, so src/expect's judgements run on it unchanged.
import type { V1ControllerRevision, V1DaemonSet, V1Node, V1NodeCondition, V1OwnerReference, V1Pod } from '@kubernetes/client-node';
import type { ClusterSnapshot } from '../expect/judgement.js';
import type { ClusterTwin, TwinDaemonSet, TwinNode, TwinPod } from './twin-model.js';

const HASH_LABEL = 'controller-revision-hash';
/** The hash a twin's pods and DaemonSet share when the twin lists no revisions (every pod is current). */
export const IMPLICIT_HASH = 'current';

/** The Node object the eligibility code reads: labels, taints, unschedulable, conditions, resources. */
export function twinNodeObject(n: TwinNode): V1Node {
  const conditions: V1NodeCondition[] = Object.entries(n.conditions).map(([type, status]) => ({ type, status: status! }));
  return {
    metadata: { name: n.name, labels: n.labels },
    spec: { taints: n.taints.length ? n.taints : undefined, unschedulable: n.unschedulable || undefined },
    status: { capacity: n.capacity, allocatable: n.allocatable, conditions },
  };
}

/** The DaemonSet object, with a stand-in uid its pods and revisions point at. */
export function twinDaemonSetObject(d: TwinDaemonSet): V1DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: d.name, namespace: d.namespace, uid: uidOf(d), generation: d.generation, labels: d.labels },
    spec: d.spec,
    status: d.status ?? { currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0 },
  };
}

/** The revision list, or one implicit revision when the twin has none. */
export function twinRevisions(d: TwinDaemonSet): Array<{ hash: string; number: number }> {
  return d.revisions?.length ? d.revisions : [{ hash: IMPLICIT_HASH, number: 1 }];
}

/** Everything src/expect needs to judge one DaemonSet of the twin, at the twin's capture time. */
export function twinSnapshot(twin: ClusterTwin, d: TwinDaemonSet, nodes: V1Node[] = twin.nodes.map(twinNodeObject)): ClusterSnapshot {
  const daemonSet = twinDaemonSetObject(d);
  const owner: V1OwnerReference = { apiVersion: 'apps/v1', kind: 'DaemonSet', name: d.name, uid: uidOf(d), controller: true };
  const revisions: V1ControllerRevision[] = twinRevisions(d).map((r) => ({
    metadata: { name: `${d.name}-${r.hash}`, namespace: d.namespace, labels: { [HASH_LABEL]: r.hash }, ownerReferences: [owner] },
    revision: r.number,
  }));
  const current = [...twinRevisions(d)].sort((a, b) => b.number - a.number)[0]!.hash;
  const capturedAt = Date.parse(twin.metadata.capturedAt);
  const pods = d.pods.map((p) => podObject(p, d, owner, current, capturedAt));
  return { daemonSet, nodes, pods, revisions, now: capturedAt };
}

// A pod object whose states read back as the twin's reason (describePod looks at container states and PodScheduled).
function podObject(p: TwinPod, d: TwinDaemonSet, owner: V1OwnerReference, current: string, capturedAt: number): V1Pod {
  const scheduled = p.reason !== 'Unschedulable';
  const readySince = p.readySince ?? new Date(0).toISOString();
  const waiting = p.reason && p.reason !== 'Unschedulable' && !p.ready;
  return {
    metadata: {
      name: p.name,
      namespace: d.namespace,
      labels: { [HASH_LABEL]: p.revisionHash ?? current },
      ownerReferences: [owner],
      creationTimestamp: p.createdAt ? new Date(p.createdAt) : new Date(capturedAt - 3_600_000),
      deletionTimestamp: p.terminating ? new Date(capturedAt) : undefined,
    },
    spec: {
      nodeName: scheduled ? p.node : undefined,
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [p.node] }] }] } } },
      containers: [],
    },
    status: {
      phase: p.phase,
      conditions: [
        { type: 'Ready', status: p.ready ? 'True' : 'False', lastTransitionTime: p.ready ? new Date(readySince) : undefined },
        ...(p.reason === 'Unschedulable' ? [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: p.message }] : []),
      ],
      containerStatuses: waiting ? [{ name: 'main', image: '', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: p.reason, message: p.message } } }] : [],
    },
  } as V1Pod;
}

// A stable stand-in uid: the twin carries no uids, ownership is by DaemonSet.
function uidOf(d: TwinDaemonSet): string {
  return `twin:${d.namespace}/${d.name}`;
}
