// Waits for a condition over a collection by listing once and then following the watch stream.
import { Watch, type KubernetesObject, type KubernetesListObject } from '@kubernetes/client-node';
import type { KubeClient } from './kube-client.js';

export interface WatchUntilOptions<T extends KubernetesObject> {
  /** API path of the collection, e.g. `/api/v1/nodes`. */
  path: string;
  list: () => Promise<KubernetesListObject<T>>;
  /** Judged on the whole current collection after every change. Return a string to keep waiting (what is wrong). */
  check: (items: T[]) => true | string;
  timeoutMs: number;
  /** What is being waited for, for the timeout message. */
  what: string;
}

export class WaitTimeoutError extends Error {
  constructor(readonly what: string, readonly timeoutMs: number, readonly lastObserved: string) {
    super(`${what}: not reached after ${timeoutMs} ms; last observed: ${lastObserved}`);
  }
}

/** Resolves with the collection once `check` passes; rejects with the last mismatch on timeout. */
export async function watchUntil<T extends KubernetesObject>(kube: KubeClient, opts: WatchUntilOptions<T>): Promise<T[]> {
  const items = new Map<string, T>();
  const key = (o: T) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
  let last = 'nothing yet';
  let abort: AbortController | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<T[]>((resolve, reject) => {
      let settled = false;
      const judge = () => {
        const all = [...items.values()];
        const verdict = opts.check(all);
        if (verdict === true) {
          settled = true;
          resolve(all);
        } else last = verdict;
      };
      timer = setTimeout(() => {
        settled = true;
        reject(new WaitTimeoutError(opts.what, opts.timeoutMs, last));
      }, opts.timeoutMs);
      const start = async (): Promise<void> => {
        const listed = await opts.list();
        items.clear();
        for (const o of listed.items) items.set(key(o), o);
        judge();
        if (settled) return;
        abort = await new Watch(kube.kubeconfig).watch(
          opts.path,
          { resourceVersion: listed.metadata?.resourceVersion, allowWatchBookmarks: true },
          (phase, obj: T) => {
            if (phase === 'BOOKMARK' || phase === 'ERROR') return;
            if (phase === 'DELETED') items.delete(key(obj));
            else items.set(key(obj), obj);
            if (!settled) judge();
          },
          (err) => {
            // The stream ended (timeout, 410 Gone, disconnect): list again and resume.
            if (!settled) start().catch(reject);
            void err;
          },
        );
      };
      start().catch((err) => {
        settled = true;
        reject(err);
      });
    });
  } finally {
    if (timer) clearTimeout(timer);
    abort?.abort();
  }
}
