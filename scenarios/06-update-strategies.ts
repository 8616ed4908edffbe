// OnDelete versus RollingUpdate, and a maxSurge rollout whose budget holds on every change.
import { defineScenario, currentRevision, daemonPodsByNode, podRevisionHash, describePod, nodeShouldRunDaemonPod } from '../src/index.js';
import type { ClusterSnapshot, Judgement } from '../src/index.js';

/**
 * Each eligible node's single pod is of the given revision (old or new), none missing. Only nodes
 * the DaemonSet should run on count: a tainted control plane (kind) or a cordoned node never has one.
 */
function podsOfRevision(pick: (s: ClusterSnapshot) => (node: string) => 'old' | 'new'): (s: ClusterSnapshot) => Judgement {
  return (s) => {
    const gen = s.daemonSet.metadata?.generation ?? 0;
    const seen = s.daemonSet.status?.observedGeneration ?? 0;
    if (seen < gen) return { ok: false, summary: `controller has not observed generation ${gen} yet`, nodes: [], problems: ['stale observedGeneration'] };
    const cur = currentRevision(s)?.hash;
    const by = daemonPodsByNode(s);
    const nodes = s.nodes.filter((n) => nodeShouldRunDaemonPod(n, s.daemonSet).shouldRun).map((n) => {
      const name = n.metadata!.name!;
      const pods = (by.get(name) ?? []).filter((p) => !p.metadata?.deletionTimestamp);
      const want = pick(s)(name);
      const got = pods.length === 1 ? (podRevisionHash(pods[0]!) === cur ? 'new' : 'old') : `${pods.length} pods`;
      return { node: name, expected: `1 pod of the ${want} revision`, observed: pods.map((p) => describePod(p, s)).join('; ') || 'no pod', ok: got === want };
    });
    const bad = nodes.filter((n) => !n.ok);
    return { ok: bad.length === 0, summary: bad.length ? bad.map((n) => `${n.node}: ${n.observed}`).join('; ') : 'every node has the expected revision', nodes, problems: bad.map((n) => `${n.node}: expected ${n.expected}, observed ${n.observed}`) };
  };
}

export default defineScenario({
  name: 'OnDelete versus RollingUpdate with maxSurge',
  description: 'OnDelete leaves old pods until someone deletes them; a maxSurge rollout never leaves a node without an available pod.',
  tags: ['rollout', 'strategy'],
  cluster: { nodes: 4 },
  timeout: '5m',
  async run(t) {
    const ds = await t.daemonSet('manifests/simple-log-collector.yaml');
    await t.step('covered', () => ds.expectCoverage().within('60s'));

    await t.step('OnDelete: a new image changes no running pod', async () => {
      await ds.patch({ updateStrategy: { type: 'OnDelete' } });
      await ds.setImage('busybox:1.37');
      const keepsOld = ds.expect('OnDelete keeps old pods', podsOfRevision(() => () => 'old'), { expected: 'every node keeps its old-revision pod' });
      await keepsOld.within('30s');
      await keepsOld.holdsFor('10s');
    });

    await t.step('OnDelete: a deleted pod comes back on the new revision', async () => {
      await ds.deletePod('worker-1');
      await ds.expect('only the deleted pod is replaced', podsOfRevision(() => (n) => (n === 'worker-1' ? 'new' : 'old')), { expected: 'worker-1 runs the new revision, the others the old' }).within('60s');
    });

    await t.step('RollingUpdate maxSurge 1, maxUnavailable 0: no node ever without an available pod', async () => {
      // Switching to RollingUpdate rolls the pending OnDelete template out first.
      await ds.patch({ maxSurge: 1, maxUnavailable: 0 });
      await ds.expectCoverage().within('60s');
      t.invariant('no node without an available pod (maxUnavailable 0)', ds.withinBudget, ds);
      const started = await ds.setImage('busybox:1.38');
      await ds.expectRolloutComplete().within('120s');
      const covered = await ds.expectCoverage().within('60s');
      t.timing('surge rollout of 4 nodes', started, covered);
    });
  },
});
