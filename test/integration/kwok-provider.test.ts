// The kwok provider on a real control plane: the real DaemonSet controller, judged pod by pod.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import type { KubernetesObject, V1DaemonSet } from '@kubernetes/client-node';
import type { KwokCluster } from '../../src/providers/kwok/kwok-cluster.js';
import { clusterDir, readPids } from '../../src/providers/kwok/kwokctl.js';
import { cordonNode, drainNode, taintNode, untaintNode } from '../../src/kube/node-api.js';
import { isRunning, processesMentioning } from '../../src/util/processes.js';
import { watchUntil } from '../../src/kube/watch-until.js';
import { mergePatch } from '../../src/kube/kube-client.js';
import { describeByNode, isReady, oneReadyPodPerNode, simpleLogCollector, startCluster, testToolchain, waitForPods } from '../support/kwok-fixture.js';

const APP = 'app=log-collector';
let cluster: KwokCluster | undefined;

afterEach(async () => {
  await cluster?.destroy();
  cluster = undefined;
});

async function withDaemonSet(nodes = 3): Promise<{ c: KwokCluster; nodes: string[] }> {
  cluster = await startCluster(nodes);
  await cluster.kube.apps.createNamespacedDaemonSet({ namespace: 'default', body: simpleLogCollector() });
  const names = (await cluster.kube.core.listNode()).items.map((n) => n.metadata!.name!).sort();
  await waitForPods(cluster.kube, 'default', APP, oneReadyPodPerNode(names), 'one Ready pod per node');
  return { c: cluster, nodes: names };
}

async function daemonSetStatus(c: KwokCluster, check: (ds: V1DaemonSet) => boolean, what: string): Promise<V1DaemonSet> {
  const [ds] = await watchUntil<V1DaemonSet>(c.kube, {
    path: '/apis/apps/v1/namespaces/default/daemonsets',
    list: () => c.kube.apps.listNamespacedDaemonSet({ namespace: 'default' }),
    timeoutMs: 60_000,
    what,
    check: (items) => (items[0] && check(items[0]) ? true : JSON.stringify(items[0]?.status)),
  });
  return ds!;
}

/** Waits until the PDB controller has computed that no disruption is allowed. */
async function pdbObserved(c: KwokCluster): Promise<void> {
  type Pdb = KubernetesObject & { status?: { currentHealthy?: number } };
  await watchUntil<Pdb>(c.kube, {
    path: '/apis/policy/v1/namespaces/default/poddisruptionbudgets',
    list: () => c.kube.objects.list<Pdb>('policy/v1', 'PodDisruptionBudget', 'default'),
    timeoutMs: 30_000,
    what: 'PDB observed',
    check: (items) => (items[0]?.status?.currentHealthy === 1 ? true : JSON.stringify(items[0]?.status)),
  });
}

