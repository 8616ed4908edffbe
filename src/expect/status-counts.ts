// The DaemonSet status counters recomputed from nodes and pods, the way updateDaemonSetStatus does.
import type { V1DaemonSetStatus, V1Node, V1Pod } from '@kubernetes/client-node';
import { currentRevision, currentTemplateHash, daemonPodsByNode, isPodAvailable, isPodReady, isPodUpdated, isTerminating, podRevisionHash } from './daemon-pods.js';
import { nodeShouldRunDaemonPod, type Eligibility } from './eligibility.js';
import type { ClusterSnapshot } from './judgement.js';

export type StatusCounters = Required<Pick<V1DaemonSetStatus,
  'desiredNumberScheduled' | 'currentNumberScheduled' | 'numberMisscheduled' | 'numberReady'
  | 'updatedNumberScheduled' | 'numberAvailable' | 'numberUnavailable'>>;

/** One node with its eligibility and its daemon pods (oldest first). */
export interface NodeView {
  name: string;
  node: V1Node;
  eligibility: Eligibility;
  pods: V1Pod[];
}

/** Everything derived once from a snapshot that several judgements need. */
export interface SnapshotView {
  nodes: NodeView[];
  /** Daemon pods whose target node is not in the snapshot, by node name. */
  strayPods: Map<string, V1Pod[]>;
  hash: string | undefined;
  revisionNumber: number | undefined;
  minReadySeconds: number;
}

// Views by the identity of the snapshot's lists and DaemonSet object: the judges of one snapshot
// share one, and so do the snapshots a recorder hands out between two changes. Only frozen lists
// are remembered (nobody can change them afterwards); views are only read.
const views = new WeakMap<object, Array<{ nodes: object; revisions: object; daemonSet: object; view: SnapshotView }>>();

// Derives eligibility, per-node pods and the current revision from a snapshot, once.
export function viewOf(snapshot: ClusterSnapshot): SnapshotView {
  if (!Object.isFrozen(snapshot.pods) || !Object.isFrozen(snapshot.nodes) || !Object.isFrozen(snapshot.revisions)) return buildView(snapshot);
  let seen = views.get(snapshot.pods);
  if (!seen) views.set(snapshot.pods, (seen = []));
  const hit = seen.find((e) => e.nodes === snapshot.nodes && e.revisions === snapshot.revisions && e.daemonSet === snapshot.daemonSet);
  if (hit) return hit.view;
  const view = buildView(snapshot);
  // A few DaemonSets judged over the same lists at most; keep the newest ones.
  seen.push({ nodes: snapshot.nodes, revisions: snapshot.revisions, daemonSet: snapshot.daemonSet, view });
  if (seen.length > 8) seen.shift();
  return view;
}

function buildView(snapshot: ClusterSnapshot): SnapshotView {
  const byNode = daemonPodsByNode(snapshot);
  const nodes = snapshot.nodes.map((node) => {
    const name = node.metadata?.name ?? '';
    const pods = byNode.get(name) ?? [];
    byNode.delete(name);
    return { name, node, eligibility: nodeShouldRunDaemonPod(node, snapshot.daemonSet), pods };
  });
  const current = currentRevision(snapshot);
  const podHashes = nodes.flatMap((n) => n.pods.filter((p) => !isTerminating(p)).map((p) => podRevisionHash(p) ?? ''));
  const hash = currentTemplateHash(current, snapshot.revisions, snapshot.daemonSet, podHashes);
  return {
    nodes, strayPods: byNode, hash, revisionNumber: hash === current?.hash ? current?.number : undefined,
    minReadySeconds: snapshot.daemonSet.spec?.minReadySeconds ?? 0,
  };
}

// The counters updateDaemonSetStatus would write: per node, the OLDEST daemon pod decides.
export function expectedStatus(snapshot: ClusterSnapshot, view: SnapshotView = viewOf(snapshot)): StatusCounters {
  const c: StatusCounters = {
    desiredNumberScheduled: 0, currentNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0,
    updatedNumberScheduled: 0, numberAvailable: 0, numberUnavailable: 0,
  };
  for (const { eligibility, pods } of view.nodes) {
    const oldest = pods[0];
    if (!eligibility.shouldRun) {
      if (oldest) c.numberMisscheduled++;
      continue;
    }
    c.desiredNumberScheduled++;
    if (!oldest) continue;
    c.currentNumberScheduled++;
    if (isPodReady(oldest)) {
      c.numberReady++;
      if (isPodAvailable(oldest, view.minReadySeconds, snapshot.now)) c.numberAvailable++;
    }
    if (isPodUpdated(oldest, view.hash, snapshot.daemonSet)) c.updatedNumberScheduled++;
  }
  c.numberUnavailable = c.desiredNumberScheduled - c.numberAvailable;
  return c;
}

// One problem line per status counter that disagrees with the pods (a missing field counts as 0).
export function counterMismatches(status: V1DaemonSetStatus | undefined, expected: StatusCounters): string[] {
  return (Object.keys(expected) as (keyof StatusCounters)[])
    .filter((k) => (status?.[k] ?? 0) !== expected[k])
    .map((k) => `status.${k} is ${status?.[k] ?? 0}, pods show ${expected[k]}`);
}
