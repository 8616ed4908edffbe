// The causes replay infers from a recording: what someone or something outside the DaemonSet controller did.
import type { V1DaemonSetSpec, V1Taint } from '@kubernetes/client-node';
import type { BadImageKind } from '../providers/cluster.js';

interface At {
  /** ms since the recording's start. */
  t: number;
  /** Why it counts as a cause, for the comment above its line in the scenario. */
  evidence?: string;
}

/** Something done to one node. */
export type NodeCause = At & { node: string } & (
  | { kind: 'node.add'; labels: Record<string, string>; taints: V1Taint[] }
  | { kind: 'node.remove' }
  | { kind: 'node.label'; set: Record<string, string>; removed: string[] }
  | { kind: 'node.taint'; taint: V1Taint }
  | { kind: 'node.untaint'; key: string; effect: string }
  | { kind: 'node.cordon' | 'node.uncordon' }
  /** Ready went False (kubelet says NotReady) or Unknown (kubelet stopped reporting). */
  | { kind: 'node.fail'; status: string }
  | { kind: 'node.recover' }
  /** A daemon pod deleted, evicted (Eviction API) or failed by something other than the DaemonSet controller. */
  | { kind: 'pod.delete' | 'pod.evict' | 'pod.fail'; pod: string }
);

/** Something done to the DaemonSet's spec. */
export type DaemonSetCause = At & (
  /** Only container images changed; `bad` when the new pods showed that kind of failure. */
  | { kind: 'ds.image'; images: Array<{ container: string; image: string }>; bad?: BadImageKind }
  /** The template went back to an earlier one; `revision` is its number as the replay will have it. */
  | { kind: 'ds.rollback'; revision: number; previous: boolean }
  /** Any other spec change, as a JSON merge patch of `spec`, with the spec after it. */
  | { kind: 'ds.patch'; patch: Record<string, unknown>; fields: string[]; spec: V1DaemonSetSpec }
);

export type Cause = NodeCause | DaemonSetCause;

/** Causes close together in time, replayed as one step. */
export interface CauseGroup {
  /** ms since the replay's origin. */
  at: number;
  causes: Cause[];
  /** Node names the group acts on; empty when it changes the DaemonSet (then every node may react). */
  nodes: string[];
  /** True when the group changes the DaemonSet's template: a new revision rolls out. */
  rollout: boolean;
}

/** Whether a cause acts on a node (as opposed to the DaemonSet). */
export function isNodeCause(c: Cause): c is NodeCause {
  return 'node' in c;
}
