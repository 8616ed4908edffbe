// One recorder per scenario: watches Nodes, Pods, DaemonSets, ControllerRevisions and Events,
// keeps the current state and every change with a monotonic timestamp. Watches resume after a
// disconnect from the last resourceVersion; on 410 Gone they relist and a gap is recorded.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { V1ControllerRevision, V1DaemonSet, CoreV1Event, V1Node, V1Pod } from '@kubernetes/client-node';
import type { KubeClient } from '../kube/kube-client.js';
import { ResumableWatch, type ListedCollection } from '../kube/resumable-watch.js';

export type WatchedKind = 'Node' | 'Pod' | 'DaemonSet' | 'ControllerRevision' | 'Event';

export interface RecordedChange {
  /** ms since the recorder started (monotonic clock). */
  atMs: number;
  kind: WatchedKind | 'Gap';
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'GAP';
  object: KubernetesObject;
  /** For gaps: why the stream was interrupted. */
  reason?: string;
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
  query?: Record<string, string>;
  map: Map<string, KubernetesObject>;
  watch: ResumableWatch<KubernetesObject>;
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
  readonly changes: RecordedChange[] = [];
  readonly state: RecorderState = { nodes: new Map(), pods: new Map(), daemonSets: new Map(), revisions: new Map(), events: new Map() };
  private listeners = new Set<(c: RecordedChange) => void>();
  private readonly sources: Source[];

  /** Wall-clock time (epoch ms) at atMs 0, to judge time-based rules (minReadySeconds) on replay. */
  readonly epochAtStart: number;

  constructor(private readonly kube: KubeClient, readonly namespace: string, readonly clock: Clock, wallNow: () => number = Date.now) {
    this.epochAtStart = wallNow() - clock();
    const ns = encodeURIComponent(namespace);
    const source = (kind: WatchedKind, path: string, map: Map<string, KubernetesObject>, query?: Record<string, string>): Source => {
      const src = { kind, map, query } as Source;
      src.watch = new ResumableWatch(kube.kubeconfig, {
        path,
        query,
        name: kind,
        list: () => this.list(src),
        onList: (items, gap) => this.reconcile(src, items, gap),
        onEvent: (type, obj) => this.apply(src, type, withKind(obj, kind)),
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
   * Rebuilds the state change by change from the start, calling `visit` after each one: lets a
   * judgement find the exact change since which it has held.
   */
  replay(visit: (state: RecorderState, change: RecordedChange) => void): void {
    const st: RecorderState = { nodes: new Map(), pods: new Map(), daemonSets: new Map(), revisions: new Map(), events: new Map() };
    const maps: Record<string, Map<string, KubernetesObject>> = {
      Node: st.nodes, Pod: st.pods, DaemonSet: st.daemonSets, ControllerRevision: st.revisions, Event: st.events,
    };
    for (const c of this.changes) {
      const map = maps[c.kind];
      if (map) {
        if (c.type === 'DELETED') map.delete(keyOf(c.object));
        else map.set(keyOf(c.object), c.object);
      }
      visit(st, c);
    }
  }

  private record(change: RecordedChange): void {
    this.changes.push(change);
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
    const heartbeat = type === 'MODIFIED' && src.kind === 'Node' && nodeFacts(src.map.get(key) as V1Node | undefined) === nodeFacts(obj as V1Node);
    if (type === 'DELETED') src.map.delete(key);
    else src.map.set(key, obj);
    if (heartbeat) return;
    if (src.kind !== 'Event') this.objectChanges++;
    this.record({ atMs: this.clock(), kind: src.kind, type, object: obj });
  }

  /** Reconciles the state with a fresh list of one source, recording every difference. */
  private reconcile(src: Source, items: KubernetesObject[], gap: string | undefined): void {
    if (gap) this.record({ atMs: this.clock(), kind: 'Gap', type: 'GAP', object: { metadata: { name: src.kind } }, reason: gap });
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

function withKind<T extends KubernetesObject>(o: T, kind: WatchedKind): T {
  if (!o.kind) o.kind = kind;
  return o;
}

/** What a Node change can mean to a judgement: labels, taints, cordon, condition statuses, deletion. */
function nodeFacts(n: V1Node | undefined): string | undefined {
  if (!n) return undefined;
  return JSON.stringify([n.metadata?.labels, n.metadata?.deletionTimestamp, n.spec?.taints, n.spec?.unschedulable, n.status?.conditions?.map((c) => [c.type, c.status, c.reason])]);
}
