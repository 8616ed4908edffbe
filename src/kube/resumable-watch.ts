// One collection followed without losing changes: list, watch from the list's resourceVersion,
// resume after a disconnect from the last resourceVersion seen, relist (and say so) on 410 Gone.
import { Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface ListedCollection<T> {
  items: T[];
  resourceVersion?: string;
}

export interface ResumableWatchOptions<T extends KubernetesObject> {
  /** API path of the collection, e.g. `/api/v1/nodes`. */
  path: string;
  /** Extra watch parameters (a fieldSelector); `list` must apply the same ones. */
  query?: Record<string, string>;
  /** What is watched, for the reasons given to `onList` ("watch of Node expired ..."). */
  name: string;
  list: () => Promise<ListedCollection<T>>;
  /**
   * The whole collection after each list. `gap` is undefined for the first list; on a relist it
   * says why, because the changes in between were not seen one by one.
   */
  onList: (items: T[], gap: string | undefined) => void;
  /** Each change the watch stream reports (bookmarks and errors are handled here). */
  onEvent: (type: WatchEventType, obj: T) => void;
  /**
   * The stream broke and could not simply be reopened (the server refused or dropped it, or the
   * history expired): changes are not seen as they happen until `onRestored`. Called once per
   * interruption, with why.
   */
  onInterrupted?: (reason: string) => void;
  /**
   * Changes flow again after `onInterrupted`: `resumed` from the last resourceVersion (the server
   * replays what was missed), or `relisted` (what changed in between is folded into the list).
   * `openedAgoMs`: how long before this call the stream that restored it opened.
   */
  onRestored?: (how: 'resumed' | 'relisted', openedAgoMs: number) => void;
}

/** A disconnect is usually a proxy or server timeout: come back quickly, but do not spin. */
const RESUME_DELAY_MS = 200;
/** The API server did not answer a list or a watch at all: try again, less eagerly. */
const RETRY_DELAY_MS = 1000;
/** A reopened stream that stays open this long without an error counts as restored. */
const RESTORED_AFTER_MS = 1000;

interface LiveStream {
  abort: AbortController;
  /** Set when `interrupt` replaced this stream, so its end does not trigger a second resume. */
  replaced: boolean;
  /** Set once the stream has ended (its `done` ran): a stream that ended before it was handed back never went live. */
  ended: boolean;
}

/**
 * Keeps one collection in step with the API server until `stop()`.
 *
 * @example
 * const w = new ResumableWatch(kube.kubeconfig, { path: '/api/v1/nodes', name: 'Node', list, onList, onEvent });
 * await w.start(); // the first list has been delivered; changes follow through onEvent
 * w.stop();
 */
export class ResumableWatch<T extends KubernetesObject> {
  private stopped = false;
  private live: LiveStream | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  /** True from `onInterrupted` until `onRestored`. */
  private down = false;

  constructor(private readonly kubeconfig: KubeConfig, private readonly opts: ResumableWatchOptions<T>) {}

  /** Lists and starts watching. Resolves once the first list is delivered; rejects if it fails. */
  start(): Promise<void> {
    return this.relist(undefined);
  }

  /** Ends the stream and any pending resume; nothing is delivered afterwards. */
  stop(): void {
    this.stopped = true;
    this.live?.abort.abort();
    this.live = undefined;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** Whether changes are not reaching this watch right now (between `onInterrupted` and `onRestored`). */
  get interrupted(): boolean {
    return this.down;
  }

  /**
   * Cuts the stream as a dropped connection would (for tests). With `resumeFrom`, the new stream
   * starts at that resourceVersion (a long-gone one makes the API server answer 410 Gone, which
   * exercises the relist path); otherwise it resumes where it was.
   */
  interrupt(resumeFrom?: string): void {
    const w = this.live;
    if (!w) return;
    if (resumeFrom !== undefined) {
      w.replaced = true;
      w.abort.abort();
      this.watch(resumeFrom);
    } else {
      w.abort.abort();
    }
  }

  private async relist(gap: string | undefined): Promise<void> {
    if (this.stopped) return;
    const list = await this.opts.list();
    if (this.stopped) return;
    this.opts.onList(list.items, gap);
    this.restored('relisted', 0);
    this.watch(list.resourceVersion);
  }

  private markDown(reason: string): void {
    if (this.down || this.stopped) return;
    this.down = true;
    this.opts.onInterrupted?.(reason);
  }

  private restored(how: 'resumed' | 'relisted', openedAgoMs: number): void {
    if (!this.down || this.stopped) return;
    this.down = false;
    this.opts.onRestored?.(how, openedAgoMs);
  }

  private watch(resourceVersion: string | undefined): void {
    if (this.stopped) return;
    const { path, query, name } = this.opts;
    let rv = resourceVersion;
    let gone = false;
    const handle: LiveStream = { abort: new AbortController(), replaced: false, ended: false };
    const openedAt = Date.now();
    // A reopened stream restores the watch once it delivers something, or stays open a while:
    // a restarted API server opens the stream and then answers 410 on it.
    const confirm = () => {
      if (!handle.ended && !handle.replaced) this.restored('resumed', Date.now() - openedAt);
    };
    void new Watch(this.kubeconfig)
      .watch(
        path,
        { ...query, resourceVersion: rv, allowWatchBookmarks: true },
        (phase: string, obj: T & { code?: number }) => {
          if (this.stopped) return;
          if (phase === 'ERROR') {
            if (obj.code === 410) gone = true;
            return;
          }
          confirm();
          // Bookmarks count too: they move the resume point past changes we need not see.
          if (obj.metadata?.resourceVersion) rv = obj.metadata.resourceVersion;
          if (phase === 'BOOKMARK') return;
          this.opts.onEvent(phase as WatchEventType, obj);
        },
        (err: unknown) => {
          handle.ended = true;
          if (this.stopped || handle.replaced) return;
          if (gone || statusOf(err) === 410) {
            this.markDown(`watch of ${name} expired (410 Gone)`);
            this.relist(`watch of ${name} expired (410 Gone): relisted`).catch(() => this.retry('relist failed'));
          } else if (err) {
            // A disconnect: resume from the last resourceVersion seen (no gap if the server still has it).
            this.markDown(`watch of ${name} cut: ${err instanceof Error ? err.message : String(err)}`);
            this.later(RESUME_DELAY_MS, () => this.watch(rv));
          } else {
            // The server ended the stream (its watch timeout): reopen at once, nothing is missed.
            this.watch(rv);
          }
        },
      )
      .then((abort) => {
        handle.abort = abort;
        if (this.stopped) abort.abort();
        else {
          this.live = handle;
          if (this.down && !handle.ended) this.later(RESTORED_AFTER_MS, confirm);
        }
      })
      .catch(() => this.retry('watch could not start'));
  }

  /** Lists again after a pause, until it works; the relist reports `reason` as the gap. */
  private retry(reason: string): void {
    this.markDown(`${this.opts.name}: ${reason}`);
    this.later(RETRY_DELAY_MS, () => void this.relist(`${this.opts.name}: ${reason}`).catch(() => this.retry(reason)));
  }

  private later(ms: number, fn: () => void): void {
    if (this.stopped) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }
}

function statusOf(err: unknown): number | undefined {
  const e = err as { statusCode?: number; code?: number } | undefined;
  return e?.statusCode ?? e?.code;
}
