// Node failure: a node goes NotReady; the DaemonSet keeps its other nodes covered and leaves the
// failed node's pod in place (it tolerates not-ready NoExecute); recovery restores coverage.
import { defineScenario } from '../src/index.js';

export default defineScenario({
  name: 'node failure and recovery',
  description: 'A NotReady node leaves desired (untolerated not-ready:NoSchedule) but keeps its pod; the rest stays covered; recovery time is measured.',
  tags: ['nodes', 'failure'],
  cluster: { nodes: 3 },
  requires: ['node-fail'],
  timeout: '4m',
  async run(t) {
    const ds = await t.daemonSet('manifests/simple-log-collector.yaml');
    await t.step('covered before the failure', () => ds.expectCoverage().within('60s'));

    const failed = await t.step('worker-2 fails (kubelet reports NotReady)', async () => {
      const failed = await t.nodes.fail('worker-2');
      // The node lifecycle controller taints it NoSchedule + NoExecute: not-ready when the kubelet
      // reports Ready=False (kwok), unreachable when it stops reporting and Ready goes Unknown (a
      // paused kind node). Daemon pods tolerate both NoExecute taints, so the pod stays;
      // NoSchedule takes the node out of desired.
      await ds.expect('worker-2 carries the not-ready or unreachable taints', (s) => {
        const node = s.nodes.find((n) => n.metadata?.name === 'worker-2');
        const taints = (node?.spec?.taints ?? []).map((x) => `${x.key}:${x.effect}`);
        const ok = ['not-ready', 'unreachable'].some((why) => taints.includes(`node.kubernetes.io/${why}:NoSchedule`) && taints.includes(`node.kubernetes.io/${why}:NoExecute`));
        // A string fails the expectation and says what was seen.
        return ok || `worker-2 taints: ${taints.join(', ') || 'none'}`;
      }).within('60s');
      return failed;
    });

    await t.step('meanwhile: the other nodes stay covered, the failed node keeps its pod', async () => {
      await ds.expectCoverage({ allowMisscheduled: true, ignoreStatusCounters: true }).holdsFor('10s');
    });

    await t.step('worker-2 recovers; coverage is restored', async () => {
      const recovered = await t.nodes.recover('worker-2');
      const covered = await ds.expectCoverage().within('90s');
      t.timing('node recovered -> coverage restored', recovered, covered, { max: '60s' });
      t.timing('node failed -> coverage restored', failed, covered);
    });
  },
});
