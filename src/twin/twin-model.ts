// The ClusterTwin format (rollcall.dev/v1alpha1): a read-only copy of what a cluster's DaemonSets depend on.
// SCHEMA.md beside this file documents every field; parse-twin.ts validates a file against it.
import type { V1DaemonSetSpec, V1DaemonSetStatus, V1LabelSelector, V1Taint } from '@kubernetes/client-node';

export const TWIN_API_VERSION = 'rollcall.dev/v1alpha1';
export const TWIN_KIND = 'ClusterTwin';

/** Annotation the PodNodeSelector admission plugin reads on a namespace. */
export const NAMESPACE_NODE_SELECTOR = 'scheduler.alpha.kubernetes.io/node-selector';

/** A whole twin: one consistent read of a cluster (or a hand-written one). */
export interface ClusterTwin {
  apiVersion: typeof TWIN_API_VERSION;
  kind: typeof TWIN_KIND;
  metadata: TwinMetadata;
  /** The API server's gitVersion, e.g. `v1.36.3`. */
  serverVersion: string;
  nodes: TwinNode[];
  namespaces: TwinNamespace[];
  daemonSets: TwinDaemonSet[];
  podDisruptionBudgets: TwinPodDisruptionBudget[];
  priorityClasses: TwinPriorityClass[];
}

export interface TwinMetadata {
  /** A name for people: the context it was taken from, or anything. */
  name: string;
  /** RFC 3339 time of the capture; pod ages and minReadySeconds are measured against it. */
  capturedAt: string;
  /** Where it came from; absent for a hand-written twin. */
  source?: { context?: string; rollcallVersion?: string };
  /** True when node names and label values were replaced (`snapshot --anonymize`). */
  anonymized?: boolean;
  /** Namespaces the capture was limited to; absent means all. */
  namespaces?: string[];
}

/** Ready and pressure conditions: `True`, `False` or `Unknown`, keyed by condition type. */
export type TwinConditions = Partial<Record<'Ready' | 'MemoryPressure' | 'DiskPressure' | 'PIDPressure' | 'NetworkUnavailable', string>>;

export interface TwinNode {
  name: string;
  labels: Record<string, string>;
  taints: V1Taint[];
  unschedulable: boolean;
  /** Resource quantities as the API shows them, e.g. `{cpu: "4", memory: 16Gi, pods: "110"}`. */
  capacity: Record<string, string>;
  allocatable: Record<string, string>;
  conditions: TwinConditions;
}

export interface TwinNamespace {
  name: string;
  /** The `scheduler.alpha.kubernetes.io/node-selector` annotation, e.g. `pool=general`, if set. */
  nodeSelector?: string;
}

/** One ControllerRevision of a DaemonSet: its template hash and `.revision` number. */
export interface TwinRevision {
  hash: string;
  number: number;
}

/** One daemon pod, reduced to what coverage and rollout judgements read. */
export interface TwinPod {
  name: string;
  /** The node it is for (spec.nodeName, or its matchFields metadata.name affinity while Pending). */
  node: string;
  /** Its controller-revision-hash label; absent means the DaemonSet's current revision. */
  revisionHash?: string;
  phase: string;
  ready: boolean;
  /** When Ready last became True (RFC 3339), for minReadySeconds; absent means long enough ago. */
  readySince?: string;
  /** What holds it back: a container waiting/terminated reason (`ImagePullBackOff`) or `Unschedulable`. */
  reason?: string;
  /** The scheduler's or kubelet's message for that reason, shortened. */
  message?: string;
  terminating?: boolean;
  /** RFC 3339 creation time; the oldest pod on a node decides its status counters. */
  createdAt?: string;
}

export interface TwinDaemonSet {
  namespace: string;
  name: string;
  /** metadata.generation; with status.observedGeneration it tells whether the controller saw the spec. */
  generation: number;
  labels?: Record<string, string>;
  /** apps/v1 DaemonSetSpec as the API returns it; env values blanked in a snapshot. */
  spec: V1DaemonSetSpec;
  status?: V1DaemonSetStatus;
  /** Its ControllerRevisions; the highest number is the current template. Absent: every pod is current. */
  revisions?: TwinRevision[];
  pods: TwinPod[];
}

export interface TwinPodDisruptionBudget {
  namespace: string;
  name: string;
  selector?: V1LabelSelector;
  minAvailable?: number | string;
  maxUnavailable?: number | string;
  status?: { currentHealthy?: number; desiredHealthy?: number; disruptionsAllowed?: number; expectedPods?: number };
}

export interface TwinPriorityClass {
  name: string;
  value: number;
  globalDefault?: boolean;
}

/** `namespace/name` of a DaemonSet or PodDisruptionBudget. */
export function qualifiedName(o: { namespace: string; name: string }): string {
  return `${o.namespace}/${o.name}`;
}
