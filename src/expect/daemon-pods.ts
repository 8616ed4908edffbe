// The DaemonSet's own pods and revisions, grouped by node, with the pod facts judgements need.
import type { V1ControllerRevision, V1DaemonSet, V1Pod } from '@kubernetes/client-node';
import type { ClusterSnapshot } from './judgement.js';
import { isOwnedBy } from './ownership.js';

const HASH_LABEL = 'controller-revision-hash';
const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';
const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

export interface CurrentRevision {
  revision: V1ControllerRevision;
  hash: string;
  number: number;
}

// Epoch ms of an API timestamp, whether the client gave us a Date or an RFC 3339 string.
export function toMillis(t: Date | string | undefined): number | undefined {
  if (t === undefined || t === null) return undefined;
  const ms = new Date(t).getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

// Whether the pod has been asked to go away (deletionTimestamp set).
export function isTerminating(pod: V1Pod): boolean {
  return pod.metadata?.deletionTimestamp !== undefined && pod.metadata.deletionTimestamp !== null;
}

// Whether the pod's Ready condition is True (podutil.IsPodReady).
export function isPodReady(pod: V1Pod): boolean {
  return (pod.status?.conditions ?? []).find((c) => c.type === 'Ready')?.status === 'True';
}

// Whether the pod has been Ready for minReadySeconds at `now` (podutil.IsPodAvailable).
export function isPodAvailable(pod: V1Pod, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds === 0) return true;
  const since = toMillis((pod.status?.conditions ?? []).find((c) => c.type === 'Ready')?.lastTransitionTime);
  return since !== undefined && since + minReadySeconds * 1000 <= now;
}

// The template hash the pod was created from (label controller-revision-hash), or undefined.
export function podRevisionHash(pod: V1Pod): string | undefined {
  return pod.metadata?.labels?.[HASH_LABEL];
}

// Whether the pod runs the current template: hash label or the legacy template generation (util.IsPodUpdated).
export function isPodUpdated(pod: V1Pod, hash: string | undefined, ds: V1DaemonSet): boolean {
  const generation = ds.metadata?.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
  const templateMatches = generation !== undefined && /^[+-]?[0-9]+$/.test(generation)
    && pod.metadata?.labels?.[TEMPLATE_GENERATION_LABEL] === String(BigInt(generation));
  return (hash !== undefined && hash !== '' && podRevisionHash(pod) === hash) || templateMatches;
}

// The node a daemon pod is for: spec.nodeName, else its matchFields metadata.name affinity (util.GetTargetNodeName).
export function targetNodeName(pod: V1Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const term of terms) {
    for (const f of term.matchFields ?? []) {
      if (f.key === 'metadata.name' && f.operator === 'In') return f.values?.length === 1 ? f.values[0] : undefined;
    }
  }
  return undefined;
}

