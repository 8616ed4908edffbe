// Battery step: the live copy covers exactly the nodes `rollcall check` predicted, node by node.
import { daemonPodsByNode, describePod, isPodAvailable, judgement, type ClusterSnapshot, type Judgement } from '../../index.js';
import type { NodePrediction } from '../rehearsal-target.js';
import type { BatteryStep } from './battery-step.js';

/** What a node of the live copy shows, in the prediction's terms. */
export function observedOnNode(s: ClusterSnapshot, node: string): { state: NodePrediction['expect']; observed: string } {
  const pods = (daemonPodsByNode(s).get(node) ?? []).filter((p) => !p.metadata?.deletionTimestamp);
  if (!pods.length) return { state: 'no pod', observed: 'no daemon pod' };
  const available = pods.length === 1 && isPodAvailable(pods[0]!, s.daemonSet.spec?.minReadySeconds ?? 0, s.now);
  return { state: available ? 'runs' : 'pending', observed: pods.map((p) => describePod(p, s)).join('; ') };
}

/** Judges the copy against check's prediction: per node the same outcome, and desired = predicted eligible nodes. */
export function matchesPrediction(prediction: NodePrediction[]) {
  return (s: ClusterSnapshot): Judgement => {
    const problems: string[] = [];
    const nodes = prediction.map((p) => {
      const o = observedOnNode(s, p.node);
      const ok = o.state === p.expect;
      if (!ok) problems.push(`${p.node}: check predicted ${p.expect} (${p.why}), observed ${o.observed}`);
      return { node: p.node, expected: `${p.expect} (${p.why})`, observed: o.observed, ok };
    });
    const eligible = prediction.filter((p) => p.expect !== 'no pod').length;
    const desired = s.daemonSet.status?.desiredNumberScheduled;
    if ((s.daemonSet.status?.observedGeneration ?? 0) < (s.daemonSet.metadata?.generation ?? 1)) problems.push('the controller has not observed the DaemonSet yet');
    else if (desired !== eligible) problems.push(`status.desiredNumberScheduled ${desired ?? 0}, check predicted ${eligible} eligible nodes`);
    const uncovered = prediction.filter((p) => p.expect === 'no pod').map((p) => p.node);
    return judgement(`${eligible} nodes run it as predicted${uncovered.length ? `, ${uncovered.length} left uncovered: ${uncovered.join(', ')}` : ''}`, nodes, problems);
  };
}

export const coverageMatchesCheck: BatteryStep = {
  id: 'coverage',
  title: "coverage matches check's prediction node by node",
  skipReason: () => undefined,
  async run(t, ds, target) {
    const matched = await ds.expect("coverage matches check's prediction", matchesPrediction(target.prediction), {
      expected: 'per node what check predicted: a running pod, no pod (not eligible), or a pod that cannot start',
    }).within('90s', { stableFor: '5s' });
    // The scenario applies the DaemonSet as soon as its recording starts, at 0.
    t.timing('applied -> coverage as predicted', { atMs: 0, description: 'DaemonSet applied' }, matched);
  },
};
