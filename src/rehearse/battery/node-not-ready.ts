// Battery step: one node goes NotReady and recovers; the others stay covered, the failed node keeps its pod, coverage comes back.
import { daemonPodsByNode } from '../../index.js';
import { fromFullCoverage, firstRunningNode, type BatteryStep } from './battery-step.js';

export const nodeNotReady: BatteryStep = {
  id: 'not-ready',
  title: 'a node goes NotReady and recovers',
  skipReason: (target) => (target.prediction.some((p) => p.expect === 'runs') ? undefined : 'no node of the copy runs it'),
  async run(t, ds, target) {
    await fromFullCoverage(ds);
    const node = firstRunningNode(target, ds)!;
    const pod = (ds.podsByNode().get(node) ?? [])[0];
    const failed = await t.nodes.fail(node);
    let recovered = false;
    try {
      // The node lifecycle controller taints it not-ready NoSchedule + NoExecute; daemon pods tolerate
      // NoExecute (the controller adds that toleration), so the pod stays while the node leaves desired.
      const tainted = await ds.expect(`${node} carries the not-ready taints`, (s) => {
        const taints = (s.nodes.find((n) => n.metadata?.name === node)?.spec?.taints ?? []).map((x) => `${x.key}:${x.effect}`);
        return ['NoSchedule', 'NoExecute'].every((e) => taints.includes(`node.kubernetes.io/not-ready:${e}`)) || `${node} taints: ${taints.join(', ') || 'none'}`;
      }).within('60s');
      t.timing('NotReady -> not-ready taints', failed, tainted);
      await ds.expect(`${node} keeps its pod while NotReady`, (s) => (daemonPodsByNode(s).get(node) ?? []).some((p) => p.metadata?.uid === pod?.metadata?.uid && !p.metadata?.deletionTimestamp)
        || `pod ${pod?.metadata?.name ?? '?'} on ${node} is gone`).holdsFor('10s');
      // With one eligible node there is no other node to keep covered (desired is 0 meanwhile).
      if (target.prediction.filter((p) => p.expect === 'runs').length > 1) await ds.expectCoverage({ allowMisscheduled: true, ignoreStatusCounters: true }).holdsFor('5s');
      const back = await t.nodes.recover(node);
      recovered = true;
      const covered = await ds.expectCoverage().within('90s');
      t.timing('node recovered -> coverage restored', back, covered);
    } finally {
      // The next steps need the node back even when this one failed.
      if (!recovered) await t.nodes.recover(node).catch((err: Error) => t.log(`could not recover ${node}: ${err.message}`));
    }
  },
};
