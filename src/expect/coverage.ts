// Coverage: every eligible node runs exactly one available pod of the current revision, and nothing else.
import type { V1DaemonSet, V1DaemonSetStatus, V1Pod } from '@kubernetes/client-node';
import { describePod, isPodAvailable, isPodUpdated, isTerminating } from './daemon-pods.js';
import { judgement, lazy, withObserved, type ClusterSnapshot, type Judgement, type NodeObservation } from './judgement.js';
import { counterMismatches, expectedStatus, viewOf, type SnapshotView } from './status-counts.js';

export interface CoverageOptions {
  /** Accept pods left on nodes with an untolerated NoSchedule taint (shouldContinueRunning). */
  allowMisscheduled?: boolean;
  /** Accept a DaemonSet that no node should run (desiredNumberScheduled 0). */
  allowEmpty?: boolean;
  /**
   * Skip the status-counter check. The controller leaves its status stale when a node only gains
   * a taint its pods may stay under (syncNodeUpdate does not enqueue the DaemonSet), so a
   * scenario judging misscheduled pods right after a NoSchedule taint may need this.
   */
  ignoreStatusCounters?: boolean;
}

// Lists the pods on a node as one line, or says there are none.
function describePods(pods: V1Pod[], snapshot: ClusterSnapshot): string {
  if (pods.length === 0) return 'no daemon pod';
  const lines = pods.map((p) => describePod(p, snapshot));
  return pods.length === 1 ? lines.join('') : `${pods.length} daemon pods: ${lines.join('; ')}`;
}

// Whether a node's pods are exactly one available, non-terminating pod of the current template.
function isCovered(pods: V1Pod[], snapshot: ClusterSnapshot, view: SnapshotView): boolean {
  const [pod, ...rest] = pods;
  return pod !== undefined && rest.length === 0 && !isTerminating(pod)
    && isPodAvailable(pod, view.minReadySeconds, snapshot.now) && isPodUpdated(pod, view.hash, snapshot.daemonSet);
}

// Judges whether the DaemonSet fully covers its nodes and its status says so too.
export function judgeCoverage(snapshot: ClusterSnapshot, opts: CoverageOptions = {}): Judgement {
  const ds = snapshot.daemonSet;
  const view = viewOf(snapshot);
  const revision = view.revisionNumber !== undefined ? `revision ${view.revisionNumber}` : `hash ${view.hash ?? '?'}`;
  const nodes: NodeObservation[] = [];
  const problems: string[] = [];
  let desired = 0; let covered = 0;

  for (const { name, eligibility, pods } of view.nodes) {
    // Put into words only when read: a failing node's problem line, or the report.
    const observed = lazy(() => describePods(pods, snapshot));
    if (eligibility.shouldRun) {
      desired++;
      const ok = isCovered(pods, snapshot, view);
      if (ok) covered++;
      else problems.push(`${name}: expected 1 available pod of ${revision}, observed ${observed()}`);
      nodes.push(withObserved({ node: name, expected: `1 available pod of ${revision}`, ok }, observed));
      continue;
    }
    const why = eligibility.reasons.join(', ');
    const tolerated = opts.allowMisscheduled === true && eligibility.shouldContinueRunning;
    const ok = pods.length === 0 || tolerated;
    const expected = tolerated ? `no new daemon pod (${why}); an existing one may stay` : `no daemon pod (${why})`;
    if (!ok) problems.push(`${name}: expected ${expected}, observed ${observed()}`);
    nodes.push(withObserved({ node: name, expected, ok }, observed));
  }
  for (const [name, pods] of view.strayPods) {
    const observed = describePods(pods, snapshot);
    problems.push(`${name}: node does not exist, observed ${observed}`);
    nodes.push({ node: name, expected: 'no daemon pod (node does not exist)', observed, ok: false });
  }

  if (view.hash === undefined) problems.push('no ControllerRevision owned by the DaemonSet: current revision unknown');
  if (desired === 0 && opts.allowEmpty !== true) problems.push('no node should run the daemon (desiredNumberScheduled 0)');
  const generation = ds.metadata?.generation ?? 0;
  const observedGeneration = ds.status?.observedGeneration ?? 0;
  if (observedGeneration < generation) {
    problems.push(`status.observedGeneration is ${observedGeneration}, metadata.generation is ${generation}: the controller has not seen the latest spec`);
  }
  if (opts.ignoreStatusCounters !== true) problems.push(...counterMismatches(ds.status, expectedStatus(snapshot, view)));
  return judgement(`${covered}/${desired} nodes covered`, nodes, problems);
}

/**
 * Why the DaemonSet's own status already rules coverage out, or undefined when it may hold: O(1),
 * so a wait can skip judging every node while a rollout is under way. It follows from judgeCoverage:
 * covered means every eligible node's oldest pod is ready, available and updated, and the status
 * counters must equal the ones updateDaemonSetStatus would write for those pods
 * (pkg/controller/daemon/daemon_controller.go), so current, ready, available and updated all equal
 * desired, none is unavailable, and none misscheduled unless that is allowed. Without the counter
 * check (ignoreStatusCounters) only a spec the controller has not seen rules it out.
 */
export function coverageRuledOut(ds: V1DaemonSet, opts: CoverageOptions = {}): string | undefined {
  const generation = ds.metadata?.generation ?? 0;
  const observedGeneration = ds.status?.observedGeneration ?? 0;
  if (observedGeneration < generation) return `status.observedGeneration is ${observedGeneration}, metadata.generation is ${generation}`;
  if (opts.ignoreStatusCounters === true) return undefined;
  const n = (k: keyof V1DaemonSetStatus) => Number(ds.status?.[k] ?? 0);
  const desired = n('desiredNumberScheduled');
  if (desired === 0 && opts.allowEmpty !== true) return 'status.desiredNumberScheduled is 0';
  for (const k of ['currentNumberScheduled', 'numberReady', 'numberAvailable', 'updatedNumberScheduled'] as const) {
    if (n(k) !== desired) return `status.${k} is ${n(k)} of ${desired}`;
  }
  if (n('numberUnavailable') !== 0) return `status.numberUnavailable is ${n('numberUnavailable')}`;
  if (n('numberMisscheduled') !== 0 && opts.allowMisscheduled !== true) return `status.numberMisscheduled is ${n('numberMisscheduled')}`;
  return undefined;
}
