// Shared helpers for integration tests on real kwok clusters.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';
import type { V1DaemonSet, V1Pod } from '@kubernetes/client-node';
import { ensureToolchain, type Toolchain } from '../../src/toolchain/toolchain.js';
import { createKwokCluster } from '../../src/providers/kwok/kwok-provider.js';
import type { KwokCluster } from '../../src/providers/kwok/kwok-cluster.js';
import type { ClusterSpec, NodeSpec } from '../../src/providers/cluster.js';
import { watchUntil } from '../../src/kube/watch-until.js';
import type { KubeClient } from '../../src/kube/kube-client.js';
import { silentProgress } from '../../src/util/progress.js';

let toolchain: Promise<Toolchain> | undefined;

/** The toolchain (built by `npm test`'s setup step before vitest starts). */
export function testToolchain(): Promise<Toolchain> {
  toolchain ??= ensureToolchain({ progress: silentProgress });
  return toolchain;
}

export async function startCluster(nodes: number | NodeSpec[], spec: Partial<ClusterSpec> = {}): Promise<KwokCluster> {
  return createKwokCluster(await testToolchain(), { ...spec, nodes }, { progress: silentProgress });
}

/** The example DaemonSet from scenarios/manifests, in the given namespace. */
export function simpleLogCollector(namespace = 'default'): V1DaemonSet {
  const ds = parse(readFileSync(new URL('../../scenarios/manifests/simple-log-collector.yaml', import.meta.url), 'utf8')) as V1DaemonSet;
  ds.metadata!.namespace = namespace;
  return ds;
}

export function isReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** One line per node: which pods of the app run there and in what state. */
export function describeByNode(pods: V1Pod[]): string {
  const by = new Map<string, string[]>();
  for (const p of pods) {
    const node = p.spec?.nodeName ?? '(unscheduled)';
    const waiting = p.status?.containerStatuses?.[0]?.state?.waiting?.reason;
    const state = p.metadata?.deletionTimestamp ? 'Terminating' : waiting ?? `${p.status?.phase}${isReady(p) ? '/Ready' : '/NotReady'}`;
    by.set(node, [...(by.get(node) ?? []), `${p.metadata?.name} ${state}`]);
  }
  return [...by.entries()].sort().map(([n, ps]) => `${n}: ${ps.join(', ')}`).join('; ') || 'no pods';
}

/** Waits (by watch) until the pods matching the label selector satisfy `check`. */
export function waitForPods(kube: KubeClient, namespace: string, labelSelector: string, check: (pods: V1Pod[]) => boolean, what: string, timeoutMs = 60_000): Promise<V1Pod[]> {
  return watchUntil<V1Pod>(kube, {
    path: `/api/v1/namespaces/${namespace}/pods`,
    list: () => kube.core.listNamespacedPod({ namespace }),
    timeoutMs,
    what,
    check: (all) => {
      const pods = all.filter((p) => matches(p, labelSelector));
      return check(pods) ? true : describeByNode(pods);
    },
  }).then((all) => all.filter((p) => matches(p, labelSelector)));
}

function matches(pod: V1Pod, selector: string): boolean {
  return selector.split(',').every((kv) => {
    const [k, v] = kv.split('=');
    return pod.metadata?.labels?.[k!] === v;
  });
}

/** Exactly one Ready, non-terminating pod on each named node and none elsewhere. */
export function oneReadyPodPerNode(nodes: string[]) {
  return (pods: V1Pod[]) => {
    const live = pods.filter((p) => !p.metadata?.deletionTimestamp);
    return live.length === nodes.length && nodes.every((n) => live.filter((p) => p.spec?.nodeName === n && isReady(p)).length === 1);
  };
}

/**
 * A kwok cluster standing in as a user's own cluster for `--provider existing`, started before the
 * file's tests and destroyed after them; `args()` gives the flags that name it.
 */
export function existingClusterForFile(nodes: number): { cluster: () => KwokCluster; context: () => string; args: () => string[] } {
  let cluster: KwokCluster | undefined;
  let context = '';
  beforeAll(async () => {
    cluster = await startCluster(nodes);
    const kc = new KubeConfig();
    kc.loadFromFile(cluster.kubeconfigPath);
    context = kc.getCurrentContext();
  });
  afterAll(async () => {
    await cluster?.destroy();
  });
  return {
    cluster: () => cluster!,
    context: () => context,
    args: () => ['--provider', 'existing', '--context', context, '--kubeconfig', cluster!.kubeconfigPath],
  };
}
