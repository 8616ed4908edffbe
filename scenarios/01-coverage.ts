// Coverage on every node: the log collector reaches each node, a node added later gets its pod,
// and a removed node's pod goes away.
import { defineScenario } from '../src/index.js';

export default defineScenario({
  name: 'coverage on every node',
  description: 'One available log-collector pod per node, through a node added and a node removed.',
  tags: ['coverage', 'nodes'],
  cluster: { nodes: 3 },
  requires: ['node-add', 'node-remove'],
  timeout: '4m',
  async run(t) {
    const ds = await t.daemonSet('manifests/simple-log-collector.yaml');
    await t.step('every node runs exactly one available pod', () => ds.expectCoverage().within('60s'));

    await t.step('a node added later gets its pod', async () => {
      const added = await t.nodes.add({ name: 'worker-4', labels: { pool: 'late' } });
      const covered = await ds.expectCoverage().within('60s', { stableFor: '6s' });
      t.timing('node added -> its daemon pod available', added, covered, { max: '30s' });
    });

    await t.step('a removed node takes its pod with it', async () => {
      const removed = await t.nodes.remove('worker-2');
      // The pod GC controller deletes pods bound to a vanished node after a 40 s quarantine.
      const covered = await ds.expectCoverage().within('120s');
      t.timing('node removed -> its pod collected', removed, covered);
    });
  },
});
