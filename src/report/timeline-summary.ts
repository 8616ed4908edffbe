// Reduces recorded watch changes to the compact entries, events and node states the report shows.
import type { CoreV1Event, V1ControllerRevision, V1DaemonSet, V1Node, V1Pod } from '@kubernetes/client-node';
import type { RecordedChange, RecorderState } from '../observe/recorder.js';
import type { EventReport, NodeState, TimelineEntry } from './report-model.js';

/** Revision number per controller-revision-hash, from the revisions seen. */
export function revisionNumbers(revisions: Iterable<V1ControllerRevision>): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of revisions) {
    const hash = r.metadata?.labels?.['controller-revision-hash'] ?? r.metadata?.name?.split('-').pop();
    if (hash) out.set(hash, Number(r.revision));
  }
  return out;
}

export function taintStrings(node: V1Node): string[] {
  return (node.spec?.taints ?? []).map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`);
}

/** Phase/readiness/reason of a pod in a few words. */
export function podSummary(pod: V1Pod, revs: Map<string, number>): TimelineEntry['summary'] {
  const hash = pod.metadata?.labels?.['controller-revision-hash'];
  const cs = pod.status?.containerStatuses?.[0];
  return {
    node: pod.spec?.nodeName ?? '',
    phase: pod.status?.phase ?? 'Pending',
    ready: pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
    revision: hash ? revs.get(hash) : undefined,
    hash,
    reason: cs?.state?.waiting?.reason ?? cs?.state?.terminated?.reason,
    terminating: !!pod.metadata?.deletionTimestamp,
    restarts: cs?.restartCount ?? 0,
    daemonSet: pod.metadata?.ownerReferences?.find((o) => o.kind === 'DaemonSet')?.name,
  };
}

/** The report's timeline: one entry per recorded change that the report can show. */
export function timelineEntries(changes: RecordedChange[], revs: Map<string, number>): TimelineEntry[] {
  // Kept compact at scale: Events are in events[], and a change that leaves an object's summary as
  // it was (a status heartbeat, a resourceVersion bump) adds nothing the report can show.
  const last = new Map<string, string>();
  return changes.filter((c) => c.kind !== 'Event').map((c) => entryOf(c, revs)).filter((e) => {
    if (e.type === 'GAP') return true;
    const key = `${e.kind}/${e.name}`;
    const summary = JSON.stringify(e.summary);
    const same = e.type === 'MODIFIED' && last.get(key) === summary;
    if (e.type === 'DELETED') last.delete(key);
    else last.set(key, summary);
    return !same;
  });
}

function entryOf(c: RecordedChange, revs: Map<string, number>): TimelineEntry {
  const name = c.object.metadata?.name ?? '';
  const base = { atMs: Math.round(c.atMs), type: c.type, name };
  switch (c.kind) {
    case 'Node': {
      const n = c.object as V1Node;
      return { ...base, kind: 'Node', summary: { ready: n.status?.conditions?.find((x) => x.type === 'Ready')?.status ?? 'Unknown', taints: taintStrings(n), unschedulable: !!n.spec?.unschedulable } };
    }
    case 'Pod':
      return { ...base, kind: 'Pod', summary: podSummary(c.object as V1Pod, revs) };
    case 'DaemonSet': {
      const d = c.object as V1DaemonSet;
      const s = d.status;
      return {
        ...base, kind: 'DaemonSet',
        summary: {
          desired: s?.desiredNumberScheduled ?? 0, current: s?.currentNumberScheduled ?? 0, ready: s?.numberReady ?? 0,
          available: s?.numberAvailable ?? 0, updated: s?.updatedNumberScheduled ?? 0, misscheduled: s?.numberMisscheduled ?? 0,
          unavailable: s?.numberUnavailable ?? 0, generation: d.metadata?.generation ?? 0, observedGeneration: s?.observedGeneration ?? 0,
        },
      };
    }
    case 'ControllerRevision': {
      const r = c.object as V1ControllerRevision;
      return { ...base, kind: 'ControllerRevision', summary: { revision: Number(r.revision), hash: r.metadata?.labels?.['controller-revision-hash'] ?? '' } };
    }
    default:
      return { ...base, kind: 'Gap', summary: { reason: c.reason ?? 'watch interrupted' } };
  }
}

/** Kubernetes Events seen, first sighting time, warnings first. */
export function eventReports(changes: RecordedChange[]): EventReport[] {
  const byKey = new Map<string, EventReport>();
  for (const c of changes) {
    if (c.kind !== 'Event' || c.type === 'DELETED') continue;
    const e = c.object as CoreV1Event;
    const key = `${e.metadata?.namespace}/${e.metadata?.name}`;
    const prev = byKey.get(key);
    byKey.set(key, {
      atMs: prev?.atMs ?? Math.round(c.atMs),
      type: e.type ?? 'Normal',
      reason: e.reason ?? '',
      object: `${e.involvedObject?.kind}/${e.involvedObject?.name}`,
      message: e.message ?? '',
      count: e.count ?? e.series?.count ?? 1,
    });
  }
  return [...byKey.values()].sort((a, b) => Number(b.type === 'Warning') - Number(a.type === 'Warning') || a.atMs - b.atMs);
}

/** Last observed state per node: readiness, taints, cordon, and the daemon pods on it. */
export function finalNodeStates(state: RecorderState, revs: Map<string, number>): NodeState[] {
  const pods = [...state.pods.values()];
  return [...state.nodes.values()]
    .map((n) => {
      const name = n.metadata?.name ?? '';
      return {
        node: name,
        ready: n.status?.conditions?.find((x) => x.type === 'Ready')?.status ?? 'Unknown',
        taints: taintStrings(n),
        unschedulable: !!n.spec?.unschedulable,
        pods: pods.filter((p) => p.spec?.nodeName === name).map((p) => {
          const s = podSummary(p, revs);
          return `${p.metadata?.name} ${s.terminating ? 'Terminating' : s.reason ?? `${s.phase}${s.ready ? ', Ready' : ', not Ready'}`}${s.revision !== undefined ? ` (revision ${s.revision})` : ''}`;
        }),
      };
    })
    .sort((a, b) => a.node.localeCompare(b.node));
}
