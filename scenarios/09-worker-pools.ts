// The topology of a kind config file: kind-configs/worker-pools.yaml as is on kind, the same nodes
// (names, labels, taints) emulated on kwok. A dedicated pool is tainted: a DaemonSet reaches it
// only with a matching toleration, and a pool selector keeps it off the general workers.
import { daemonPodsByNode, defineScenario } from '../src/index.js';
import type { ClusterSnapshot } from '../src/index.js';

/** The pools (`rollcall.dev/pool`) of the nodes that run a daemon pod. */
function poolsCovered(s: ClusterSnapshot): string[] {
  const pods = daemonPodsByNode(s);
  return s.nodes.filter((n) => (pods.get(n.metadata!.name!) ?? []).some((p) => !p.metadata?.deletionTimestamp)).map((n) => n.metadata?.labels?.['rollcall.dev/pool'] ?? 'none').sort();
}

export default defineScenario({
  name: 'dedicated pool from a kind config',
  description: 'Nodes from kind-configs/worker-pools.yaml: without a toleration the general pool is covered; with it and a pool selector, only the dedicated pool.',
  tags: ['taints', 'kind-config'],
  cluster: { config: '../kind-configs/worker-pools.yaml' },
  timeout: '4m',
  async run(t) {
    const ds = await t.daemonSet('manifests/simple-log-collector.yaml');
    t.log(`nodes: ${t.nodes.names().join(', ')}`);

    await t.step('without a toleration: the general pool only (the dedicated pool and the control plane are tainted)', async () => {
      await ds.expectCoverage().within('60s');
      await ds.expect('pods on the two general workers only', (s) => JSON.stringify(poolsCovered(s)) === '["general","general"]' || `pods on pools ${poolsCovered(s).join(', ')}`).within('30s');
    });

    await t.step('tolerating the dedicated taint and selecting the pool: the dedicated pool only', async () => {
      await ds.patch({
        tolerations: [{ key: 'rollcall.dev/dedicated', operator: 'Equal', value: 'true', effect: 'NoSchedule' }],
        nodeSelector: { 'rollcall.dev/pool': 'dedicated' },
      });
      await ds.expectCoverage().within('90s');
      await ds.expect('pods on the two dedicated workers only', (s) => JSON.stringify(poolsCovered(s)) === '["dedicated","dedicated"]' || `pods on pools ${poolsCovered(s).join(', ')}`).within('30s');
    });
  },
});
