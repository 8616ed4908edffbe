// Taints: a NoSchedule taint leaves the running pod (now misscheduled), a NoExecute taint evicts
// it, a toleration brings it back; a cordoned node still gets its pod.
import { defineScenario } from '../src/index.js';

export default defineScenario({
  name: 'taints and cordon',
  description: 'NoSchedule keeps the pod (misscheduled), NoExecute evicts it, a toleration restores it, cordon does not matter.',
  tags: ['taints'],
  cluster: { nodes: 3 },
  timeout: '4m',
  async run(t) {
    const ds = await t.daemonSet('manifests/simple-log-collector.yaml');
    await t.step('all nodes covered', () => ds.expectCoverage().within('60s'));

    await t.step('NoSchedule taint: the pod stays, counted misscheduled', async () => {
      await t.nodes.taint('worker-1', { key: 'maintenance', value: 'planned', effect: 'NoSchedule' });
      // The controller does not resync a DaemonSet when a node only gains a taint its pod may stay
      // under, so status.numberMisscheduled stays stale until its next sync: judge the pods.
      await ds.expectCoverage({ allowMisscheduled: true, ignoreStatusCounters: true }).holdsFor('5s');
      await t.nodes.untaint('worker-1', 'maintenance');
      await ds.expectCoverage().within('30s');
    });

    await t.step('NoExecute taint: the pod is evicted', async () => {
      const tainted = await t.nodes.taint('worker-2', { key: 'dedicated', value: 'gpu', effect: 'NoExecute' });
      const evicted = await ds.expectCoverage().within('60s');
      t.timing('NoExecute taint -> pod evicted', tainted, evicted);
    });

    await t.step('a toleration brings the pod back', async () => {
      const patched = await ds.patch({ tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoExecute' }] });
      const covered = await ds.expectCoverage().within('60s');
      t.timing('toleration added -> tainted node covered', patched, covered);
    });

    await t.step('a cordoned node still gets its daemon pod', async () => {
      await t.nodes.cordon('worker-3');
      await ds.deletePod('worker-3');
      await ds.expectCoverage().within('60s');
    });
  },
});
