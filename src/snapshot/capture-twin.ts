// `rollcall snapshot`: reads a cluster through a ClusterReader (get/list only) into a ClusterTwin.
import type { V1DaemonSet, V1LabelSelector, V1Node, V1PodDisruptionBudget } from '@kubernetes/client-node';
import { currentRevision } from '../expect/daemon-pods.js';
import { isOwnedBy } from '../expect/ownership.js';
import {
  NAMESPACE_NODE_SELECTOR, TWIN_API_VERSION, TWIN_KIND, type ClusterTwin, type TwinConditions, type TwinDaemonSet, type TwinNode,
  type TwinPodDisruptionBudget,
} from '../twin/twin-model.js';
import type { ClusterReader } from './cluster-reader.js';
import { sanitizeSpec } from './sanitize-spec.js';
import { twinPod } from './twin-pod.js';

export interface CaptureOptions {
  /** The context read, recorded in metadata. */
  context: string;
  /** Limit DaemonSets, pods, PDBs and namespaces to these; empty or absent means all. */
  namespaces?: string[];
  rollcallVersion?: string;
  /** Capture time; defaults to now. */
  now?: Date;
}

const CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable'];
/** How many per-DaemonSet list calls run at once. */
const PARALLEL = 8;

/** Reads everything a twin holds. Never reads Secrets or ConfigMaps; never writes. */
export async function captureTwin(reader: ClusterReader, opts: CaptureOptions): Promise<ClusterTwin> {
  const capturedAt = (opts.now ?? new Date()).toISOString();
  const only = opts.namespaces?.length ? new Set(opts.namespaces) : undefined;
  const scoped = <T>(list: (ns?: string) => Promise<T[]>) => (only ? Promise.all([...only].map((ns) => list(ns))).then((l) => l.flat()) : list());
  const [serverVersion, nodes, namespaces, daemonSets, pdbs, priorityClasses] = await Promise.all([
    reader.serverVersion(), reader.nodes(), reader.namespaces(), scoped((ns) => reader.daemonSets(ns)),
    scoped((ns) => reader.podDisruptionBudgets(ns)), reader.priorityClasses(),
  ]);
  const twinDaemonSets = await mapLimited(daemonSets.sort(byName), PARALLEL, (ds) => captureDaemonSet(reader, ds));
  return {
    apiVersion: TWIN_API_VERSION,
    kind: TWIN_KIND,
    metadata: {
      name: opts.context,
      capturedAt,
      source: { context: opts.context, ...(opts.rollcallVersion ? { rollcallVersion: opts.rollcallVersion } : {}) },
      ...(only ? { namespaces: [...only].sort() } : {}),
    },
    serverVersion,
    nodes: nodes.map(twinNode).sort((a, b) => a.name.localeCompare(b.name)),
    namespaces: namespaces.filter((n) => !only || only.has(n.metadata?.name ?? '')).map((n) => {
      const selector = n.metadata?.annotations?.[NAMESPACE_NODE_SELECTOR];
      return { name: n.metadata?.name ?? '', ...(selector !== undefined ? { nodeSelector: selector } : {}) };
    }).sort((a, b) => a.name.localeCompare(b.name)),
    daemonSets: twinDaemonSets,
    podDisruptionBudgets: pdbs.map(twinPdb).sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`)),
    priorityClasses: priorityClasses.map((p) => ({ name: p.metadata?.name ?? '', value: p.value, ...(p.globalDefault ? { globalDefault: true } : {}) }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/** A label selector as the API's labelSelector query parameter (metav1.LabelSelectorAsSelector's text). */
export function selectorQuery(selector: V1LabelSelector | undefined): string {
  const parts = Object.entries(selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of selector?.matchExpressions ?? []) {
    const values = `(${(e.values ?? []).join(',')})`;
    if (e.operator === 'In') parts.push(`${e.key} in ${values}`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin ${values}`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

// One DaemonSet with its own pods and ControllerRevisions (selected by label, kept by controller ownership).
async function captureDaemonSet(reader: ClusterReader, ds: V1DaemonSet): Promise<TwinDaemonSet> {
  const namespace = ds.metadata?.namespace ?? 'default';
  const selector = selectorQuery(ds.spec?.selector);
  const [pods, revisions] = await Promise.all([reader.pods(namespace, selector), reader.controllerRevisions(namespace, selector)]);
  const owned = revisions.filter((r) => isOwnedBy(r.metadata, ds));
  const current = currentRevision({ daemonSet: ds, revisions: owned, nodes: [], pods: [], now: 0 });
  const twinRevisions = owned.map((r) => ({ hash: r.metadata?.labels?.['controller-revision-hash'] ?? '', number: r.revision }))
    .filter((r) => r.hash).sort((a, b) => a.number - b.number);
  if (current && !twinRevisions.some((r) => r.hash === current.hash)) twinRevisions.push({ hash: current.hash, number: current.number });
  const status = ds.status ? JSON.parse(JSON.stringify(ds.status)) as TwinDaemonSet['status'] : undefined;
  return {
    namespace,
    name: ds.metadata?.name ?? '',
    generation: ds.metadata?.generation ?? 1,
    ...(ds.metadata?.labels ? { labels: ds.metadata.labels } : {}),
    spec: sanitizeSpec(ds.spec!),
    ...(status ? { status } : {}),
    ...(twinRevisions.length ? { revisions: twinRevisions } : {}),
    pods: pods.filter((p) => isOwnedBy(p.metadata, ds)).flatMap((p) => twinPod(p) ?? [])
      .sort((a, b) => a.node.localeCompare(b.node) || a.name.localeCompare(b.name)),
  };
}

function twinNode(n: V1Node): TwinNode {
  const conditions: TwinConditions = {};
  for (const c of n.status?.conditions ?? []) if (CONDITIONS.includes(c.type)) conditions[c.type as keyof TwinConditions] = c.status;
  return {
    name: n.metadata?.name ?? '',
    labels: n.metadata?.labels ?? {},
    taints: (n.spec?.taints ?? []).map((t) => ({ key: t.key, ...(t.value ? { value: t.value } : {}), effect: t.effect })),
    unschedulable: n.spec?.unschedulable === true,
    capacity: n.status?.capacity ?? {},
    allocatable: n.status?.allocatable ?? {},
    conditions,
  };
}

function twinPdb(p: V1PodDisruptionBudget): TwinPodDisruptionBudget {
  const s = p.status;
  return {
    namespace: p.metadata?.namespace ?? '',
    name: p.metadata?.name ?? '',
    ...(p.spec?.selector ? { selector: JSON.parse(JSON.stringify(p.spec.selector)) as V1LabelSelector } : {}),
    ...(p.spec?.minAvailable !== undefined ? { minAvailable: p.spec.minAvailable } : {}),
    ...(p.spec?.maxUnavailable !== undefined ? { maxUnavailable: p.spec.maxUnavailable } : {}),
    ...(s ? { status: { currentHealthy: s.currentHealthy, desiredHealthy: s.desiredHealthy, disruptionsAllowed: s.disruptionsAllowed, expectedPods: s.expectedPods } } : {}),
  };
}

function byName(a: V1DaemonSet, b: V1DaemonSet): number {
  return `${a.metadata?.namespace}/${a.metadata?.name}`.localeCompare(`${b.metadata?.namespace}/${b.metadata?.name}`);
}

// Maps with at most `limit` calls in flight, keeping order.
async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
