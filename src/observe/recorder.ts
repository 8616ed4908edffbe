// One recorder per scenario: watches Nodes, Pods, DaemonSets, ControllerRevisions and Events,
// keeps the current state and every change with a monotonic timestamp. Watches resume after a
// disconnect from the last resourceVersion; on 410 Gone they relist. Every span it could not
// observe (a watch down for a second or more, a relist, a frozen control plane) is a gap.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { V1ControllerRevision, V1DaemonSet, CoreV1Event, V1Node, V1Pod } from '@kubernetes/client-node';
import type { KubeClient } from '../kube/kube-client.js';
import { ResumableWatch, type ListedCollection } from '../kube/resumable-watch.js';
import { InfraError } from '../util/errors.js';
import { formatMs } from '../util/duration.js';
import type { ObservationGap } from './observation-gaps.js';

/** A watch resumed from its resourceVersion within this long missed nothing worth calling a gap (the server replayed it all). */
const MIN_GAP_MS = 1000;
/** A watch cut this soon after a fault ended is put down to that fault. */
const AFTERMATH_MS = 10_000;

export type WatchedKind = 'Node' | 'Pod' | 'DaemonSet' | 'ControllerRevision' | 'Event';

export interface RecordedChange {
  /** ms since the recorder started (monotonic clock). */
  atMs: number;
  kind: WatchedKind | 'Gap';
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'GAP';
  object: KubernetesObject;
  /** For gaps: why nothing was observed. */
  reason?: string;
  /** For gaps: when the span began (`atMs` is when it ended). */
  fromMs?: number;
  /** The object as it was before a MODIFIED or DELETED change, so the state can be walked back. */
  previous?: KubernetesObject;
}

export interface RecorderState {
  nodes: Map<string, V1Node>;
  pods: Map<string, V1Pod>;
  daemonSets: Map<string, V1DaemonSet>;
  revisions: Map<string, V1ControllerRevision>;
  events: Map<string, CoreV1Event>;
}

interface Source {
  kind: WatchedKind;
  /** The watch's name in gaps: its kind, and which Events. */
  label: string;
  query?: Record<string, string>;
  map: Map<string, KubernetesObject>;
  watch: ResumableWatch<KubernetesObject>;
  /** Set while the watch is interrupted: since when (scenario clock) and why. */
  down?: { sinceMs: number; reason: string };
}

/** Monotonic milliseconds; injected so unit tests run in virtual time. */
export type Clock = () => number;

/**
 * Records what happened in one scenario's namespace (and to every node), change by change.
 *
 * @example
 * const rec = new Recorder(kube, 'scenario-1', () => performance.now() - t0);
 * await rec.start();
 * await rec.until((st) => st.nodes.size === 3, '3 nodes');
 * rec.stop();
 */
export class Recorder {
  /**
   * The newest changes with their objects (at most `retain`, 4,096 by default): what walkBack can
   * walk. Subscribers see every change; the report's timeline is built from them as they come.
   */
  readonly changes: RecordedChange[] = [];
  /** Spans nothing was observed in, in the order they began; an open one has no `toMs` yet. */
  readonly gaps: ObservationGap[] = [];
  private readonly caughtUpWaiters = new Set<() => void>();
  readonly state: RecorderState = { nodes: new Map(), pods: new Map(), daemonSets: new Map(), revisions: new Map(), events: new Map() };
  private listeners = new Set<(c: RecordedChange) => void>();
  private readonly sources: Source[];

  /** Wall-clock time (epoch ms) at atMs 0, to judge time-based rules (minReadySeconds) on replay. */
  readonly epochAtStart: number;

  constructor(
    private readonly kube: KubeClient, readonly namespace: string, readonly clock: Clock, wallNow: () => number = Date.now,
    private readonly retain = 4096,
  ) {
    this.epochAtStart = wallNow() - clock();
    const ns = encodeURIComponent(namespace);
    const source = (kind: WatchedKind, path: string, map: Map<string, KubernetesObject>, query?: Record<string, string>): Source => {
      const src = { kind, map, query, label: kind === 'Event' ? (query ? 'Event (nodes)' : 'Event (namespace)') : kind } as Source;
      src.watch = new ResumableWatch(kube.kubeconfig, {
        path,
        query,
        name: kind,
        list: () => this.list(src),
        onList: (items) => this.reconcile(src, items),
        onEvent: (type, obj) => this.apply(src, type, withKind(obj, kind)),
        onInterrupted: (reason) => (src.down = { sinceMs: this.clock(), reason }),
        onRestored: (how, openedAgoMs) => this.restored(src, how, openedAgoMs),
      });
      return src;
    };
    this.sources = [
      source('Node', '/api/v1/nodes', this.state.nodes),
      source('Pod', `/api/v1/namespaces/${ns}/pods`, this.state.pods),
      source('DaemonSet', `/apis/apps/v1/namespaces/${ns}/daemonsets`, this.state.daemonSets),
      source('ControllerRevision', `/apis/apps/v1/namespaces/${ns}/controllerrevisions`, this.state.revisions),
      source('Event', `/api/v1/namespaces/${ns}/events`, this.state.events),
      source('Event', '/api/v1/events', this.state.events, { fieldSelector: 'involvedObject.kind=Node' }),
    ];
  }

