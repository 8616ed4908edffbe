// The Recording format (rollcall.dev/v1alpha1): a header line, the initial ClusterTwin, then one JSON line per change.
// SCHEMA.md beside this file documents every field; parse-recording.ts validates a file against it.
import type { V1DaemonSetSpec, V1DaemonSetStatus } from '@kubernetes/client-node';
import type { ClusterTwin, TwinNode, TwinPod, TwinPodDisruptionBudget } from '../twin/twin-model.js';

export const RECORDING_API_VERSION = 'rollcall.dev/v1alpha1';
export const RECORDING_KIND = 'Recording';
/** The `kind` of line 2, which carries the initial twin. */
export const TWIN_LINE_KIND = 'Twin';

/** Line 1: what was recorded, from where, and when `t` = 0 was. */
export interface RecordingHeader {
  apiVersion: typeof RECORDING_API_VERSION;
  kind: typeof RECORDING_KIND;
  /** RFC 3339 wall-clock time of `t` = 0 (when the initial twin was read). */
  startedAt: string;
  /** Where it came from: a context or a rollcall cluster; `format` when converted from another input. */
  source: { context?: string; cluster?: string; rollcallVersion?: string; format?: RecordingFormat };
  /** The namespace watched; absent means all. */
  namespace?: string;
  /** `namespace/name` of the DaemonSets recorded; absent means every DaemonSet in scope. */
  daemonSets?: string[];
  /** True when node names and label values were replaced (`record --anonymize`). */
  anonymized?: boolean;
}

/** What a recording was read from: rollcall's own file, a report.json timeline, or a KWOK `snapshot record` file. */
export type RecordingFormat = 'rollcall' | 'report.json' | 'kwok';

/** The kinds a change line may carry. */
export const RECORDED_KINDS = ['Node', 'Pod', 'DaemonSet', 'ControllerRevision', 'Event', 'PodDisruptionBudget'] as const;
export type RecordedKind = (typeof RECORDED_KINDS)[number];

/** A daemon pod: the twin's pod with its namespace, its DaemonSet and why it is being disrupted. */
export interface RecordedPod extends TwinPod {
  namespace: string;
  /** The DaemonSet that controls it (controller ownerReference). */
  daemonSet: string;
  /** Reason of its DisruptionTarget condition (EvictionByEvictionAPI, DeletionByTaintManager, ...), if set. */
  disruption?: string;
}

/** A DaemonSet; `spec` is left out of a change line when it did not change since the previous one. */
export interface RecordedDaemonSet {
  namespace: string;
  name: string;
  generation: number;
  labels?: Record<string, string>;
  spec?: V1DaemonSetSpec;
  status?: V1DaemonSetStatus;
}

/** One ControllerRevision of a DaemonSet: its template hash and `.revision` number. */
export interface RecordedRevision {
  namespace: string;
  daemonSet: string;
  hash: string;
  number: number;
}

/** A Kubernetes Event about a recorded object, shortened. */
export interface RecordedEvent {
  namespace: string;
  name: string;
  type: string;
  reason: string;
  message: string;
  /** The object it is about. */
  object: { kind: string; name: string; namespace?: string };
  count: number;
  /** The component that reported it (daemonset-controller, taint-eviction-controller, kubelet, ...). */
  source?: string;
}

/** The object each kind's `put` line carries. */
export interface RecordedObjects {
  Node: TwinNode;
  Pod: RecordedPod;
  DaemonSet: RecordedDaemonSet;
  ControllerRevision: RecordedRevision;
  Event: RecordedEvent;
  PodDisruptionBudget: TwinPodDisruptionBudget;
}

/** A created or changed object, whole (DaemonSet specs excepted). */
export type PutLine = { [K in RecordedKind]: { t: number; op: 'put'; kind: K; obj: RecordedObjects[K] } }[RecordedKind];
/** An object that went away; `name` is `namespace/name` for namespaced kinds. */
export interface DeleteLine { t: number; op: 'del'; kind: RecordedKind; name: string }
/** A watch was interrupted and relisted: changes in between were not seen one by one. */
export interface GapLine { t: number; op: 'gap'; kind: RecordedKind; reason: string }
/** The recorder stopped cleanly (Ctrl-C, --for elapsed). A file without it was cut short. */
export interface EndLine { t: number; op: 'end'; reason: string }

/** Lines 3 and on: `t` is milliseconds since the header's `startedAt`. */
export type ChangeLine = PutLine | DeleteLine | GapLine | EndLine;

/** A whole recording in memory, whatever file format it was read from. */
export interface Recording {
  file: string;
  format: RecordingFormat;
  header: RecordingHeader;
  /** The cluster at `t` = 0. */
  twin: ClusterTwin;
  /** Every change after the twin, in time order; the end line is not among them. */
  changes: Array<PutLine | DeleteLine | GapLine>;
  /** How it ended: an end line, or (absent) the file stops, as a killed recorder leaves it. */
  end?: EndLine;
  /** Things the reader put up with, one line each (a truncated last line, an unknown object kind). */
  warnings: string[];
}

/** The key a change line names its object by: `name` for nodes, `namespace/name` for the rest. */
export function recordedKey(kind: RecordedKind, obj: { name?: string; namespace?: string; daemonSet?: string; hash?: string }): string {
  if (kind === 'Node') return obj.name ?? '';
  if (kind === 'ControllerRevision') return `${obj.namespace}/${obj.daemonSet}-${obj.hash}`;
  return `${obj.namespace}/${obj.name}`;
}
