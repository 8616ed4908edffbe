// Reduces recorded watch changes to the compact entries, events and node states the report shows.
import type { CoreV1Event, V1ControllerRevision, V1DaemonSet, V1Node, V1Pod } from '@kubernetes/client-node';
import type { RecordedChange, RecorderState } from '../observe/recorder.js';
import { mergeGaps, type ObservationGap } from '../observe/observation-gaps.js';
import type { EventReport, GapReport, NodeState, TimelineEntry } from './report-model.js';

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
    // Left out at their usual value: a 1,000-node rollout has over 10,000 pod entries.
    ...(pod.metadata?.deletionTimestamp ? { terminating: true } : {}),
    ...(cs?.restartCount ? { restarts: cs.restartCount } : {}),
    daemonSet: pod.metadata?.ownerReferences?.find((o) => o.kind === 'DaemonSet')?.name,
  };
}

/** The report's gaps: overlapping spans merged (a watch relisted during a restart is that restart), times rounded. */
export function gapReports(gaps: readonly ObservationGap[]): GapReport[] {
  return mergeGaps(gaps).map((g) => ({ fromMs: Math.round(g.fromMs), ...(g.toMs === undefined ? {} : { toMs: Math.round(g.toMs) }), watches: g.watches, reason: g.reason }));
}

/**
 * Builds the report's timeline and events change by change, as the recorder hands them out, so the
 * recorder need not keep every object it saw until the end (at 1,000 nodes that is most of the
 * harness's memory). Kept compact at scale: Events go to events(), and a change that leaves an
 * object's summary as it was (a status heartbeat, a resourceVersion bump) adds nothing the report can show.
 */
export class TimelineBuilder {
  private readonly entries: TimelineEntry[] = [];
  private readonly last = new Map<string, string>();
  private readonly eventsByKey = new Map<string, EventReport>();

  /** `revs`: revision number per hash, kept up to date from the ControllerRevisions seen. */
  constructor(private readonly revs: Map<string, number> = new Map()) {}

  add(c: RecordedChange): void {
    if (c.kind === 'Event') return this.addEvent(c);
    if (c.kind === 'ControllerRevision' && c.type !== 'DELETED') {
      for (const [hash, n] of revisionNumbers([c.object as V1ControllerRevision])) this.revs.set(hash, n);
    }
    const e = entryOf(c, this.revs);
    if (e.type !== 'GAP') {
      const key = `${e.kind}/${e.name}`;
      const summary = JSON.stringify(e.summary);
      const same = e.type === 'MODIFIED' && this.last.get(key) === summary;
      if (e.type === 'DELETED') this.last.delete(key);
      else this.last.set(key, summary);
      if (same) return;
    }
    this.entries.push(e);
  }

  timeline(): TimelineEntry[] {
    return this.entries;
  }

  /** Kubernetes Events seen, first sighting time, warnings first; routine ones folded at scale (foldEvents). */
  events(): EventReport[] {
    return foldEvents([...this.eventsByKey.values()]).sort((a, b) => Number(b.type === 'Warning') - Number(a.type === 'Warning') || a.atMs - b.atMs);
  }

  private addEvent(c: RecordedChange): void {
    if (c.type === 'DELETED') return;
    const e = c.object as CoreV1Event;
    const key = `${e.metadata?.namespace}/${e.metadata?.name}`;
    const prev = this.eventsByKey.get(key);
    this.eventsByKey.set(key, {
      atMs: prev?.atMs ?? Math.round(c.atMs),
      type: e.type ?? 'Normal',
      reason: e.reason ?? '',
      object: `${e.involvedObject?.kind}/${e.involvedObject?.name}`,
      message: e.message ?? '',
      count: e.count ?? e.series?.count ?? 1,
    });
  }
}

/** Normal events of one reason and kind kept one by one; the rest are folded into one entry. */
export const EVENTS_KEPT_PER_REASON = 20;

/**
 * At scale most events are routine and alike: 1,000 nodes mean 1,000 RegisteredNode and, after a
 * rollout, 2,000 Scheduled events, a quarter of report.json. Normal events beyond the first
 * EVENTS_KEPT_PER_REASON of one reason and object kind become one entry that says how many it
 * stands for (`folded`), with the first one's time and message and their counts summed. Warnings
 * are all kept.
 */
export function foldEvents(events: EventReport[], keep = EVENTS_KEPT_PER_REASON): EventReport[] {
  const groups = new Map<string, EventReport[]>();
  const out: EventReport[] = [];
  for (const e of events) {
    if (e.type === 'Warning') {
      out.push(e);
      continue;
    }
    const key = `${e.type}/${e.reason}/${e.object.split('/')[0]}`;
    const group = groups.get(key);
    if (group) group.push(e);
    else groups.set(key, [e]);
  }
  for (const group of groups.values()) {
    group.sort((a, b) => a.atMs - b.atMs);
    out.push(...group.slice(0, keep));
    const rest = group.slice(keep);
    if (rest.length === 0) continue;
    const kind = rest[0]!.object.split('/')[0];
    out.push({
      atMs: rest[0]!.atMs, type: rest[0]!.type, reason: rest[0]!.reason, object: `${kind}/*`,
      message: rest[0]!.message,
      count: rest.reduce((n, e) => n + e.count, 0), folded: rest.length,
    });
  }
  return out;
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
      return { ...base, kind: 'Gap', summary: { reason: c.reason ?? 'watch interrupted', ...(c.fromMs === undefined ? {} : { fromMs: Math.round(c.fromMs) }) } };
  }
}

/** Last observed state per node: readiness, taints, cordon, and the daemon pods on it. */
export function finalNodeStates(state: RecorderState, revs: Map<string, number>): NodeState[] {
  const podsOn = new Map<string, V1Pod[]>();
  for (const p of state.pods.values()) {
    const node = p.spec?.nodeName;
    if (node) podsOn.set(node, [...(podsOn.get(node) ?? []), p]);
  }
  return [...state.nodes.values()]
    .map((n) => {
      const name = n.metadata?.name ?? '';
      return {
        node: name,
        ready: n.status?.conditions?.find((x) => x.type === 'Ready')?.status ?? 'Unknown',
        taints: taintStrings(n),
        unschedulable: !!n.spec?.unschedulable,
        pods: (podsOn.get(name) ?? []).map((p) => {
          const s = podSummary(p, revs);
          return `${p.metadata?.name} ${s.terminating ? 'Terminating' : s.reason ?? `${s.phase}${s.ready ? ', Ready' : ', not Ready'}`}${s.revision !== undefined ? ` (revision ${s.revision})` : ''}`;
        }),
      };
    })
    .sort((a, b) => a.node.localeCompare(b.node));
}
