// Node pool rotation before an upgrade: add the new pool, then cordon, drain (honouring
// PodDisruptionBudgets) and remove each old node in turn; the daemon's budget holds throughout.
import { defineScenario } from '../src/index.js';

export default defineScenario({
  name: 'node pool rotation',
  description: 'Replace a 3-node pool one node at a time; no more than maxUnavailable nodes ever lack the daemon; time per node measured.',
  tags: ['nodes', 'upgrade'],
  cluster: { nodes: [{ name: 'old-1', labels: { pool: 'old' } }, { name: 'old-2', labels: { pool: 'old' } }, { name: 'old-3', labels: { pool: 'old' } }] },
  requires: ['node-add', 'node-remove'],
  timeout: '8m',
  async run(t) {
    const ds = await t.daemonSet('manifests/simple-log-collector.yaml');
    await t.apply('manifests/web-with-pdb.yaml');
    await t.step('old pool covered', () => ds.expectCoverage().within('60s'));

    await t.step('new pool joins and is covered', async () => {
      const added = await t.nodes.add([{ name: 'new-1', labels: { pool: 'new' } }, { name: 'new-2', labels: { pool: 'new' } }, { name: 'new-3', labels: { pool: 'new' } }]);
      // Stable for longer than the node lifecycle controller's 5 s pass, which may still taint and
      // untaint a node that has just joined.
      const covered = await ds.expectCoverage().within('60s', { stableFor: '6s' });
      t.timing('new pool added -> covered', added, covered, { max: '60s' });
    });

    for (const node of ['old-1', 'old-2', 'old-3']) {
      await t.step(`retire ${node}: cordon, drain, remove`, async () => {
        t.invariant('never more nodes without an available pod than maxUnavailable', ds.withinBudget, ds);
        const cordoned = await t.nodes.cordon(node);
        await t.nodes.drain(node, { timeout: '90s' });
        const removed = await t.nodes.remove(node);
        t.timing(`${node}: cordon -> drained`, cordoned, removed);
      });
    }

    await t.step('only the new pool is left, covered', async () => {
      // Removed nodes' pods are collected by the pod GC controller after its 40 s quarantine.
      await ds.expectCoverage().within('150s');
    });
  },
});
