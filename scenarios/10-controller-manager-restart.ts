// The controller manager restarts mid-rollout: the DaemonSet controller stops, a new process has
// to win the lease back (up to its 15 s lease duration) and pick the rollout up where it was. The
// rollout must still finish within its budget, and every node must be covered again.
// Needs a control plane rollcall started itself (kwok); elsewhere it is skipped with the reason.
import { defineScenario, daemonPodsByNode } from '../src/index.js';
import type { ClusterSnapshot } from '../src/index.js';

/** Nodes whose live daemon pod runs `image`. */
function nodesRunning(image: string, s: ClusterSnapshot): number {
  return [...daemonPodsByNode(s).values()].filter((pods) => pods.some((p) => !p.metadata?.deletionTimestamp && p.spec?.containers[0]?.image === image)).length;
}

export default defineScenario({
  name: 'the controller-manager restarts mid-rollout',
  description: 'kube-controller-manager is restarted while a rolling update is under way: the rollout completes within budget and coverage recovers.',
  tags: ['rollout', 'control-plane'],
  cluster: { nodes: 5 },
  requires: ['control-plane-restart'],
  timeout: '6m',
  async run(t) {
    const ds = await t.daemonSet('manifests/simple-log-collector.yaml');
    await t.step('covered before the rollout', () => ds.expectCoverage().within('60s'));
    // 5 s per node, so the rollout is still going when the controller manager goes away.
    await ds.patch({ minReadySeconds: 5 });
    // Pods Ready for less than that are not available yet: the budget is judged from a settled start.
    await t.step('available for minReadySeconds', () => ds.expectCoverage().within('60s'));

    await t.step('the controller manager restarts mid-rollout: the budget holds and the rollout completes', async () => {
      t.invariant('never more nodes without an available pod than maxUnavailable', ds.withinBudget, ds);
      const image = 'busybox:1.37';
      const update = await ds.setImage(image);
      await ds.expect('a first node runs the new image', (s) => nodesRunning(image, s) >= 1 || 'no node runs it yet').within('60s');
      const s = ds.snapshot()!;
      t.assert('the restart comes mid-rollout', nodesRunning(image, s) < s.nodes.length || `all ${s.nodes.length} nodes already run ${image}`);
      const restart = await t.controlPlane.restart('kube-controller-manager');
      t.timing('controller manager down -> leading again', restart, { atMs: restart.servingAtMs, description: 'lease renewed by the new process' });
      const done = await ds.expectRolloutComplete().within('2m');
      t.timing('image set -> rollout complete (across the restart)', update, done, { max: '2m' });
    });

    await t.step('coverage recovers', () => ds.expectCoverage().within('60s'));
  },
});
