// The initial twin of a recording, from the recorder's first lists, through the same compaction as its change lines.
import type { V1ControllerRevision, V1DaemonSet, V1Namespace, V1Node, V1Pod, V1PodDisruptionBudget } from '@kubernetes/client-node';
import type { KubeClient } from '../kube/kube-client.js';
import { compactDaemonSet, compactNode, compactPdb, compactPod, compactRevision } from '../recording/compact-objects.js';
import {
  NAMESPACE_NODE_SELECTOR, TWIN_API_VERSION, TWIN_KIND, type ClusterTwin, type TwinDaemonSet,
} from '../twin/twin-model.js';

/** What the recorder listed before it started following changes. */
export interface ListedObjects {
  nodes: V1Node[];
  daemonSets: V1DaemonSet[];
  pods: V1Pod[];
  revisions: V1ControllerRevision[];
  pdbs: V1PodDisruptionBudget[];
}

/**
 * A ClusterTwin of what was listed, with the server version and namespaces read from the API. It
 * is built from the compact forms the change lines use (not by a second capture), so that the first
 * change after it differs from it only where the cluster did.
 */
export async function buildTwin(kube: KubeClient, listed: ListedObjects, opts: { context: string; namespace?: string; rollcallVersion?: string }): Promise<ClusterTwin> {
  const [version, namespaces] = await Promise.all([
    kube.version.getCode(),
    opts.namespace ? kube.core.readNamespace({ name: opts.namespace }).then((n) => [n]) : kube.core.listNamespace().then((l) => l.items),
  ]);
  return twinOfObjects(listed, { ...opts, serverVersion: version.gitVersion, namespaces, capturedAt: new Date().toISOString() });
}

/** The twin of listed objects, pure (also for recordings converted from other formats). */
export function twinOfObjects(listed: ListedObjects, meta: { context: string; namespace?: string; rollcallVersion?: string; serverVersion: string; namespaces: V1Namespace[]; capturedAt: string }): ClusterTwin {
  const pods = listed.pods.flatMap((p) => compactPod(p) ?? []);
  const revisions = listed.revisions.flatMap((r) => compactRevision(r) ?? []);
  const daemonSets: TwinDaemonSet[] = listed.daemonSets.filter((d) => d.spec).map((d) => {
    const { spec, ...ds } = compactDaemonSet(d);
    const mine = <T extends { namespace: string; daemonSet: string }>(x: T) => x.namespace === ds.namespace && x.daemonSet === ds.name;
    const own = revisions.filter(mine).map((r) => ({ hash: r.hash, number: r.number })).sort((a, b) => a.number - b.number);
    return {
      ...ds,
      spec: spec!,
      ...(own.length ? { revisions: own } : {}),
      pods: pods.filter(mine).map(({ namespace: _n, daemonSet: _d, disruption: _r, ...p }) => p).sort((a, b) => a.node.localeCompare(b.node) || a.name.localeCompare(b.name)),
    };
  }).sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
  return {
    apiVersion: TWIN_API_VERSION,
    kind: TWIN_KIND,
    metadata: {
      name: meta.context,
      capturedAt: meta.capturedAt,
      source: { context: meta.context, ...(meta.rollcallVersion ? { rollcallVersion: meta.rollcallVersion } : {}) },
      ...(meta.namespace ? { namespaces: [meta.namespace] } : {}),
    },
    serverVersion: meta.serverVersion,
    nodes: listed.nodes.map(compactNode).sort((a, b) => a.name.localeCompare(b.name)),
    namespaces: meta.namespaces.map(namespaceEntry).sort((a, b) => a.name.localeCompare(b.name)),
    daemonSets,
    podDisruptionBudgets: listed.pdbs.map(compactPdb),
    priorityClasses: [],
  };
}

function namespaceEntry(n: V1Namespace): ClusterTwin['namespaces'][number] {
  const selector = n.metadata?.annotations?.[NAMESPACE_NODE_SELECTOR];
  return { name: n.metadata?.name ?? '', ...(selector !== undefined ? { nodeSelector: selector } : {}) };
}