describe('kwok provider', () => {
  it('runs a v1.36 control plane whose DaemonSet controller puts exactly one Ready pod on each of 3 nodes', async () => {
    const { c, nodes } = await withDaemonSet(3);
    expect(nodes).toEqual(['worker-1', 'worker-2', 'worker-3']);
    const version = await c.kube.version.getCode();
    expect(version.gitVersion).toMatch(/^v1\.36\./);
    const pods = (await c.kube.core.listNamespacedPod({ namespace: 'default', labelSelector: APP })).items;
    expect(pods.map((p) => p.spec?.nodeName).sort()).toEqual(nodes);
    for (const p of pods) {
      expect(isReady(p), describeByNode(pods)).toBe(true);
      expect(p.spec?.containers[0]?.image).toBe('busybox:1.36');
      expect(p.metadata?.ownerReferences?.[0]?.kind).toBe('DaemonSet');
    }
    const ds = await daemonSetStatus(c, (d) => d.status?.numberAvailable === 3, 'status counts 3 available');
    expect(ds.status?.desiredNumberScheduled).toBe(3);
  });

  // The pod of a deleted node being garbage-collected (after the pod GC's 40 s quarantine) is
  // proven by scenarios/01-coverage.ts, which the scenario suite runs.
  it('gives an added node a daemon pod, and removes the node from the cluster', async () => {
    const { c, nodes } = await withDaemonSet(2);
    const [added] = await c.addNodes([{ labels: { pool: 'new' } }]);
    expect(added).toBe('worker-3');
    await waitForPods(c.kube, 'default', APP, oneReadyPodPerNode([...nodes, added!]), 'pod on the added node');
    await c.removeNode('worker-1');
    const left = (await c.kube.core.listNode()).items.map((n) => n.metadata!.name!).sort();
    expect(left).toEqual(['worker-2', 'worker-3']);
  });

  it('keeps the pod under a NoSchedule taint (counted misscheduled) and evicts it under NoExecute', async () => {
    const { c } = await withDaemonSet(3);
    await taintNode(c.kube, 'worker-1', { key: 'maintenance', value: 'true', effect: 'NoSchedule' });
    // The controller does not resync a DaemonSet for a node that only gains a tolerated-to-stay
    // taint (syncNodeUpdate enqueues only on create/delete needs or a non-zero misscheduled
    // count), so its status stays stale until the next sync. Any DaemonSet event triggers one.
    await c.kube.apps.patchNamespacedDaemonSet({ name: 'simple-log-collector', namespace: 'default', body: { metadata: { annotations: { 'rollcall.dev/resync': '1' } } } }, mergePatch);
    const ds = await daemonSetStatus(c, (d) => d.status?.numberMisscheduled === 1, 'misscheduled == 1');
    expect(ds.status?.desiredNumberScheduled).toBe(2);
    const stillThere = (await c.kube.core.listNamespacedPod({ namespace: 'default', labelSelector: APP })).items.filter((p) => p.spec?.nodeName === 'worker-1');
    expect(stillThere.length).toBe(1);
    expect(isReady(stillThere[0]!)).toBe(true);

    await untaintNode(c.kube, 'worker-1', 'maintenance');
    await taintNode(c.kube, 'worker-2', { key: 'dedicated', value: 'db', effect: 'NoExecute' });
    await waitForPods(c.kube, 'default', APP, oneReadyPodPerNode(['worker-1', 'worker-3']), 'pod evicted from worker-2');
  });

  it('still runs a daemon pod on a cordoned node (the controller tolerates unschedulable)', async () => {
    const { c, nodes } = await withDaemonSet(3);
    await cordonNode(c.kube, 'worker-2');
    const victim = (await c.kube.core.listNamespacedPod({ namespace: 'default', labelSelector: APP })).items.find((p) => p.spec?.nodeName === 'worker-2')!;
    await c.kube.core.deleteNamespacedPod({ name: victim.metadata!.name!, namespace: 'default' });
    const pods = await waitForPods(
      c.kube, 'default', APP,
      (ps) => oneReadyPodPerNode(nodes)(ps) && !ps.some((p) => p.metadata?.name === victim.metadata?.name),
      'replacement pod on the cordoned node',
    );
    const replacement = pods.find((p) => p.spec?.nodeName === 'worker-2')!;
    expect(replacement.spec?.tolerations?.some((t) => t.key === 'node.kubernetes.io/unschedulable')).toBe(true);
  });

  it('fails a node (NotReady, tainted by the node lifecycle controller) and recovers it', async () => {
    const { c } = await withDaemonSet(3);
    await c.failNode('worker-3');
    const failed = await watchUntil(c.kube, {
      path: '/api/v1/nodes',
      list: () => c.kube.core.listNode(),
      timeoutMs: 60_000,
      what: 'worker-3 tainted not-ready',
      check: (ns) => {
        const n = ns.find((x) => x.metadata?.name === 'worker-3');
        return n?.spec?.taints?.some((t) => t.key === 'node.kubernetes.io/not-ready') ? true : JSON.stringify(n?.spec?.taints ?? []);
      },
    });
    const node = failed.find((x) => x.metadata?.name === 'worker-3')!;
    expect(node.status?.conditions?.find((x) => x.type === 'Ready')?.status).toBe('False');
    await c.recoverNode('worker-3');
    const recovered = await c.kube.core.readNode({ name: 'worker-3' });
    expect(recovered.status?.conditions?.find((x) => x.type === 'Ready')?.status).toBe('True');
  });

  it.each([
    ['pull-error', 'Pending', 'ImagePullBackOff', false],
    ['crash-loop', 'Running', 'CrashLoopBackOff', false],
    ['never-ready', 'Running', undefined, true],
  ] as const)('turns bad image kind %s into its pod state (%s, %s)', async (kind, phase, waitingReason, running) => {
    const { c } = await withDaemonSet(2);
    const image = c.badImage(kind);
    await c.kube.apps.patchNamespacedDaemonSet(
      { name: 'simple-log-collector', namespace: 'default', body: { spec: { template: { spec: { containers: [{ name: 'collector', image }] } } } } },
      (await import('../../src/kube/kube-client.js')).strategicPatch,
    );
    const pods = await waitForPods(
      c.kube, 'default', APP,
      (ps) => ps.some((p) => p.spec?.containers[0]?.image === image && p.status?.phase === phase && (running ? !!p.status?.containerStatuses?.[0]?.state?.running : p.status?.containerStatuses?.[0]?.state?.waiting?.reason === waitingReason)),
      `a ${kind} pod`,
    );
    const bad = pods.find((p) => p.spec?.containers[0]?.image === image)!;
    expect(isReady(bad)).toBe(false);
    // maxUnavailable 1: the rollout stops at one broken pod; the other node keeps its old Ready pod.
    const old = pods.filter((p) => p.spec?.containers[0]?.image === 'busybox:1.36' && !p.metadata?.deletionTimestamp);
    expect(old.length).toBe(1);
    expect(isReady(old[0]!)).toBe(true);
  });

  it('fails a daemon pod (phase Failed); the controller replaces it', async () => {
    const { c, nodes } = await withDaemonSet(2);
    const victim = (await c.kube.core.listNamespacedPod({ namespace: 'default', labelSelector: APP })).items.find((p) => p.spec?.nodeName === 'worker-1')!;
    await c.failPod('default', victim.metadata!.name!);
    const pods = await waitForPods(c.kube, 'default', APP, (ps) => oneReadyPodPerNode(nodes)(ps) && !ps.some((p) => p.metadata?.name === victim.metadata?.name), 'failed pod replaced');
    expect(pods.find((p) => p.spec?.nodeName === 'worker-1')!.metadata?.name).not.toBe(victim.metadata?.name);
    const events = (await c.kube.core.listNamespacedEvent({ namespace: 'default' })).items;
    expect(events.some((e) => e.reason === 'FailedDaemonPod' || (e.reason === 'Failed' && e.involvedObject?.name === victim.metadata?.name))).toBe(true);
  });

  it('drain honours a PodDisruptionBudget: an eviction it forbids is refused and reported', async () => {
    cluster = await startCluster(2);
    const c = cluster;
    await c.kube.objects.create({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } } } as never);
    await c.kube.objects.create({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'default' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } } } as never);
    const [pod] = await waitForPods(c.kube, 'default', 'app=web', (ps) => ps.length === 1 && isReady(ps[0]!), 'web pod Ready');
    await pdbObserved(c);
    const node = pod!.spec!.nodeName!;
    await expect(drainNode(c.kube, node, { timeoutMs: 3000 })).rejects.toThrow(/eviction refused: default\/web-\S+: Cannot evict pod as it would violate the pod's disruption budget/);
    expect((await c.kube.core.readNode({ name: node })).spec?.unschedulable).toBe(true);
    const still = (await c.kube.core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=web' })).items;
    expect(still.filter((p) => !p.metadata?.deletionTimestamp)).toHaveLength(1);
  });

  it('destroy leaves no process and no directory behind', async () => {
    const c = await startCluster(1);
    const tc = await testToolchain();
    const dir = clusterDir(tc, c.name);
    const pids = readPids(dir);
    expect(pids.length).toBe(5);
    expect(pids.every(isRunning)).toBe(true);
    await c.destroy();
    expect(pids.filter(isRunning)).toEqual([]);
    expect(processesMentioning(`${dir}/`)).toEqual([]);
    expect(existsSync(dir)).toBe(false);
  });
});