  /** Lists every source and starts following it. Resolves once all initial lists are in. */
  async start(): Promise<void> {
    await Promise.all(this.sources.map((s) => s.watch.start()));
  }

  /** Stops every watch. */
  stop(): void {
    for (const s of this.sources) s.watch.stop();
  }

  /**
   * Marks the time from now on as unobserved, on every watch, until the returned function is
   * called: for faults the watches cannot see (a frozen API server keeps its streams open and
   * silent). The gap is recorded on the timeline when it ends.
   */
  beginOutage(reason: string): () => void {
    const gap: ObservationGap = { fromMs: this.clock(), watches: ['all'], reason };
    this.gaps.push(gap);
    return () => {
      if (gap.toMs !== undefined) return;
      gap.toMs = this.clock();
      this.recordGap(gap);
    };
  }

  /** Resolves once no watch is interrupted (each resumed or relisted after a fault); rejects after `timeoutMs` naming those still behind. */
  caughtUp(timeoutMs = 30_000): Promise<void> {
    const behind = () => this.sources.filter((s) => s.watch.interrupted).map((s) => s.label);
    if (!behind().length) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (behind().length) return;
        clearTimeout(timer);
        this.caughtUpWaiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.caughtUpWaiters.delete(check);
        reject(new InfraError(`the recorder's watches of ${behind().join(', ')} did not resume within ${formatMs(timeoutMs)}`));
      }, timeoutMs);
      this.caughtUpWaiters.add(check);
    });
  }

  /** Calls `fn` on every change from now on; returns an unsubscribe function. */
  subscribe(fn: (c: RecordedChange) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** The recorder's clock: ms since it started, comparable with every `atMs`. */
  now(): number {
    return this.clock();
  }

  /**
   * Resolves once the recorded state satisfies `predicate`: actions call this so that the
   * recorder has seen their effect before expectations judge what follows.
   */
  until(predicate: (state: RecorderState) => boolean, what: string, timeoutMs = 30_000): Promise<void> {
    if (predicate(this.state)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`the watch did not show ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      const off = this.subscribe(() => {
        if (predicate(this.state)) {
          clearTimeout(timer);
          off();
          resolve();
        }
      });
    });
  }

  /**
   * Walks the state back from now, one change at a time: `visit` sees the state right after each
   * change, newest first, and returns false to stop. Lets a judgement find the change since which
   * it has held without re-judging the whole history.
   */
  walkBack(visit: (state: RecorderState, change: RecordedChange) => boolean): void {
    const st: RecorderState = {
      nodes: new Map(this.state.nodes), pods: new Map(this.state.pods), daemonSets: new Map(this.state.daemonSets),
      revisions: new Map(this.state.revisions), events: new Map(this.state.events),
    };
    const maps: Record<string, Map<string, KubernetesObject>> = {
      Node: st.nodes, Pod: st.pods, DaemonSet: st.daemonSets, ControllerRevision: st.revisions, Event: st.events,
    };
    for (let i = this.changes.length - 1; i >= 0; i--) {
      const c = this.changes[i]!;
      if (!visit(st, c)) return;
      const map = maps[c.kind];
      if (!map) continue;
      if (c.previous) map.set(keyOf(c.object), c.previous);
      else map.delete(keyOf(c.object));
    }
  }

  private record(change: RecordedChange): void {
    this.changes.push(change);
    // Older objects go (in chunks, so trimming stays cheap): at 1,000 nodes they are most of the memory.
    if (this.changes.length >= 2 * this.retain) this.changes.splice(0, this.changes.length - this.retain);
    for (const l of [...this.listeners]) l(change);
  }

  /**
   * Counts changes to nodes, pods, DaemonSets and ControllerRevisions (not Events): while it stays
   * the same, so do the lists a judgement is built from.
   */
  get stateVersion(): number {
    return this.objectChanges;
  }

  private objectChanges = 0;

  private apply(src: Source, type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: KubernetesObject): void {
    const key = keyOf(obj);
    // A kubelet's status heartbeat (new condition times, nothing else) is no change to judge or
    // record: at 1,000 nodes it is most of the Node traffic. The state keeps the newest object.
    const previous = src.map.get(key);
    const heartbeat = type === 'MODIFIED' && src.kind === 'Node' && nodeFacts(previous as V1Node | undefined) === nodeFacts(obj as V1Node);
    if (type === 'DELETED') src.map.delete(key);
    else src.map.set(key, obj);
    if (heartbeat) return;
    if (src.kind !== 'Event') this.objectChanges++;
    this.record({ atMs: this.clock(), kind: src.kind, type, object: obj, ...(previous && type !== 'ADDED' ? { previous } : {}) });
  }

  /** A watch flows again: its interruption becomes a gap unless it was a blip the server replayed in full. */
  private restored(src: Source, how: 'resumed' | 'relisted', openedAgoMs: number): void {
    const down = src.down;
    src.down = undefined;
    for (const w of [...this.caughtUpWaiters]) w();
    if (!down) return;
    const toMs = Math.max(down.sinceMs, this.clock() - openedAgoMs);
    if (how === 'resumed' && toMs - down.sinceMs < MIN_GAP_MS) return;
    const what = how === 'relisted' ? `${down.reason}: relisted, changes in between folded` : `${down.reason}: resumed after ${formatMs(toMs - down.sinceMs)}, changes arrived late`;
    // The fault behind it, if one was under way (or had just ended): that is the reason people need.
    const fault = this.gaps.find((g) => g.watches.includes('all') && g.fromMs <= toMs && (g.toMs === undefined || g.toMs + AFTERMATH_MS >= down.sinceMs));
    const gap: ObservationGap = { fromMs: down.sinceMs, toMs, watches: [src.label], reason: fault ? `${fault.reason} (${what})` : what };
    this.gaps.push(gap);
    this.recordGap(gap);
  }

  private recordGap(gap: ObservationGap): void {
    this.record({ atMs: gap.toMs ?? this.clock(), fromMs: gap.fromMs, kind: 'Gap', type: 'GAP', object: { metadata: { name: gap.watches.join(', ') } }, reason: gap.reason });
  }

  /** Reconciles the state with a fresh list of one source, recording every difference. */
  private reconcile(src: Source, items: KubernetesObject[]): void {
    const seen = new Set<string>();
    for (const raw of items) {
      const obj = withKind(raw, src.kind);
      const key = keyOf(obj);
      seen.add(key);
      const old = src.map.get(key);
      if (!old) this.apply(src, 'ADDED', obj);
      else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) this.apply(src, 'MODIFIED', obj);
    }
    for (const [key, obj] of [...src.map]) {
      if (!seen.has(key) && this.belongs(src, obj)) this.apply(src, 'DELETED', obj);
    }
  }

  /** Whether an object in a shared map came from this source (two sources feed `events`). */
  private belongs(src: Source, obj: KubernetesObject): boolean {
    if (src.kind !== 'Event') return true;
    const nodeEvent = (obj as CoreV1Event).involvedObject?.kind === 'Node';
    return src.query ? nodeEvent : !nodeEvent;
  }

  private async list(src: Source): Promise<ListedCollection<KubernetesObject>> {
    const api = src.kind === 'DaemonSet' || src.kind === 'ControllerRevision' ? 'apps/v1' : 'v1';
    const ns = src.kind === 'Node' || src.query ? undefined : this.namespace;
    const res = await this.kube.objects.list(api, src.kind, ns, undefined, undefined, undefined, src.query?.fieldSelector);
    return { items: res.items, resourceVersion: res.metadata?.resourceVersion };
  }

  /**
   * Cuts the watch of one kind as a dropped connection would. With `resumeFrom`, the new watch
   * starts at that resourceVersion (a long-gone one makes the API server answer 410 Gone, which
   * exercises the relist-and-record-a-gap path); otherwise it resumes where it was.
   */
  interrupt(kind: WatchedKind, resumeFrom?: string): void {
    for (const src of this.sources.filter((x) => x.kind === kind && !x.query)) src.watch.interrupt(resumeFrom);
  }
}

function keyOf(o: KubernetesObject): string {
  return `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
}

/**
 * The object as the recorder keeps it: its kind set, and without metadata.managedFields (who wrote
 * which field, for server-side apply). No judgement reads them, and they are half of a kwok Node's
 * JSON (2.0 of 4.0 KB). The object is fresh from the watch, so it is changed in place.
 */
function withKind<T extends KubernetesObject>(o: T, kind: WatchedKind): T {
  if (!o.kind) o.kind = kind;
  if (o.metadata?.managedFields) delete o.metadata.managedFields;
  return o;
}

/** What a Node change can mean to a judgement: labels, taints, cordon, condition statuses, deletion. */
function nodeFacts(n: V1Node | undefined): string | undefined {
  if (!n) return undefined;
  return JSON.stringify([n.metadata?.labels, n.metadata?.deletionTimestamp, n.spec?.taints, n.spec?.unschedulable, n.status?.conditions?.map((c) => [c.type, c.status, c.reason])]);
}
