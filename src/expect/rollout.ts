// Rollout verdicts: kubectl's "is it done" rule, and "a bad rollout stopped where the budget says".
import type { V1DaemonSet } from '@kubernetes/client-node';
import { judgement, type ClusterSnapshot, type Judgement, type NodeObservation } from './judgement.js';
import { budgetProblems, updateStates } from './update-state.js';

export interface RolloutStatus {
  /** kubectl's verdict; true together with `error` for a non-RollingUpdate strategy, as kubectl returns. */
  done: boolean;
  /** kubectl's message without its trailing newline; empty when `error` is set. */
  message: string;
  error?: string;
}

// `kubectl rollout status daemonset/x` for one DaemonSet object (polymorphichelpers DaemonSetStatusViewer.Status).
export function kubectlRolloutStatus(ds: V1DaemonSet): RolloutStatus {
  if (ds.spec?.updateStrategy?.type !== 'RollingUpdate') {
    return { done: true, message: '', error: 'rollout status is only available for RollingUpdate strategy type' };
  }
  const name = ds.metadata?.name ?? '';
  const s = ds.status;
  const desired = s?.desiredNumberScheduled ?? 0;
  if ((ds.metadata?.generation ?? 0) <= (s?.observedGeneration ?? 0)) {
    const updated = s?.updatedNumberScheduled ?? 0;
    if (updated < desired) {
      return { done: false, message: `Waiting for daemon set "${name}" rollout to finish: ${updated} out of ${desired} new pods have been updated...` };
    }
    const available = s?.numberAvailable ?? 0;
    if (available < desired) {
      return { done: false, message: `Waiting for daemon set "${name}" rollout to finish: ${available} of ${desired} updated pods are available...` };
    }
    return { done: true, message: `daemon set "${name}" successfully rolled out` };
  }
  return { done: false, message: 'Waiting for daemon set spec update to be observed...' };
}

// Judges a rollout of a broken template: not complete, within the rolling budget, every other eligible node
// still served by an available (old) pod, and the controller has observed the new spec.
export function judgeRolloutHalted(snapshot: ClusterSnapshot): Judgement {
  const ds = snapshot.daemonSet;
  const u = updateStates(snapshot);
  const problems: string[] = [];
  if (u.budget.strategy !== 'RollingUpdate') problems.push('updateStrategy is OnDelete: there is no rolling update to halt');
  if (u.desired === 0) problems.push('no node should run the daemon (desiredNumberScheduled 0)');
  const generation = ds.metadata?.generation ?? 0;
  const observedGeneration = ds.status?.observedGeneration ?? 0;
  if (observedGeneration < generation) {
    problems.push(`status.observedGeneration is ${observedGeneration}, metadata.generation is ${generation}: the controller has not seen the new spec`);
  }
  const updated = u.states.filter((s) => s.updated).length;
  if (u.desired > 0 && updated === u.desired) problems.push(`rollout is complete (${updated}/${u.desired} nodes updated), not halted`);
  problems.push(...budgetProblems(u));

  const inFlight = `one of at most ${u.budget.maxUnavailable} unavailable${u.budget.maxSurge > 0 ? ` or ${u.budget.maxSurge} surging` : ''} nodes`;
  const nodes: NodeObservation[] = u.states.map((s) => ({
    node: s.node,
    expected: `an available pod, or ${inFlight}`,
    observed: s.observed,
    ok: !s.unavailable,
  }));
  const unavailable = u.states.filter((s) => s.unavailable).length;
  const surging = u.states.filter((s) => s.surging).length;
  const surge = u.budget.maxSurge > 0 ? `, ${surging} surging (maxSurge ${u.budget.maxSurge})` : '';
  const headline = `rollout halted at ${updated}/${u.desired} nodes updated, ${unavailable} unavailable (maxUnavailable ${u.budget.maxUnavailable})${surge}`;
  return judgement(headline, nodes, problems);
}
