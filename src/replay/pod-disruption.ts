// Who took a daemon pod away: the DaemonSet controller (or another controller reacting), or someone else.
// Only the second is a cause to replay; the first is what the replay's own controllers will do again.
import { nodeShouldRunDaemonPod } from '../expect/eligibility.js';
import type { RecordedEvent, RecordedPod } from '../recording/recording-model.js';
import type { StateDaemonSet } from '../recording/recording-state.js';
import { twinDaemonSetObject, twinNodeObject } from '../twin/twin-snapshot.js';
import type { TwinNode } from '../twin/twin-model.js';

/** What was known when a pod started going away. */
export interface PodLoss {
  t: number;
  /** The pod's last recorded state (with its DisruptionTarget reason, if any). */
  pod: RecordedPod;
  /** Its node then; undefined when the node was already gone. */
  node?: TwinNode;
  daemonSet: StateDaemonSet;
  /** The DaemonSet's current template hash then, if the recording has its ControllerRevisions. */
  currentHash?: string;
  /** Other live pods of the DaemonSet for the same node. */
  siblings: number;
}

/** A timed event, as the recording has it. */
export type TimedEvent = RecordedEvent & { t: number };

/** How close in time an event must be to the deletion it explains. */
const EVENT_WINDOW_MS = 5000;

/** Disruption reasons set by controllers reacting to something else (a taint, a node gone, preemption). */
const CONTROLLER_DISRUPTIONS = ['DeletionByTaintManager', 'DeletionByPodGC', 'PreemptionByScheduler', 'TerminationByKubelet'];

/**
 * The rule, in order: an EvictionByEvictionAPI DisruptionTarget is an eviction (a cause); any other
 * DisruptionTarget reason is a controller's; a SuccessfulDelete event of the DaemonSet controller or
 * a TaintManagerEviction event naming the pod is a controller's; so is the loss of a pod whose node
 * is gone, that had failed, that ran an older revision than the current one, whose node it may no
 * longer run on, or that had a sibling for the same node. What is left, a current-revision pod
 * deleted on a node that should keep it with no controller saying it deleted it, is someone else's.
 */
export function classifyPodLoss(loss: PodLoss, events: TimedEvent[]): { cause?: 'pod.delete' | 'pod.evict'; why: string } {
  const { pod } = loss;
  if (pod.disruption === 'EvictionByEvictionAPI') return { cause: 'pod.evict', why: 'its DisruptionTarget condition says EvictionByEvictionAPI' };
  if (pod.disruption) return { why: `its DisruptionTarget condition says ${pod.disruption}${CONTROLLER_DISRUPTIONS.includes(pod.disruption) ? '' : ' (a controller)'}` };
  const near = events.filter((e) => Math.abs(e.t - loss.t) <= EVENT_WINDOW_MS);
  if (near.some((e) => e.reason === 'SuccessfulDelete' && e.object.kind === 'DaemonSet' && e.object.name === pod.daemonSet && e.message.includes(pod.name))) {
    return { why: 'the DaemonSet controller reported deleting it (SuccessfulDelete)' };
  }
  if (near.some((e) => e.reason === 'TaintManagerEviction' && e.object.name === pod.name)) return { why: 'the taint eviction controller marked it (TaintManagerEviction)' };
  if (!loss.node) return { why: 'its node was gone' };
  if (pod.phase === 'Failed' || pod.phase === 'Succeeded') return { why: `it had ${pod.phase === 'Failed' ? 'failed' : 'exited'}: the controller replaces such pods` };
  if (loss.currentHash && pod.revisionHash && pod.revisionHash !== loss.currentHash) return { why: 'it ran an older revision: the rollout replaced it' };
  const eligibility = nodeShouldRunDaemonPod(twinNodeObject(loss.node), twinDaemonSetObject({ ...loss.daemonSet, pods: [] }));
  if (!eligibility.shouldContinueRunning) return { why: `its node may no longer run it (${eligibility.reasons[0] ?? 'not eligible'})` };
  if (loss.siblings > 0) return { why: 'another pod of the DaemonSet was there for the same node' };
  return { cause: 'pod.delete', why: 'a current-revision pod on a node that should keep it, and no controller said it deleted it' };
}
