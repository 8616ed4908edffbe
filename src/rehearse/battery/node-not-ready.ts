// Battery step: one node goes NotReady and recovers; the others stay covered, the failed node keeps its pod, coverage comes back.
import { fromFullCoverage, firstRunningNode, type BatteryStep } from './battery-step.js';

export const nodeNotReady: BatteryStep = {
  id: 'not-ready',
  title: 'a node goes NotReady and recovers',
  skipReason: (target) => (target.prediction.some((p) => p.expect === 'runs') ? undefined : 'no node of the copy runs it'),
  async run(t, ds, target) {
    await fromFullCoverage(ds);
    const node = firstRunningNode(target, ds)!;
    const failed = await t.nodes.fail(node);
    // The node lifecycle controller taints it not-ready NoSchedule + NoExecute; daemon pods tolerate
    // NoExecute (the controller adds that toleration), so the pod stays while the node leaves desired.
    const tainted = await ds.expect(`${node} carries the not-ready taints`, (s) => {
      const taints = (s.nodes.find((n) => n.metadata?.name === node)?.spec?.taints ?? []).map((x) => `${x.key}:${x.effect}`);
      return ['NoSchedule', 'NoExecute'].every((e) => taints.includes(`node.kubernetes.io/not-ready:${e}`)) || `${node} taints: ${taints.join(', ') || 'none'}`;
    }).within('60s');
    t.timing('NotReady -> not-ready taints', failed, tainted);
    await ds.expectCoverage({ allowMisscheduled: true, ignoreStatusCounters: true }).holdsFor('10s');
    const recovered = await t.nodes.recover(node);
    const covered = await ds.expectCoverage().within('90s');
    t.timing('node recovered -> coverage restored', recovered, covered);
  },
};
