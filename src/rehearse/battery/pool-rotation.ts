// Battery step: node pool rotation as an upgrade does it: per pool a replacement node joins, the old one is cordoned, drained (PDBs honoured) and deleted.
import { judgeCoverage, judgement, type ClusterSnapshot, type Judgement } from '../../index.js';
import { apiMessage, apiStatus } from '../../kube/kube-client.js';
import { nodeSpecOf } from '../rehearsal-target.js';
import { fromFullCoverage, type BatteryStep } from './battery-step.js';

/**
 * Coverage of the nodes that exist: a deleted node's pod lingers until the pod GC collects it (40 s
 * quarantine), which is not the DaemonSet's doing and would hold every later pool up.
 */
export function coverageOfExistingNodes(s: ClusterSnapshot): Judgement {
  // Status counters lag here too: the controller recounts once the orphaned pod is gone (see the final wait).
  const j = judgeCoverage(s, { ignoreStatusCounters: true });
  const gone = (text: string) => /node does not exist/.test(text);
  return judgement(j.ok ? 'every node covered' : 'covered apart from deleted nodes', j.nodes.filter((n) => !gone(n.expected)), j.problems.filter((p) => !gone(p)));
}

export const poolRotation: BatteryStep = {
  id: 'rotation',
  title: 'node pool rotation: replace one node per pool (add, cordon, drain, delete)',
  skipReason: (target) => (target.pools.length ? undefined : 'the copy has no nodes'),
  async run(t, ds, target) {
    await fromFullCoverage(ds);
    let lastRemoved = { atMs: 0 };
    for (const pool of target.pools) {
      const old = pool.kept[0]!;
      const spec = target.nodes.find((n) => n.name === old)!;
      const eligible = target.prediction.find((p) => p.node === old)?.expect !== 'no pod';
      const added = await t.nodes.add(nodeSpecOf(spec, `${old}-next`.slice(0, 63)));
      // Stable past the node lifecycle controller's 5 s pass, which may still taint a node that just joined.
      const covered = await ds.expect('coverage of the existing nodes', coverageOfExistingNodes).within('60s', { stableFor: '6s' });
      if (eligible) t.timing(`${pool.name}: replacement joined -> covered`, added, covered);
      // The budget holds while the old node goes. Not while the replacement joins: the budget judge counts a node
      // that has just joined, and has no pod yet, as unavailable, which with maxUnavailable 0 would fail every rotation.
      // OnDelete has no rolling-update budget; its coverage is judged after each node instead.
      const budget = target.check.rollout.strategy === 'RollingUpdate' ? t.invariant('never more nodes without an available pod than the budget', ds.withinBudget, ds) : () => {};
      const cordoned = await t.nodes.cordon(old);
      await t.nodes.drain(old, { timeout: '90s' });
      // drain skips DaemonSet pods (--ignore-daemonsets); tools that do not (an autoscaler, some upgrade
      // tooling) evict them and meet the PodDisruptionBudgets over them. Try it, and say what happened.
      const pdbs = target.companions.filter((o) => o.kind === 'PodDisruptionBudget').map((o) => o.metadata!.name!);
      const pod = (ds.podsByNode().get(old) ?? [])[0]?.metadata?.name;
      if (pdbs.length && pod) {
        const refused = await t.kube.core.createNamespacedPodEviction({ name: pod, namespace: t.namespace, body: { metadata: { name: pod, namespace: t.namespace } } })
          .then(() => '', (e: unknown) => `${apiStatus(e) ?? '?'}: ${apiMessage(e)}`);
        t.log(refused ? `eviction of daemon pod ${pod} refused by PodDisruptionBudget ${pdbs.join(', ')} (${refused}): a drain that evicts DaemonSet pods would block here`
          : `eviction of daemon pod ${pod} allowed by PodDisruptionBudget ${pdbs.join(', ')}`);
      }
      const removed = await t.nodes.remove(old);
      lastRemoved = removed;
      t.timing(`${pool.name}: cordon -> drained and deleted`, cordoned, removed);
      await ds.expect('coverage of the existing nodes', coverageOfExistingNodes).within('30s');
      budget();
    }
    // Pods of deleted nodes go after the pod GC's 40 s quarantine; only then do the status counters agree again.
    const settled = await ds.expectCoverage().within('150s');
    t.timing('last old node deleted -> coverage and status counters agree', lastRemoved, settled);
  },
};
