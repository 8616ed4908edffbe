// Everything the checks read about one DaemonSet of a twin, derived once with src/expect's own code.
import type { V1DaemonSet, V1Node } from '@kubernetes/client-node';
import type { ClusterSnapshot } from '../expect/judgement.js';
import { daemonPodsByNode, describePod, isPodAvailable, isTerminating } from '../expect/daemon-pods.js';
import { nodeShouldRunDaemonPod } from '../expect/eligibility.js';
import { rollingBudget, type RollingBudget } from '../expect/budget.js';
import type { ClusterTwin, TwinDaemonSet } from '../twin/twin-model.js';
import { twinSnapshot } from '../twin/twin-snapshot.js';
import type { NodeCoverage, RolloutPlan } from './check-model.js';

/** One DaemonSet with its twin, API-shaped objects, per-node coverage and budget. */
export interface DaemonSetContext {
  twin: ClusterTwin;
  ds: TwinDaemonSet;
  /** `namespace/name`. */
  id: string;
  object: V1DaemonSet;
  snapshot: ClusterSnapshot;
  coverage: NodeCoverage[];
  /** Node objects by name, for checks that compare with allocatable. */
  nodes: Map<string, V1Node>;
  budget: RollingBudget;
  rollout: RolloutPlan;
}

/** Derives the context; `nodes` may be shared across DaemonSets (built once per twin). */
export function daemonSetContext(twin: ClusterTwin, ds: TwinDaemonSet, nodes: V1Node[], assumedReadySeconds: number): DaemonSetContext {
  const snapshot = twinSnapshot(twin, ds, nodes);
  const object = snapshot.daemonSet;
  const minReady = object.spec?.minReadySeconds ?? 0;
  const byNode = daemonPodsByNode(snapshot);
  const coverage = nodes.map((node): NodeCoverage => {
    const name = node.metadata?.name ?? '';
    const e = nodeShouldRunDaemonPod(node, object);
    const pods = byNode.get(name) ?? [];
    const live = pods.filter((p) => !isTerminating(p));
    return {
      node: name,
      eligible: e.shouldRun,
      keepsExistingPod: !e.shouldRun && e.shouldContinueRunning,
      reasons: e.reasons,
      pods: pods.length ? pods.map((p) => describePod(p, snapshot)).join('; ') : 'no daemon pod',
      availableNow: live.length === 1 && isPodAvailable(live[0]!, minReady, snapshot.now),
    };
  });
  const desired = coverage.filter((c) => c.eligible).length;
  const budget = rollingBudget(object, desired);
  return {
    twin, ds, id: `${ds.namespace}/${ds.name}`, object, snapshot, coverage,
    nodes: new Map(nodes.map((n) => [n.metadata?.name ?? '', n])),
    budget,
    rollout: rolloutPlan(object, budget, desired, assumedReadySeconds),
  };
}

// Waves and time: each wave takes maxUnavailable (or maxSurge) nodes from "old pod" to "new pod available".
function rolloutPlan(ds: V1DaemonSet, budget: RollingBudget, desired: number, readySeconds: number): RolloutPlan {
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const grace = ds.spec?.template?.spec?.terminationGracePeriodSeconds ?? 30;
  const statusDesired = ds.status?.desiredNumberScheduled ?? 0;
  const base = { desired, statusDesired, maxUnavailable: budget.maxUnavailable, maxSurge: budget.maxSurge };
  if (budget.strategy === 'OnDelete') {
    return {
      ...base, strategy: 'OnDelete', nodesDownAtOnce: 0, extraPodsAtOnce: 0, waves: 0, secondsPerWave: 0, estimateSeconds: 0, worstCaseSeconds: 0,
      assumption: 'OnDelete: pods change only when someone deletes them, so there is no rollout to time',
    };
  }
  const surge = budget.maxSurge > 0;
  const batch = Math.max(1, surge ? budget.maxSurge : budget.maxUnavailable);
  const waves = desired === 0 ? 0 : Math.ceil(desired / batch);
  const secondsPerWave = readySeconds + minReady;
  return {
    ...base,
    strategy: 'RollingUpdate',
    nodesDownAtOnce: surge ? 0 : Math.min(budget.maxUnavailable, desired),
    extraPodsAtOnce: surge ? Math.min(budget.maxSurge, desired) : 0,
    waves,
    secondsPerWave,
    estimateSeconds: waves * secondsPerWave,
    worstCaseSeconds: waves * (secondsPerWave + (surge ? 0 : grace)),
    assumption: `a new pod is Ready ${readySeconds} s after it is created (--ready-seconds), then minReadySeconds ${minReady} s; `
      + (surge ? 'the old pod goes once the new one is available' : `worst case adds terminationGracePeriodSeconds ${grace} s per wave while old pods stop`),
  };
}
