// A DaemonSet for a subset of nodes, by nodeSelector and by node affinity: labelling a node in
// adds its pod, labelling it out removes it.
import { defineScenario } from '../src/index.js';

export default defineScenario({
  name: 'node subset by selector and affinity',
  description: 'Pods follow node labels, for a nodeSelector and for required node affinity.',
  tags: ['selector', 'affinity'],
  cluster: {
    nodes: [
      { name: 'ssd-1', labels: { disk: 'ssd' } },
      { name: 'ssd-2', labels: { disk: 'ssd' } },
      { name: 'hdd-1', labels: { disk: 'hdd' } },
    ],
  },
  timeout: '4m',
  async run(t) {
    const ds = await t.daemonSet('manifests/simple-log-collector.yaml');
    await t.step('nodeSelector disk=ssd: only ssd nodes', async () => {
      await ds.patch({ nodeSelector: { disk: 'ssd' } });
      await ds.expectCoverage().within('60s');
    });

    await t.step('labelling a node in adds its pod', async () => {
      const labelled = await t.nodes.label('hdd-1', { disk: 'ssd' });
      const covered = await ds.expectCoverage().within('60s');
      t.timing('node labelled in -> pod available', labelled, covered);
    });

    await t.step('labelling a node out removes its pod', async () => {
      const unlabelled = await t.nodes.label('ssd-1', { disk: 'hdd' });
      const covered = await ds.expectCoverage().within('60s');
      t.timing('node labelled out -> pod gone', unlabelled, covered);
    });

    await t.step('required node affinity (disk In [hdd]) instead of the selector', async () => {
      await ds.patch({
        nodeSelector: null,
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'In', values: ['hdd'] }] }] } } },
      });
      await ds.expectCoverage().within('90s');
      await t.nodes.label('hdd-1', { disk: 'hdd' });
      await ds.expectCoverage().within('60s');
    });
  },
});
