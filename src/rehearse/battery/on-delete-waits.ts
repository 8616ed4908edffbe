// Battery step: with updateStrategy OnDelete a new template changes no pod until one is deleted, and only that one.
import { currentRevision, daemonPodsByNode, describePod, judgement, nodeShouldRunDaemonPod, podRevisionHash, type ClusterSnapshot, type Judgement } from '../../index.js';
import { fromFullCoverage, firstRunningNode, nextImage, type BatteryStep } from './battery-step.js';

/** Every eligible node has one pod, of the new revision on `renewed` nodes and of an older one elsewhere. */
export function revisionsAre(renewed: Set<string>) {
  return (s: ClusterSnapshot): Judgement => {
    if ((s.daemonSet.status?.observedGeneration ?? 0) < (s.daemonSet.metadata?.generation ?? 1)) return judgement('the controller has not observed the new template yet', [], ['stale observedGeneration']);
    const hash = currentRevision(s)?.hash;
    const by = daemonPodsByNode(s);
    const nodes = s.nodes.filter((n) => nodeShouldRunDaemonPod(n, s.daemonSet).shouldRun).map((n) => {
      const name = n.metadata!.name!;
      const pods = (by.get(name) ?? []).filter((p) => !p.metadata?.deletionTimestamp);
      const want = renewed.has(name) ? 'new' : 'old';
      const got = pods.length === 1 ? (podRevisionHash(pods[0]!) === hash ? 'new' : 'old') : `${pods.length} pods`;
      return { node: name, expected: `1 pod of the ${want} revision`, observed: pods.map((p) => describePod(p, s)).join('; ') || 'no pod', ok: got === want };
    });
    const bad = nodes.filter((n) => !n.ok);
    return judgement(bad.length ? `${bad.length} node(s) not as expected` : `${renewed.size} node(s) renewed, ${nodes.length - renewed.size} kept their old pod`, nodes, bad.map((n) => `${n.node}: expected ${n.expected}, observed ${n.observed}`));
  };
}

export const onDeleteWaits: BatteryStep = {
  id: 'on-delete',
  title: 'OnDelete: the update waits for pod deletions',
  skipReason: (target) => (target.check.rollout.strategy === 'OnDelete' ? undefined : 'updateStrategy RollingUpdate: the controller replaces pods itself (see the rolling update step)'),
  async run(t, ds, target) {
    await fromFullCoverage(ds);
    const image = ds.current().spec?.template?.spec?.containers?.[0]?.image ?? 'busybox';
    await ds.setImage(nextImage(image));
    const keepsOld = ds.expect('OnDelete keeps every old pod', revisionsAre(new Set()), { expected: 'every node keeps its old-revision pod' });
    await keepsOld.within('30s');
    await keepsOld.holdsFor('10s');
    const node = firstRunningNode(target, ds);
    if (!node) return;
    const deleted = await ds.deletePod(node);
    const renewed = await ds.expect('only the deleted pod is replaced, on the new revision', revisionsAre(new Set([node])), { expected: `${node} runs the new revision, the others the old` }).within('60s');
    t.timing('pod deleted -> replaced on the new revision', deleted, renewed);
    // As a user of OnDelete does during an upgrade: delete the rest, node by node, until every pod is new.
    let last = deleted;
    for (const other of target.prediction.filter((p) => p.expect === 'runs' && p.node !== node && ds.podsByNode().get(p.node)?.length)) last = await ds.deletePod(other.node);
    const covered = await ds.expectCoverage().within('90s');
    t.timing('last pod deleted -> every node on the new revision', last, covered);
  },
};
