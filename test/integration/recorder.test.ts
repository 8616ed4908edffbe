// The recorder on a real API server: it records every change with a monotonic timestamp, resumes
// after a dropped watch without losing changes, and on 410 Gone relists and records a gap.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KwokCluster } from '../../src/providers/kwok/kwok-cluster.js';
import { Recorder } from '../../src/observe/recorder.js';
import { labelNode } from '../../src/kube/node-api.js';
import { startCluster, testToolchain } from '../support/kwok-fixture.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clusterDir } from '../../src/providers/kwok/kwokctl.js';

describe('Recorder', () => {
  let cluster: KwokCluster;
  let recorder: Recorder;

  beforeAll(async () => {
    // Without the watch cache, watches are served by etcd, so a compacted revision gives a real 410.
    cluster = await startCluster(2, { componentArgs: { 'kube-apiserver': { 'watch-cache': 'false' } } });
    await cluster.kube.core.createNamespace({ body: { metadata: { name: 'rec' } } });
    const t0 = performance.now();
    recorder = new Recorder(cluster.kube, 'rec', () => performance.now() - t0);
    await recorder.start();
  });
  afterAll(async () => {
    recorder?.stop();
    await cluster?.destroy();
  });

  const sawLabel = (value: string) => recorder.until((st) => st.nodes.get('/worker-1')?.metadata?.labels?.probe === value, `probe=${value}`, 15_000);

  it('records node changes in order with increasing timestamps', async () => {
    await labelNode(cluster.kube, 'worker-1', { probe: 'a' });
    await sawLabel('a');
    const times = recorder.changes.map((c) => c.atMs);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(recorder.changes.some((c) => c.kind === 'Node' && c.type === 'MODIFIED' && c.object.metadata?.name === 'worker-1')).toBe(true);
  });

  it('resumes a dropped watch from its last resourceVersion, without a gap', async () => {
    recorder.interrupt('Node');
    await labelNode(cluster.kube, 'worker-1', { probe: 'b' });
    await sawLabel('b');
    expect(recorder.changes.some((c) => c.kind === 'Gap')).toBe(false);
  });

  it('relists after 410 Gone and records the gap, then keeps recording', async () => {
    await labelNode(cluster.kube, 'worker-1', { probe: 'c' });
    await sawLabel('c');
    // Compact etcd past everything so far, then resume the node watch from a compacted revision:
    // the real API server answers 410 Gone.
    const rv = (await cluster.kube.core.listNode()).metadata!.resourceVersion!;
    const etcdPort = /--listen-client-urls=http:\/\/[^:]+:(\d+)/.exec(readFileSync(join(clusterDir(await testToolchain(), cluster.name), 'kwok.yaml'), 'utf8'))![1];
    const compacted = await fetch(`http://127.0.0.1:${etcdPort}/v3/kv/compaction`, { method: 'POST', body: JSON.stringify({ revision: rv, physical: true }) });
    expect(compacted.ok).toBe(true);
    recorder.interrupt('Node', '2');
    await recorder.until((st) => st.nodes.size === 2 && recorder.changes.some((c) => c.kind === 'Gap'), 'a gap', 15_000);
    const gap = recorder.changes.find((c) => c.kind === 'Gap')!;
    expect(gap.reason).toMatch(/410 Gone/);
    await labelNode(cluster.kube, 'worker-1', { probe: 'd' });
    await sawLabel('d');
  });
});