// Orders pods oldest first, scheduled before unscheduled, then by name (podByCreationTimestampAndPhase).
export function byAge(a: V1Pod, b: V1Pod): number {
  const sa = a.spec?.nodeName ? 0 : 1; const sb = b.spec?.nodeName ? 0 : 1;
  if (sa !== sb) return sa - sb;
  const ta = toMillis(a.metadata?.creationTimestamp) ?? 0; const tb = toMillis(b.metadata?.creationTimestamp) ?? 0;
  if (ta !== tb) return ta - tb;
  const na = a.metadata?.name ?? ''; const nb = b.metadata?.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

// The DaemonSet's pods grouped by target node, oldest first; terminal pods already being deleted are left
// out, as getNodesToDaemonPods(includeDeletedTerminal=false) does, and so are pods with no target node.
export function daemonPodsByNode(snapshot: ClusterSnapshot): Map<string, V1Pod[]> {
  const byNode = new Map<string, V1Pod[]>();
  for (const pod of snapshot.pods) {
    if (!isOwnedBy(pod.metadata, snapshot.daemonSet)) continue;
    const phase = pod.status?.phase;
    if ((phase === 'Failed' || phase === 'Succeeded') && isTerminating(pod)) continue;
    const node = targetNodeName(pod);
    if (node === undefined) continue;
    byNode.set(node, [...(byNode.get(node) ?? []), pod]);
  }
  for (const pods of byNode.values()) pods.sort(byAge);
  return byNode;
}

// The hash a ControllerRevision stands for: its controller-revision-hash label, else its name after `<ds>-`.
function hashOfRevision(rev: V1ControllerRevision, dsName: string): string {
  const label = rev.metadata?.labels?.[HASH_LABEL];
  if (label) return label;
  const name = rev.metadata?.name ?? '';
  return name.startsWith(`${dsName}-`) ? name.slice(dsName.length + 1) : name;
}

// The DaemonSet's newest ControllerRevision (highest .revision) with its hash, or undefined if it has none.
export function currentRevision(snapshot: ClusterSnapshot): CurrentRevision | undefined {
  const ds = snapshot.daemonSet;
  let best: V1ControllerRevision | undefined;
  for (const rev of snapshot.revisions) {
    if (isOwnedBy(rev.metadata, ds) && (best === undefined || rev.revision > best.revision)) best = rev;
  }
  return best && { revision: best, hash: hashOfRevision(best, ds.metadata?.name ?? ''), number: best.revision };
}

/**
 * The template hash the DaemonSet's pods should have: the newest ControllerRevision's, unless one of
 * `podHashes` (those of its live pods) belongs to no revision seen. The controller writes a revision
 * before it creates pods from it (constructHistory, at the start of every sync) and never deletes the
 * revision of a live pod (cleanupHistory), so such a hash is of a revision newer than all those seen:
 * its watch event has not arrived yet (watches of different kinds are not ordered). Judging by the
 * older hash would count the new pods as old ones (pkg/controller/daemon/update.go).
 */
export function currentTemplateHash(current: CurrentRevision | undefined, revisions: readonly V1ControllerRevision[], ds: V1DaemonSet, podHashes: Iterable<string>): string | undefined {
  if (!current) return undefined; // no revision seen at all: judgements say the revision is unknown
  const known = new Set<string>();
  for (const rev of revisions) if (isOwnedBy(rev.metadata, ds)) known.add(hashOfRevision(rev, ds.metadata?.name ?? ''));
  for (const h of podHashes) if (h && !known.has(h)) return h;
  return current.hash;
}

// The `.revision` number of the ControllerRevision with this hash, or undefined if none has it.
export function revisionNumberOf(hash: string | undefined, revisions: V1ControllerRevision[]): number | undefined {
  if (!hash) return undefined;
  for (const rev of revisions) {
    const name = rev.metadata?.name ?? '';
    if (rev.metadata?.labels?.[HASH_LABEL] === hash || name.endsWith(`-${hash}`)) return rev.revision;
  }
  return undefined;
}

// What is wrong or right with the pod right now, from container states first, then phase and readiness.
function podState(pod: V1Pod, minReadySeconds: number, now: number): string {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const waiting = statuses.find((s) => s.state?.waiting?.reason)?.state?.waiting?.reason;
  if (waiting) return waiting;
  const phase = pod.status?.phase ?? 'Pending';
  if (phase !== 'Running') return pod.status?.reason ? `${phase}: ${pod.status.reason}` : phase;
  if (!isPodReady(pod)) {
    const terminated = statuses.find((s) => s.state?.terminated?.reason)?.state?.terminated?.reason;
    return terminated ? `Running, not Ready (${terminated})` : 'Running, not Ready';
  }
  return isPodAvailable(pod, minReadySeconds, now) ? 'Running, Ready' : `Running, Ready < minReadySeconds ${minReadySeconds}`;
}

// One human line about a daemon pod, e.g. `pod log-agent-x7k2p ImagePullBackOff (revision 2)`.
export function describePod(pod: V1Pod, snapshot: Pick<ClusterSnapshot, 'daemonSet' | 'revisions' | 'now'>): string {
  const name = `pod ${pod.metadata?.name ?? '?'}`;
  if (isTerminating(pod)) return `${name} Terminating`;
  const state = podState(pod, snapshot.daemonSet.spec?.minReadySeconds ?? 0, snapshot.now);
  const hash = podRevisionHash(pod);
  const number = revisionNumberOf(hash, snapshot.revisions);
  const revision = number !== undefined ? ` (revision ${number})` : hash ? ` (unknown revision ${hash})` : '';
  return `${name} ${state}${revision}${unschedulable(pod)}`;
}

// Why the scheduler would not place a Pending pod (e.g. a hostPort already taken), if it said.
function unschedulable(pod: V1Pod): string {
  if ((pod.status?.phase ?? 'Pending') !== 'Pending') return '';
  const c = pod.status?.conditions?.find((x) => x.type === 'PodScheduled' && x.status === 'False');
  if (!c) return '';
  const msg = (c.message ?? '').replace(/\s*preemption:.*$/s, '').trim();
  return `: ${c.reason ?? 'Unschedulable'}${msg ? ` (${msg.length > 160 ? `${msg.slice(0, 157)}...` : msg})` : ''}`;
}
