// One recorder per scenario: watches Nodes, Pods, DaemonSets, ControllerRevisions and Events,
// keeps the current state and every change with a monotonic timestamp. Watches resume after a
// disconnect from the last resourceVersion; on 410 Gone they relist and a gap is recorded.
import { Watch, type KubernetesObject } from '@kubernetes/client-node';
import type { V1ControllerRevision, V1DaemonSet, CoreV1Event, V1Node, V1Pod } from '@kubernetes/client-node';
import type { KubeClient } from '../kube/kube-client.js';

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
  path: string;
  query?: Record<string, string>;
  map: Map<string, KubernetesObject>;
}

export type Clock = () => number;

export class Recorder {
  readonly changes: RecordedChange[] = [];
  readonly state: RecorderState = { nodes: new Map(), pods: new Map(), daemonSets: new Map(), revisions: new Map(), events: new Map() };
  private listeners = new Set<(c: RecordedChange) => void>();
  /** The live watch of each source, and whether its end was asked for (no automatic resume). */
  private current = new Map<Source, { abort: AbortController; replaced?: boolean }>();
  private stopped = false;
  private readonly sources: Source[];

  /** Wall-clock time (epoch ms) at atMs 0, to judge time-based rules (minReadySeconds) on replay. */
  readonly epochAtStart: number;

  constructor(private readonly kube: KubeClient, readonly namespace: string, readonly clock: Clock, wallNow: () => number = Date.now) {
    this.epochAtStart = wallNow() - clock();
    const ns = encodeURIComponent(namespace);
    this.sources = [
      { kind: 'Node', path: '/api/v1/nodes', map: this.state.nodes },
      { kind: 'Pod', path: `/api/v1/namespaces/${ns}/pods`, map: this.state.pods },
      { kind: 'DaemonSet', path: `/apis/apps/v1/namespaces/${ns}/daemonsets`, map: this.state.daemonSets },
      { kind: 'ControllerRevision', path: `/apis/apps/v1/namespaces/${ns}/controllerrevisions`, map: this.state.revisions },
      { kind: 'Event', path: `/api/v1/namespaces/${ns}/events`, map: this.state.events },
      { kind: 'Event', path: '/api/v1/events', query: { fieldSelector: 'involvedObject.kind=Node' }, map: this.state.events },
    ] as Source[];
  }

  /** Lists every source and starts following it. Resolves once all initial lists are in. */
  async start(): Promise<void> {
    await Promise.all(this.sources.map((s) => this.follow(s)));
  }

  /** Stops every watch. */
  stop(): void {
    this.stopped = true;
    for (const w of this.current.values()) w.abort.abort();
    this.current.clear();
  }

  /** Calls `fn` on every change from now on; returns an unsubscribe function. */
  subscribe(fn: (c: RecordedChange) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

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

  private apply(src: Source, type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: KubernetesObject): void {
    const key = keyOf(obj);
    if (type === 'DELETED') src.map.delete(key);
    else src.map.set(key, obj);
    this.record({ atMs: this.clock(), kind: src.kind, type, object: obj });
  }

  /** Lists the source, reconciles the state with it (recording differences), then watches. */
  private async follow(src: Source, afterGap?: string): Promise<void> {
    if (this.stopped) return;
    const list = await this.list(src);
    const seen = new Set<string>();
    if (afterGap) this.record({ atMs: this.clock(), kind: 'Gap', type: 'GAP', object: { metadata: { name: src.kind } }, reason: afterGap });
    for (const obj of list.items) {
      const key = keyOf(obj);
      seen.add(key);
      const old = src.map.get(key);
      if (!old) this.apply(src, 'ADDED', obj);
      else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) this.apply(src, 'MODIFIED', obj);
    }
    for (const [key, obj] of [...src.map]) {
      if (!seen.has(key) && this.belongs(src, obj)) this.apply(src, 'DELETED', obj);
    }
    this.watch(src, list.resourceVersion);
  }

  /** Whether an object in a shared map came from this source (two sources feed `events`). */
  private belongs(src: Source, obj: KubernetesObject): boolean {
    if (src.kind !== 'Event') return true;
    const nodeEvent = (obj as CoreV1Event).involvedObject?.kind === 'Node';
    return src.query ? nodeEvent : !nodeEvent;
  }

  private async list(src: Source): Promise<{ items: KubernetesObject[]; resourceVersion?: string }> {
    const api = src.kind === 'DaemonSet' || src.kind === 'ControllerRevision' ? 'apps/v1' : 'v1';
    const ns = src.kind === 'Node' || src.query ? undefined : this.namespace;
    const res = await this.kube.objects.list(api, src.kind, ns, undefined, undefined, undefined, src.query?.fieldSelector);
    return { items: res.items.map((o) => withKind(o, src.kind)), resourceVersion: res.metadata?.resourceVersion };
  }

  private watch(src: Source, resourceVersion: string | undefined): void {
    if (this.stopped) return;
    let rv = resourceVersion;
    let gone: string | undefined;
    const w = new Watch(this.kube.kubeconfig);
    const handle: { abort: AbortController; replaced?: boolean } = { abort: new AbortController() };
    void w
      .watch(
        src.path,
        { ...src.query, resourceVersion: rv, allowWatchBookmarks: true },
        (phase, obj: KubernetesObject & { code?: number; message?: string }) => {
          if (phase === 'ERROR') {
            if (obj.code === 410) gone = `watch of ${src.kind} expired (410 Gone): relisted`;
            return;
          }
          if (obj.metadata?.resourceVersion) rv = obj.metadata.resourceVersion;
          if (phase === 'BOOKMARK') return;
          this.apply(src, phase as 'ADDED' | 'MODIFIED' | 'DELETED', withKind(obj, src.kind));
        },
        (err: unknown) => {
          if (this.stopped || handle.replaced) return;
          const status = (err as { statusCode?: number; code?: number })?.statusCode ?? (err as { code?: number })?.code;
          if (gone || status === 410) {
            void this.follow(src, gone ?? `watch of ${src.kind} expired (410 Gone): relisted`).catch(() => this.retry(src, 'relist failed'));
          } else if (err) {
            // A disconnect: resume from the last resourceVersion seen (no gap if the server still has it).
            setTimeout(() => this.watch(src, rv), 200);
          } else {
            this.watch(src, rv);
          }
        },
      )
      .then((abort) => {
        handle.abort = abort;
        if (this.stopped) abort.abort();
        else this.current.set(src, handle);
      })
      .catch(() => this.retry(src, 'watch could not start'));
  }

  /**
   * Cuts the watch of one kind as a dropped connection would. With `resumeFrom`, the new watch
   * starts at that resourceVersion (a long-gone one makes the API server answer 410 Gone, which
   * exercises the relist-and-record-a-gap path); otherwise it resumes where it was.
   */
  interrupt(kind: WatchedKind, resumeFrom?: string): void {
    for (const src of this.sources.filter((x) => x.kind === kind && !x.query)) {
      const w = this.current.get(src);
      if (!w) continue;
      if (resumeFrom !== undefined) {
        w.replaced = true;
        w.abort.abort();
        this.watch(src, resumeFrom);
      } else {
        w.abort.abort();
      }
    }
  }

  private retry(src: Source, reason: string): void {
    if (this.stopped) return;
    setTimeout(() => void this.follow(src, `${src.kind}: ${reason}`).catch(() => this.retry(src, reason)), 1000);
  }
}

function keyOf(o: KubernetesObject): string {
  return `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
}

function withKind<T extends KubernetesObject>(o: T, kind: WatchedKind): T {
  if (!o.kind) o.kind = kind;
  return o;
}

