// Node chaos that works the same on every provider because it goes through the API only:
// taints, labels, cordon, drain, delete.
import type { V1Node, V1Pod, V1Taint } from '@kubernetes/client-node';
import pRetry, { AbortError } from 'p-retry';
import { apiMessage, apiStatus, ignoreNotFound, mergePatch, type KubeClient } from './kube-client.js';
import { UsageError } from '../util/errors.js';
import { isNodeUsable } from './node-conditions.js';
import { watchUntil } from './watch-until.js';

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
const EFFECTS: readonly string[] = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** Reads a node, naming it in the error when it does not exist. */
export async function getNode(kube: KubeClient, name: string): Promise<V1Node> {
  try {
    return await kube.core.readNode({ name });
  } catch (err) {
    if (apiStatus(err) === 404) throw new UsageError(`node "${name}" does not exist in the cluster`);
    throw err;
  }
}

/**
 * Applies a change to a node's spec/metadata with optimistic concurrency, retrying on conflicts:
 * `change` sees the node as it is now and returns a merge patch, or undefined to leave it alone.
 */
export async function updateNode(kube: KubeClient, name: string, change: (n: V1Node) => object | undefined): Promise<void> {
  await pRetry(
    async () => {
      try {
        const node = await getNode(kube, name);
        const body = change(node) as { metadata?: object } | undefined;
        if (!body) return;
        const patch = { ...body, metadata: { ...(body.metadata ?? {}), resourceVersion: node.metadata?.resourceVersion } };
        await kube.core.patchNode({ name, body: patch }, mergePatch);
      } catch (err) {
        // Only a write conflict (someone else updated the node meanwhile) is worth another try.
        if (apiStatus(err) !== 409) throw new AbortError(err instanceof Error ? err : new Error(String(err)));
        throw err;
      }
    },
    { retries: 10, minTimeout: 20, maxTimeout: 500 },
  );
}

/** Adds (or replaces, by key and effect) a taint on a node. */
export async function taintNode(kube: KubeClient, name: string, taint: V1Taint): Promise<void> {
  if (!EFFECTS.includes(taint.effect)) throw new UsageError(`taint on node "${name}": effect "${taint.effect}" is not one of ${EFFECTS.join(', ')}`);
  if (!taint.key) throw new UsageError(`taint on node "${name}": key is empty`);
  await updateNode(kube, name, (n) => {
    const rest = (n.spec?.taints ?? []).filter((t) => !(t.key === taint.key && t.effect === taint.effect));
    return { spec: { taints: [...rest, { key: taint.key, value: taint.value, effect: taint.effect }] } };
  });
}

/** Removes taints with this key (and effect, when given). */
export async function untaintNode(kube: KubeClient, name: string, key: string, effect?: TaintEffect): Promise<void> {
  await updateNode(kube, name, (n) => {
    const taints = (n.spec?.taints ?? []).filter((t) => !(t.key === key && (!effect || t.effect === effect)));
    return { spec: { taints: taints.length ? taints : null } };
  });
}

/** Sets labels on a node; a null value removes that label. */
export async function labelNode(kube: KubeClient, name: string, labels: Record<string, string | null>): Promise<void> {
  await getNode(kube, name);
  await kube.core.patchNode({ name, body: { metadata: { labels } } }, mergePatch);
}

export async function cordonNode(kube: KubeClient, name: string, unschedulable = true): Promise<void> {
  await getNode(kube, name);
  await kube.core.patchNode({ name, body: { spec: { unschedulable: unschedulable ? true : null } } }, mergePatch);
}

/** True for pods `kubectl drain --ignore-daemonsets` leaves alone. */
function skippedByDrain(pod: V1Pod): boolean {
  const owner = pod.metadata?.ownerReferences?.find((o) => o.controller);
  if (owner?.kind === 'DaemonSet') return true;
  if (pod.metadata?.annotations?.['kubernetes.io/config.mirror']) return true;
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/**
 * Cordons the node and evicts every pod except DaemonSet and mirror pods, as
 * `kubectl drain --ignore-daemonsets` does. Evictions go through the Eviction API, so
 * PodDisruptionBudgets are honoured: a refused eviction (429) is retried until the deadline.
 */
export async function drainNode(kube: KubeClient, name: string, opts: { timeoutMs?: number } = {}): Promise<{ evicted: string[] }> {
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  await cordonNode(kube, name, true);
  const evicted: string[] = [];
  for (;;) {
    const pods = (await kube.core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${name}` })).items.filter(
      (p) => !skippedByDrain(p) && !p.metadata?.deletionTimestamp,
    );
    if (pods.length === 0) break;
    let blocked = '';
    for (const pod of pods) {
      const ns = pod.metadata!.namespace!;
      const podName = pod.metadata!.name!;
      try {
        await kube.core.createNamespacedPodEviction({
          name: podName,
          namespace: ns,
          body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: podName, namespace: ns } },
        });
        evicted.push(`${ns}/${podName}`);
      } catch (err) {
        const status = apiStatus(err);
        if (status === 404) continue;
        if (status === 429) blocked = `${ns}/${podName}: ${apiMessage(err)}`;
        else throw err;
      }
    }
    if (Date.now() > deadline) {
      throw new Error(`drain of node ${name} timed out; ${pods.length} pod(s) left${blocked ? `, eviction refused: ${blocked}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, blocked ? 1000 : 200));
  }
  return { evicted };
}

export async function deleteNode(kube: KubeClient, name: string): Promise<void> {
  await ignoreNotFound(() => kube.core.deleteNode({ name }));
}

/** Waits (by watch) until every named node is Ready and free of the lifecycle controller's not-ready taints. */
export async function waitNodesReady(kube: KubeClient, names: string[], timeoutMs = 60_000): Promise<void> {
  await watchUntil<V1Node>(kube, {
    path: '/api/v1/nodes',
    list: () => kube.core.listNode(),
    timeoutMs,
    what: `${names.length === 1 ? `node ${names[0]}` : `${names.length} nodes`} Ready`,
    // Judged after every change, and 1,000 new nodes make thousands: one pass over the nodes, not one per name.
    check: (nodes) => {
      const usable = new Set<string>();
      for (const n of nodes) if (isNodeUsable(n)) usable.add(n.metadata?.name ?? '');
      const notReady = names.filter((n) => !usable.has(n));
      if (notReady.length === 0) return true;
      return `not Ready yet: ${notReady.slice(0, 10).join(', ')}${notReady.length > 10 ? ` and ${notReady.length - 10} more` : ''}`;
    },
  });
}

/** Waits (by watch) until the node's Ready condition has the given status. */
export async function waitNodeReadyStatus(kube: KubeClient, name: string, status: 'True' | 'False' | 'Unknown', timeoutMs = 60_000): Promise<void> {
  await watchUntil<V1Node>(kube, {
    path: '/api/v1/nodes',
    list: () => kube.core.listNode(),
    timeoutMs,
    what: `node ${name} Ready=${status}`,
    check: (nodes) => {
      const s = nodes.find((n) => n.metadata?.name === name)?.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? 'Missing';
      return s === status ? true : `Ready=${s}`;
    },
  });
}
