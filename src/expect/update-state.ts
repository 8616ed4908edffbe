// Where each eligible node stands in a rolling update, counted the way update.go rollingUpdate counts.
import type { V1DaemonSet, V1Pod } from '@kubernetes/client-node';
import { rollingBudget, type RollingBudget } from './budget.js';
import { describePod, isPodAvailable, isPodUpdated, isTerminating } from './daemon-pods.js';
import { lazy, withObserved, type ClusterSnapshot } from './judgement.js';
import { viewOf, type SnapshotView } from './status-counts.js';

/** One shouldRun node during a rolling update. */
export interface NodeUpdateState {
  node: string;
  /** At most one non-terminating pod of the current template, one of an older one (findUpdatedPodsOnNode). */
  newPod?: V1Pod;
  oldPod?: V1Pod;
  /** More than one new or more than one old pod: left to the manage loop. */
  excess: boolean;
  /**
   * No daemon pod on the node at all, not even a terminating one: the old pod is gone and the new one
   * not yet created. The node counts against the budget here, as the API documents maxUnavailable
   * ("nodes ... unavailable during the update"); update.go rollingUpdate does not count it (see budgetProblems).
   */
  podless: boolean;
  /** The node counts against maxUnavailable. */
  unavailable: boolean;
  /** The node counts against maxSurge (a new pod beside an old one, not yet available, or excess pods). */
  surging: boolean;
  /** An available pod of the current template and no old pod: this node is done. */
  updated: boolean;
  /** The node's pods in one line. */
  observed: string;
}

export interface UpdateStates {
  budget: RollingBudget;
  desired: number;
  states: NodeUpdateState[];
  view: SnapshotView;
}

// Splits a node's non-terminating pods into one new and one old (update.go findUpdatedPodsOnNode).
function splitPods(pods: V1Pod[], hash: string | undefined, ds: V1DaemonSet): { newPod?: V1Pod; oldPod?: V1Pod; excess: boolean } {
  let newPod: V1Pod | undefined; let oldPod: V1Pod | undefined;
  for (const pod of pods) {
    if (isTerminating(pod)) continue;
    if (isPodUpdated(pod, hash, ds)) {
      if (newPod) return { excess: true };
      newPod = pod;
    } else {
      if (oldPod) return { excess: true };
      oldPod = pod;
    }
  }
  return { newPod, oldPod, excess: false };
}

/** What classifying one node's pods needs besides the pods: the DaemonSet's template facts, time, words. */
export interface ClassifyContext {
  ds: V1DaemonSet;
  hash: string | undefined;
  minReadySeconds: number;
  /** Without surge (maxSurge 0) and with surge, nodes are counted differently. */
  surge: boolean;
  now: number;
  /** What describePod reads: the DaemonSet, its revisions and the time. */
  describe: Pick<ClusterSnapshot, 'daemonSet' | 'revisions' | 'now'>;
}

// Classifies one shouldRun node from its daemon pods. Without surge (rollingUpdate, maxSurge == 0) a node is
// unavailable when it has excess pods, no pod, both an old and a new pod, or its one pod is not available.
// With surge a node is unavailable when the pod that counts (the old one if any, else the new one) is not
// available, and it is surging when a new pod waits beside an old one (numSurge).
export function classifyNode(name: string, pods: V1Pod[], c: ClassifyContext): NodeUpdateState {
  const { newPod, oldPod, excess } = splitPods(pods, c.hash, c.ds);
  const avail = (p: V1Pod | undefined) => p !== undefined && isPodAvailable(p, c.minReadySeconds, c.now);
  const updated = !excess && oldPod === undefined && avail(newPod);
  // Every change is judged, so the words are put together only when someone reads them.
  const observed = lazy(() => (pods.length === 0 ? 'no daemon pod' : pods.map((p) => describePod(p, c.describe)).join('; ')));
  if (!c.surge) {
    // excess pods leave both undefined, so they count too
    const unavailable = (newPod === undefined) === (oldPod === undefined) || !avail(newPod ?? oldPod);
    return withObserved({ node: name, newPod, oldPod, excess, podless: pods.length === 0, unavailable, surging: false, updated }, observed);
  }
  const unavailable = !avail(oldPod ?? newPod);
  const surging = excess || (oldPod !== undefined && newPod !== undefined && !avail(newPod));
  return withObserved({ node: name, newPod, oldPod, excess, podless: pods.length === 0, unavailable, surging, updated }, observed);
}

// Classifies every shouldRun node of a snapshot (classifyNode).
export function updateStates(snapshot: ClusterSnapshot): UpdateStates {
  const ds = snapshot.daemonSet;
  const view = viewOf(snapshot);
  const eligible = view.nodes.filter((n) => n.eligibility.shouldRun);
  const budget = rollingBudget(ds, eligible.length);
  const c: ClassifyContext = { ds, hash: view.hash, minReadySeconds: view.minReadySeconds, surge: budget.maxSurge > 0, now: snapshot.now, describe: snapshot };
  const states = eligible.map(({ name, pods }) => classifyNode(name, pods, c));
  return { budget, desired: eligible.length, states, view };
}

/** Where the real controller allows more unavailable nodes than maxUnavailable, in its own words. */
export const CONTROLLER_COUNTS_ONLY_NODES_WITH_PODS = 'update.go rollingUpdate counts only nodes that have a daemon pod '
  + '("Deleted pods do not count as unavailable so that updates make progress when nodes are down"), and manage and rollingUpdate '
  + 'each list the pods from the controller\'s cache in one sync (daemon_controller.go updateDaemonSet): a pod that leaves the cache '
  + 'between the two reads is neither replaced by manage nor counted by rollingUpdate, and that sync deletes one more old pod than the budget allows '
  + '(kubernetes v1.36 pkg/controller/daemon)';

// One problem line per budget the node states exceed (unavailable > maxUnavailable, surging > maxSurge). Without
// surge, when the nodes with no daemon pod at all are what takes the count over maxUnavailable, a second line says
// that the controller, which does not count those nodes, stayed within its own rule (the verdict stands: the
// DaemonSet had more nodes without an available pod than it promised).
export function budgetProblems(u: Pick<UpdateStates, 'budget' | 'desired' | 'states'>): string[] {
  const problems: string[] = [];
  const unavailable = u.states.filter((s) => s.unavailable);
  const surging = u.states.filter((s) => s.surging);
  if (unavailable.length > u.budget.maxUnavailable) {
    problems.push(`${unavailable.length} of ${u.desired} nodes unavailable, more than maxUnavailable ${u.budget.maxUnavailable}: ${unavailable.map((s) => s.node).join(', ')}`);
    const podless = unavailable.filter((s) => s.podless);
    const counted = unavailable.length - podless.length;
    if (u.budget.maxSurge === 0 && podless.length > 0 && counted <= u.budget.maxUnavailable) {
      problems.push(`counted as the DaemonSet controller counts, ${counted} of ${u.desired} (within maxUnavailable ${u.budget.maxUnavailable}): `
        + `it leaves out ${podless.map((s) => s.node).join(', ')}, with no daemon pod at all; ${CONTROLLER_COUNTS_ONLY_NODES_WITH_PODS}`);
    }
  }
  if (surging.length > u.budget.maxSurge) {
    problems.push(`${surging.length} of ${u.desired} nodes surging, more than maxSurge ${u.budget.maxSurge}: ${surging.map((s) => s.node).join(', ')}`);
  }
  return problems;
}
