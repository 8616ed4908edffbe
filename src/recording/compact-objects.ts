// Reduces API objects to what a recording keeps: what replay and its judgements read, never env values or Secrets.
import type {
  CoreV1Event, KubernetesObject, V1ControllerRevision, V1DaemonSet, V1Node, V1Pod, V1PodDisruptionBudget,
} from '@kubernetes/client-node';
import { sanitizeSpec } from '../snapshot/sanitize-spec.js';
import { twinPod } from '../snapshot/twin-pod.js';
import type { TwinConditions, TwinNode, TwinPodDisruptionBudget } from '../twin/twin-model.js';
import type { RecordedDaemonSet, RecordedEvent, RecordedKind, RecordedObjects, RecordedPod, RecordedRevision } from './recording-model.js';

const CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable'];
const MAX_MESSAGE = 200;

/** A node: labels, taints (without their timeAdded), cordon, resources and condition statuses (not heartbeats). */
export function compactNode(n: V1Node): TwinNode {
  const conditions: TwinConditions = {};
  for (const c of n.status?.conditions ?? []) if (CONDITIONS.includes(c.type)) conditions[c.type as keyof TwinConditions] = c.status;
  return {
    name: n.metadata?.name ?? '',
    labels: { ...n.metadata?.labels },
    taints: (n.spec?.taints ?? []).map((t) => ({ key: t.key, ...(t.value ? { value: t.value } : {}), effect: t.effect })),
    unschedulable: n.spec?.unschedulable === true,
    capacity: { ...n.status?.capacity },
    allocatable: { ...n.status?.allocatable },
    conditions,
  };
}

/** The DaemonSet that controls a pod or revision, from its controller ownerReference. */
export function controllingDaemonSet(meta: { ownerReferences?: Array<{ kind: string; name: string; controller?: boolean }> } | undefined): string | undefined {
  return meta?.ownerReferences?.find((o) => o.controller && o.kind === 'DaemonSet')?.name;
}

/** A daemon pod as the twin keeps it, with its DaemonSet and DisruptionTarget reason; undefined for other pods. */
export function compactPod(p: V1Pod): RecordedPod | undefined {
  const daemonSet = controllingDaemonSet(p.metadata);
  const pod = daemonSet ? twinPod(p) : undefined;
  if (!pod || !daemonSet) return undefined;
  const disruption = p.status?.conditions?.find((c) => c.type === 'DisruptionTarget' && c.status === 'True')?.reason;
  return { ...pod, namespace: p.metadata?.namespace ?? '', daemonSet, ...(disruption ? { disruption } : {}) };
}

/** A DaemonSet with its spec sanitized (env values blanked, template annotations dropped) and its status. */
export function compactDaemonSet(d: V1DaemonSet): RecordedDaemonSet {
  return {
    namespace: d.metadata?.namespace ?? '',
    name: d.metadata?.name ?? '',
    generation: d.metadata?.generation ?? 1,
    ...(d.metadata?.labels ? { labels: { ...d.metadata.labels } } : {}),
    ...(d.spec ? { spec: sanitizeSpec(d.spec) } : {}),
    ...(d.status ? { status: JSON.parse(JSON.stringify(d.status)) as RecordedDaemonSet['status'] } : {}),
  };
}

/** A ControllerRevision of a DaemonSet (its template data is left out: the DaemonSet lines carry specs). */
export function compactRevision(r: V1ControllerRevision): RecordedRevision | undefined {
  const daemonSet = controllingDaemonSet(r.metadata);
  const hash = r.metadata?.labels?.['controller-revision-hash'] ?? r.metadata?.name?.split('-').pop();
  if (!daemonSet || !hash) return undefined;
  return { namespace: r.metadata?.namespace ?? '', daemonSet, hash, number: Number(r.revision) };
}

/** An Event, message shortened to 200 characters. */
export function compactEvent(e: CoreV1Event): RecordedEvent {
  const message = e.message ?? '';
  return {
    namespace: e.metadata?.namespace ?? '',
    name: e.metadata?.name ?? '',
    type: e.type ?? 'Normal',
    reason: e.reason ?? '',
    message: message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 3)}...` : message,
    object: { kind: e.involvedObject?.kind ?? '', name: e.involvedObject?.name ?? '', ...(e.involvedObject?.namespace ? { namespace: e.involvedObject.namespace } : {}) },
    count: e.count ?? e.series?.count ?? 1,
    ...(e.source?.component || e.reportingComponent ? { source: e.source?.component || e.reportingComponent } : {}),
  };
}

/** A PodDisruptionBudget: selector, budget and status counters. */
export function compactPdb(p: V1PodDisruptionBudget): TwinPodDisruptionBudget {
  const s = p.status;
  return {
    namespace: p.metadata?.namespace ?? '',
    name: p.metadata?.name ?? '',
    ...(p.spec?.selector ? { selector: JSON.parse(JSON.stringify(p.spec.selector)) as TwinPodDisruptionBudget['selector'] } : {}),
    ...(p.spec?.minAvailable !== undefined ? { minAvailable: p.spec.minAvailable } : {}),
    ...(p.spec?.maxUnavailable !== undefined ? { maxUnavailable: p.spec.maxUnavailable } : {}),
    ...(s ? { status: { currentHealthy: s.currentHealthy, desiredHealthy: s.desiredHealthy, disruptionsAllowed: s.disruptionsAllowed, expectedPods: s.expectedPods } } : {}),
  };
}

/** The recorded form of any watched object of `kind`; undefined for objects a recording leaves out (pods of no DaemonSet). */
export function compactObject(kind: RecordedKind, obj: KubernetesObject): RecordedObjects[RecordedKind] | undefined {
  switch (kind) {
    case 'Node': return compactNode(obj as V1Node);
    case 'DaemonSet': return compactDaemonSet(obj as V1DaemonSet);
    case 'Pod': return compactPod(obj as V1Pod);
    case 'ControllerRevision': return compactRevision(obj as V1ControllerRevision);
    case 'PodDisruptionBudget': return compactPdb(obj as V1PodDisruptionBudget);
    default: return compactEvent(obj as CoreV1Event);
  }
}
