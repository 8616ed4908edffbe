// Conditions that must hold at every moment of a step, checked on each recorded change.
import type { V1Pod } from '@kubernetes/client-node';
import { judgement, withObserved, type ClusterSnapshot, type Judgement, type NodeObservation } from './judgement.js';
import type { RollingBudget } from './budget.js';
import { budgetProblems, updateStates, type NodeUpdateState } from './update-state.js';

// Checks that no more eligible nodes are unavailable (and surging) than the rolling-update budget allows,
// counting nodes the way update.go rollingUpdate does. Old pods that fail on their own are replaced by the
// controller outside the budget, so chaos that makes pods unready can legitimately break this invariant.
export function unavailableWithinBudget(snapshot: ClusterSnapshot): Judgement {
  const u = updateStates(snapshot);
  return budgetJudgement(u.budget, u.desired, u.states.filter((s) => s.unavailable).length, u.states.filter((s) => s.surging).length, () => u.states);
}

/**
 * The budget verdict from counts; the per-node states (eligible nodes in order) are read only when the
 * verdict fails or someone reads `nodes`, so a tracker that keeps counts up to date judges in O(1).
 * `evidence` adds lines to a failure (e.g. when each unavailable node became so).
 */
export function budgetJudgement(
  budget: RollingBudget, desired: number, unavailable: number, surging: number,
  states: () => NodeUpdateState[], evidence: () => string[] = () => [],
): Judgement {
  const surge = budget.maxSurge > 0 ? `, ${surging} surging (maxSurge ${budget.maxSurge})` : '';
  const headline = `${unavailable}/${desired} nodes unavailable (maxUnavailable ${budget.maxUnavailable})${surge}`;
  const observations = (): NodeObservation[] => states().map((s) => withObserved({
    node: s.node,
    expected: 'an available daemon pod, or within the rolling-update budget',
    ok: !s.unavailable && !s.surging,
  }, () => s.observed));
  const over = unavailable > budget.maxUnavailable || surging > budget.maxSurge;
  if (budget.strategy === 'OnDelete' || over) {
    const problems = budget.strategy === 'OnDelete' ? ['updateStrategy is OnDelete: it has no rolling-update budget'] : budgetProblems({ budget, desired, states: states() });
    return judgement(headline, observations(), [...problems, ...(problems.length ? evidence() : [])]);
  }
  let nodes: NodeObservation[] | undefined;
  return { ok: true, summary: headline, problems: [], get nodes() { return (nodes ??= observations()); } };
}

// Checks that no pod restarted between two reads: a pod UID gone, or a container restartCount that grew.
export function noRestarts(before: V1Pod[], after: V1Pod[]): Judgement {
  const afterByUid = new Map(after.map((p) => [p.metadata?.uid, p] as const));
  const restarts = (p: V1Pod) => new Map([...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]
    .map((c) => [c.name, c.restartCount ?? 0] as const));
  const nodes: NodeObservation[] = [];
  for (const pod of before) {
    const uid = pod.metadata?.uid;
    if (uid === undefined) continue;
    const name = pod.metadata?.name ?? uid;
    const later = afterByUid.get(uid);
    let observed = `pod ${name} kept running`;
    if (!later) {
      observed = `pod ${name} is gone (uid ${uid}): replaced or deleted`;
    } else {
      const was = restarts(pod);
      const grew = [...restarts(later)].filter(([c, n]) => n > (was.get(c) ?? 0)).map(([c, n]) => `${c} ${was.get(c) ?? 0} -> ${n}`);
      if (grew.length > 0) observed = `pod ${name} restarted containers: ${grew.join(', ')}`;
    }
    const ok = observed === `pod ${name} kept running`;
    nodes.push({ node: pod.spec?.nodeName ?? '(unscheduled)', expected: `pod ${name} keeps running`, observed, ok });
  }
  const bad = nodes.filter((n) => !n.ok);
  return judgement(`${bad.length} of ${nodes.length} pods restarted`, nodes, bad.map((n) => `${n.node}: ${n.observed}`));
}
