// Waits for a condition over a collection, judged on the whole collection after every burst of watch events.
import type { KubernetesObject, KubernetesListObject } from '@kubernetes/client-node';
import type { KubeClient } from './kube-client.js';
import { ResumableWatch } from './resumable-watch.js';

export interface WatchUntilOptions<T extends KubernetesObject> {
  /** API path of the collection, e.g. `/api/v1/nodes`. */
  path: string;
  list: () => Promise<KubernetesListObject<T>>;
  /** Judged on the whole current collection after every burst of changes. Return a string to keep waiting (what is wrong). */
  check: (items: T[]) => true | string;
  timeoutMs: number;
  /** What is being waited for, for the timeout message. */
  what: string;
}

/** A wait that ran out of time; the message carries the last thing it observed. */
export class WaitTimeoutError extends Error {
  constructor(readonly what: string, readonly timeoutMs: number, readonly lastObserved: string) {
    super(`${what}: not reached after ${timeoutMs} ms; last observed: ${lastObserved}`);
  }
}

/**
 * Resolves with the collection once `check` passes; rejects with the last mismatch on timeout,
 * or at once if the first list fails.
 *
 * @example
 * await watchUntil<V1Node>(kube, { path: '/api/v1/nodes', list: () => kube.core.listNode(),
 *   check: (ns) => ns.length === 3 || `${ns.length} nodes`, timeoutMs: 30_000, what: '3 nodes' });
 */
export async function watchUntil<T extends KubernetesObject>(kube: KubeClient, opts: WatchUntilOptions<T>): Promise<T[]> {
  const items = new Map<string, T>();
  const key = (o: T) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
  let last = 'nothing yet';
  let watch: ResumableWatch<T> | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<T[]>((resolve, reject) => {
      // Judged once per burst (the lines of one watch read arrive together): 1,000 nodes joining
      // send thousands of changes, and each judgement reads the whole collection.
      let pending = false;
      const judgeSoon = () => {
        if (pending) return;
        pending = true;
        queueMicrotask(() => {
          pending = false;
          judge();
        });
      };
      const judge = () => {
        const all = [...items.values()];
        const verdict = opts.check(all);
        if (verdict === true) {
          // Stopping here, not only in `finally`, keeps a satisfied first list from opening a watch.
          watch?.stop();
          resolve(all);
        } else last = verdict;
      };
      timer = setTimeout(() => reject(new WaitTimeoutError(opts.what, opts.timeoutMs, last)), opts.timeoutMs);
      watch = new ResumableWatch<T>(kube.kubeconfig, {
        path: opts.path,
        name: opts.what,
        list: async () => {
          const listed = await opts.list();
          return { items: listed.items, resourceVersion: listed.metadata?.resourceVersion };
        },
        // A relist replaces the whole collection: what vanished meanwhile was deleted.
        onList: (listed) => {
          items.clear();
          for (const o of listed) items.set(key(o), o);
          judge();
        },
        onEvent: (type, obj) => {
          if (type === 'DELETED') items.delete(key(obj));
          else items.set(key(obj), obj);
          judgeSoon();
        },
      });
      watch.start().catch(reject);
    });
  } finally {
    if (timer) clearTimeout(timer);
    watch?.stop();
  }
}
