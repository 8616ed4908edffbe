// Checks on the DaemonSet's state right now: a rollout that is stuck, nodes without an available pod, nothing to run on.
import { kubectlRolloutStatus } from '../expect/rollout.js';
import { updateStates } from '../expect/update-state.js';
import { finding, nodeList, type Check } from './check.js';

export const rolloutStuck: Check = {
  id: 'rollout-stuck',
  title: 'a rollout is stuck now (updated < desired, misscheduled, observedGeneration behind)',
  run: (ctx) => {
    const s = ctx.ds.status; // a hand-written twin without status says nothing about the rollout
    if (!s) return [];
    const generation = ctx.object.metadata?.generation ?? 1;
    const evidence: string[] = [];
    if ((s.observedGeneration ?? 0) < generation) evidence.push(`status.observedGeneration ${s.observedGeneration ?? 0} < metadata.generation ${generation}: the controller has not acted on the spec`);
    const rolling = ctx.budget.strategy === 'RollingUpdate';
    if (rolling && (s.updatedNumberScheduled ?? 0) < (s.desiredNumberScheduled ?? 0)) {
      evidence.push(`status.updatedNumberScheduled ${s.updatedNumberScheduled ?? 0} < desiredNumberScheduled ${s.desiredNumberScheduled ?? 0}`);
    }
    if ((s.numberMisscheduled ?? 0) > 0) evidence.push(`status.numberMisscheduled ${s.numberMisscheduled}: pods on nodes that should not run them`);
    if (!evidence.length) return [];
    const nodes: string[] = [];
    if (rolling) {
      const u = updateStates(ctx.snapshot);
      const unavailable = u.states.filter((x) => x.unavailable);
      nodes.push(...unavailable.map((x) => x.node));
      evidence.push(`${unavailable.length} unavailable of ${u.desired} (maxUnavailable ${u.budget.maxUnavailable}${u.budget.maxSurge ? `, maxSurge ${u.budget.maxSurge}` : ''})`
        + (unavailable.length >= Math.max(1, u.budget.maxUnavailable) && u.budget.maxSurge === 0 ? ': the budget is spent, the controller takes no further node' : ''));
      for (const x of unavailable.slice(0, 8)) evidence.push(`${x.node}: ${x.observed}`);
      const kubectl = kubectlRolloutStatus(ctx.object);
      if (!kubectl.error) evidence.push(`kubectl rollout status: ${kubectl.message}`);
    }
    return [finding(ctx, 'rollout-stuck', 'error', `rollout not done: ${evidence[0]}`, evidence,
      'find why the new pods are not available (image, probe, resources) and fix or roll back (kubectl rollout undo) before the upgrade', nodes)];
  },
};

export const coverageGap: Check = {
  id: 'coverage-gap',
  title: 'eligible nodes without an available daemon pod now',
  run: (ctx) => {
    const gaps = ctx.coverage.filter((c) => c.eligible && !c.availableNow);
    return gaps.length ? [finding(ctx, 'coverage-gap', 'error', `${gaps.length} of ${ctx.rollout.desired} eligible nodes have no available daemon pod now`,
      gaps.map((c) => `${c.node}: ${c.pods}`), 'see each node\'s pod reason: fix it before an upgrade starts taking more nodes down', gaps.map((c) => c.node))] : [];
  },
};

export const noEligibleNode: Check = {
  id: 'no-eligible-node',
  title: 'no node should run the daemon',
  run: (ctx) => (ctx.rollout.desired > 0 ? [] : [finding(ctx, 'no-eligible-node', 'warning', `no node should run it: desiredNumberScheduled will be 0 on all ${ctx.coverage.length} nodes`,
    [...new Set(ctx.coverage.flatMap((c) => c.reasons))].slice(0, 8), 'check nodeSelector, affinity and tolerations against the node labels and taints')]),
};

/** The checks on current state, in report order. */
export const STATE_CHECKS: Check[] = [rolloutStuck, coverageGap, noEligibleNode];
