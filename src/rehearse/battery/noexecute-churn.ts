// Battery step: a NoExecute toleration with tolerationSeconds under its taint: the pod is evicted and recreated, again and again.
import { daemonPodsByNode, type ClusterSnapshot } from '../../index.js';
import { AssertionFailure } from '../../util/errors.js';
import { fromFullCoverage, firstRunningNode, type BatteryStep } from './battery-step.js';

/** Longer tolerations than this are not waited for (check still reports them). */
export const MAX_CHURN_SECONDS = 180;

export const noExecuteChurn: BatteryStep = {
  id: 'churn',
  title: 'a tolerated NoExecute taint with tolerationSeconds: does the pod stay?',
  skipReason: (target) => {
    if (!target.churn.length) return 'no NoExecute toleration with tolerationSeconds';
    const c = target.churn.reduce((a, b) => (a.seconds <= b.seconds ? a : b));
    return c.seconds > MAX_CHURN_SECONDS ? `tolerationSeconds ${c.seconds} s is longer than the battery waits (${MAX_CHURN_SECONDS} s); check reports the churn` : undefined;
  },
  async run(t, ds, target) {
    await fromFullCoverage(ds);
    const trigger = target.churn.reduce((a, b) => (a.seconds <= b.seconds ? a : b));
    const node = firstRunningNode(target, ds)!;
    const first = (ds.podsByNode().get(node) ?? []).find((p) => !p.metadata?.deletionTimestamp);
    const tainted = await t.nodes.taint(node, trigger.taint);
    // The taint manager deletes the pod after tolerationSeconds; the controller, which tolerates the taint, recreates it.
    const gone = (s: ClusterSnapshot) => !(daemonPodsByNode(s).get(node) ?? []).some((p) => p.metadata?.uid === first?.metadata?.uid && !p.metadata?.deletionTimestamp);
    let evicted = false;
    try {
      await ds.expect(`the pod on ${node} stays under a taint it tolerates`, (s) => !gone(s) || `pod ${first?.metadata?.name ?? '?'} on ${node} evicted`).holdsFor(`${trigger.seconds + 30}s`);
    } catch (err) {
      if (!(err instanceof AssertionFailure)) throw err;
      evicted = true;
    }
    let evidence = '';
    if (evicted) {
      const back = await ds.expect(`a new pod on ${node}`, (s) => (daemonPodsByNode(s).get(node) ?? []).some((p) => p.metadata?.uid !== first?.metadata?.uid && !p.metadata?.deletionTimestamp)).within('60s');
      const churn = t.timing(`taint ${trigger.taint.key}:NoExecute -> pod evicted and recreated`, tainted, back);
      evidence = `pod ${first?.metadata?.name ?? '?'} on ${node} was evicted and recreated ${(churn.ms / 1000).toFixed(0)} s after the taint; it churns every ${trigger.seconds} s while the taint stays`;
    }
    await t.nodes.untaint(node, trigger.taint.key, 'NoExecute');
    await ds.expectCoverage().within('60s');
    if (evicted) throw new AssertionFailure(evidence);
  },
};
