// One daemon pod as the twin keeps it: its node, revision, phase, readiness and what holds it back.
import type { V1Pod } from '@kubernetes/client-node';
import { isPodReady, isTerminating, podRevisionHash, targetNodeName } from '../expect/daemon-pods.js';
import type { TwinPod } from '../twin/twin-model.js';

const MAX_MESSAGE = 200;

/** The twin's record of a pod, or undefined for a pod with no target node (not a daemon pod's shape). */
export function twinPod(pod: V1Pod): TwinPod | undefined {
  const node = targetNodeName(pod);
  if (!node) return undefined;
  const ready = isPodReady(pod);
  const readySince = ready ? iso(pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime) : undefined;
  const { reason, message } = holdBack(pod, ready);
  const hash = podRevisionHash(pod);
  const created = iso(pod.metadata?.creationTimestamp);
  const short = message && message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 3)}...` : message;
  const out: TwinPod = {
    name: pod.metadata?.name ?? '?',
    node,
    ...(hash ? { revisionHash: hash } : {}),
    phase: pod.status?.phase ?? 'Pending',
    ready,
    ...(readySince ? { readySince } : {}),
    ...(reason ? { reason } : {}),
    ...(short ? { message: short } : {}),
    ...(isTerminating(pod) ? { terminating: true } : {}),
    ...(created ? { createdAt: created } : {}),
  };
  return out;
}

// Container waiting reasons first (as describePod shows them), then a terminated reason, the scheduler's verdict, the pod's own.
function holdBack(pod: V1Pod, ready: boolean): { reason?: string; message?: string } {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const waiting = statuses.find((s) => s.state?.waiting?.reason)?.state?.waiting;
  if (waiting) return { reason: waiting.reason, message: waiting.message };
  const unscheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (unscheduled) return { reason: 'Unschedulable', message: (unscheduled.message ?? '').replace(/\s*preemption:.*$/s, '').trim() || undefined };
  if (!ready) {
    const terminated = statuses.find((s) => s.state?.terminated?.reason)?.state?.terminated;
    if (terminated) return { reason: terminated.reason, message: terminated.message };
  }
  return pod.status?.reason ? { reason: pod.status.reason, message: pod.status.message } : {};
}

// RFC 3339 text of an API time (client-node gives Dates), or undefined.
function iso(t: Date | string | undefined): string | undefined {
  if (!t) return undefined;
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
