// The API server and etcd freeze for a few seconds (SIGSTOP, as a stalled disk or a paused VM
// would): the watches see nothing meanwhile, and the report shows the span as not observed
// instead of judging across it. The cluster must serve again on its own and a rollout finish.
// Needs a control plane rollcall started itself (kwok); elsewhere it is skipped with the reason.
import { defineScenario } from '../src/index.js';

export default defineScenario({
  name: 'the API server and etcd freeze briefly',
  description: 'kube-apiserver is frozen for 5 s while coverage is held, then etcd for 4 s mid-rollout: both gaps are shown, the rollout completes.',
  tags: ['control-plane'],
  cluster: { nodes: 3 },
  requires: ['control-plane-pause'],
  timeout: '5m',
  async run(t) {
    const ds = await t.daemonSet('manifests/simple-log-collector.yaml');
    await t.step('covered', () => ds.expectCoverage().within('60s'));

    await t.step('coverage holds on both sides of a frozen API server', async () => {
      // Without allowGaps this would fail as "unobserved": nobody saw the 5 s in between. Both at
      // once (Promise.all), so a break during the freeze fails the step instead of going unheard.
      await Promise.all([
        ds.expectCoverage().holdsFor('20s', { allowGaps: true }),
        t.sleep('3s').then(() => t.controlPlane.pause('kube-apiserver', '5s')),
      ]);
    });

    await t.step('etcd freezes mid-rollout: the rollout still completes', async () => {
      const update = await ds.setImage('busybox:1.37');
      await t.controlPlane.pause('etcd', '4s');
      const done = await ds.expectRolloutComplete().within('2m');
      t.timing('image set -> rollout complete (across the freeze)', update, done);
      await ds.expectCoverage().within('60s');
    });
  },
});
