// ResumableWatch against a scripted HTTP watch endpoint: resumes from the last resourceVersion
// (bookmarks included), relists on 410 Gone and says so, and stops cleanly.
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { ResumableWatch, type WatchEventType } from '../../../src/kube/resumable-watch.js';

type Step = (res: ServerResponse) => void;

/** Serves the n-th watch request with the n-th step; records each request's resourceVersion. */
async function fakeApiServer(steps: Step[]): Promise<{ server: Server; kubeconfig: KubeConfig; watchedFrom: string[] }> {
  const watchedFrom: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    watchedFrom.push(url.searchParams.get('resourceVersion') ?? '');
    res.writeHead(200, { 'content-type': 'application/json' });
    // As the API server does: the stream is open (and the client's watch live) before any event.
    res.flushHeaders();
    const step = steps[watchedFrom.length - 1];
    if (step) step(res);
    // Beyond the script: an idle stream, ended by the client.
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const kubeconfig = new KubeConfig();
  kubeconfig.loadFromOptions({
    clusters: [{ name: 'c', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true }],
    users: [{ name: 'u' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return { server, kubeconfig, watchedFrom };
}

const obj = (name: string, rv: string): KubernetesObject => ({ metadata: { name, resourceVersion: rv } });
const line = (type: string, object: unknown) => `${JSON.stringify({ type, object })}\n`;

function until(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = () => (cond() ? resolve() : Date.now() > deadline ? reject(new Error('condition not reached')) : setTimeout(tick, 10));
    tick();
  });
}

describe('ResumableWatch', () => {
  let server: Server | undefined;
  let watch: ResumableWatch<KubernetesObject> | undefined;
  afterEach(async () => {
    watch?.stop();
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
  });

  it('resumes from the last resourceVersion after a disconnect and relists on 410 Gone', async () => {
    const fake = await fakeApiServer([
      // A change, then a bookmark that moves the resume point, then a dropped connection.
      (res) => {
        res.write(line('ADDED', obj('b', '2')));
        res.write(line('BOOKMARK', obj('', '5')));
        setTimeout(() => res.socket?.destroy(), 50);
      },
      // The server no longer has that history.
      (res) => res.end(line('ERROR', { kind: 'Status', code: 410, reason: 'Expired' })),
    ]);
    server = fake.server;
    const lists: Array<{ names: string[]; gap: string | undefined }> = [];
    const events: Array<[WatchEventType, string]> = [];
    let listed = 0;
    watch = new ResumableWatch(fake.kubeconfig, {
      path: '/api/v1/nodes',
      name: 'Node',
      list: async () => (++listed === 1 ? { items: [obj('a', '1')], resourceVersion: '1' } : { items: [obj('a', '6'), obj('b', '6')], resourceVersion: '7' }),
      onList: (items, gap) => lists.push({ names: items.map((o) => o.metadata!.name!), gap }),
      onEvent: (type, o) => events.push([type, o.metadata!.name!]),
    });
    await watch.start();
    expect(lists).toEqual([{ names: ['a'], gap: undefined }]);
    await until(() => fake.watchedFrom.length >= 3);
    expect(events).toEqual([['ADDED', 'b']]);
    expect(fake.watchedFrom).toEqual(['1', '5', '7']);
    expect(lists[1]).toEqual({ names: ['a', 'b'], gap: 'watch of Node expired (410 Gone): relisted' });
  });

  it('interrupt(resumeFrom) restarts the stream there; stop() ends it for good', async () => {
    const fake = await fakeApiServer([]);
    server = fake.server;
    const w = new ResumableWatch<KubernetesObject>(fake.kubeconfig, {
      path: '/api/v1/nodes',
      name: 'Node',
      list: async () => ({ items: [], resourceVersion: '3' }),
      onList: () => {},
      onEvent: () => {},
    });
    watch = w;
    await w.start();
    await until(() => fake.watchedFrom.length === 1);
    // The stream is live once its response headers are in.
    await new Promise((r) => setTimeout(r, 100));
    w.interrupt('2');
    await until(() => fake.watchedFrom.length === 2);
    expect(fake.watchedFrom).toEqual(['3', '2']);
    await new Promise((r) => setTimeout(r, 100));
    w.stop();
    server.closeAllConnections();
    await new Promise((r) => setTimeout(r, 500));
    expect(fake.watchedFrom).toHaveLength(2);
  });
});
