// The registry goes down mid-rollout: nodes that still have to pull the new image cannot, so the
// rollout must halt within maxUnavailable; once the registry is back it must finish on its own.
// Needs a real registry (kind); on kwok it is skipped with the reason.
import { defineScenario, describePod, daemonPodsByNode, isPodAvailable } from '../src/index.js';
import type { ClusterSnapshot } from '../src/index.js';

/** Nodes whose daemon pod runs `image` and is available (by image: the new revision may not be recorded yet). */
function nodesRunning(image: string, s: ClusterSnapshot): string[] {
  return [...daemonPodsByNode(s)].filter(([, pods]) => pods.some((p) => !p.metadata?.deletionTimestamp && p.spec?.containers[0]?.image === image && isPodAvailable(p, 0, s.now))).map(([n]) => n);
}

export default defineScenario({
  name: 'registry outage mid-rollout',
  description: 'The registry becomes unreachable after the first node pulled the new image: the rollout halts within maxUnavailable, and completes once the registry is back.',
  tags: ['rollout', 'registry'],
  cluster: { nodes: 4 },
  requires: ['registry-outage'],
  timeout: '8m',
  async run(t) {
    const ds = await t.daemonSet('manifests/log-collector-with-probe.yaml');
    await t.step('covered before the rollout', () => ds.expectCoverage().within('60s'));
    // A tag no node has pulled: every node must fetch it from the registry.
    const image = await t.registry.freshImage();

    await t.step('the registry goes down mid-rollout: the rollout halts within maxUnavailable', async () => {
      t.invariant('never more nodes without an available pod than maxUnavailable', ds.withinBudget, ds);
      await ds.setImage(image);
      await ds.expect('a first node runs the new image', (s) => nodesRunning(image, s).length >= 1 || `no node runs it yet; ${s.pods.map((p) => describePod(p, s)).join('; ')}`).within('60s');
      await t.registry.cut();
      await ds.expectRolloutHalted().within('90s', { stableFor: '15s' });
    });

    await t.step('the registry is back: the rollout completes', async () => {
      const back = await t.registry.restore();
      // The kubelet retries a failed pull on its back-off (10 s, doubling): no action needed.
      await ds.expectRolloutComplete().within('5m');
      const covered = await ds.expectCoverage().within('60s');
      t.timing('registry back -> rollout complete', back, covered);
    });
  },
});
