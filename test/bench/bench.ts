// `npm run bench`: measures what the README and issue notes quote, on this machine:
// warm toolchain check, kwok cluster start (median of N), control-plane idle memory, teardown,
// and how long the real controller takes to cover an added node. Prints a table; asserts nothing.
import { readFileSync } from 'node:fs';
import { ensureToolchain } from '../../src/toolchain/toolchain.js';
import { createKwokCluster } from '../../src/providers/kwok/kwok-provider.js';
import { clusterDir, readPids } from '../../src/providers/kwok/kwokctl.js';
import { silentProgress } from '../../src/util/progress.js';
import { simpleLogCollector, waitForPods, oneReadyPodPerNode } from '../support/kwok-fixture.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rssMiB = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
};
const procName = (pid: number) => readFileSync(`/proc/${pid}/comm`, 'utf8').trim();

const t0 = performance.now();
const tc = await ensureToolchain({ progress: silentProgress });
const toolchainMs = performance.now() - t0;

const starts: number[] = [];
const destroys: number[] = [];
const covers: number[] = [];
let memory: Record<string, number> = {};
for (let i = 0; i < RUNS; i++) {
  const s = performance.now();
  const c = await createKwokCluster(tc, { nodes: 3 }, { progress: silentProgress });
  starts.push(performance.now() - s);
  if (i === 0) {
    await new Promise((r) => setTimeout(r, 15_000)); // let it settle, then read idle memory
    memory = Object.fromEntries(readPids(clusterDir(tc, c.name)).map((p) => [procName(p), Math.round(rssMiB(p))]));
  }
  await c.kube.apps.createNamespacedDaemonSet({ namespace: 'default', body: simpleLogCollector() });
  const a = performance.now();
  await c.addNodes([{ name: 'late-1' }]);
  await waitForPods(c.kube, 'default', 'app=log-collector', oneReadyPodPerNode(['worker-1', 'worker-2', 'worker-3', 'late-1']), 'covered');
  covers.push(performance.now() - a);
  const d = performance.now();
  await c.destroy();
  destroys.push(performance.now() - d);
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
console.log(`rollcall bench (${RUNS} runs, Kubernetes v${tc.kubernetesVersion}, kwok)`);
console.log(`  toolchain check (warm)            ${fmt(toolchainMs)}`);
console.log(`  cluster start, 3 nodes Ready      median ${fmt(median(starts))}  (min ${fmt(Math.min(...starts))}, max ${fmt(Math.max(...starts))})`);
console.log(`  node added -> covered (wall)      median ${fmt(median(covers))}`);
console.log(`  destroy                           median ${fmt(median(destroys))}`);
console.log(`  control plane idle RSS            ${Object.values(memory).reduce((a, b) => a + b, 0)} MiB  ${JSON.stringify(memory)}`);

// At scale (BENCH_SCALE=100,1000,3000 to change the node counts; BENCH_SCALE=0 to skip).
if (process.env.BENCH_SCALE !== '0') await import('./scale.js');

// snapshot + check of a 1,000-node, 20-DaemonSet cluster against kubectl get (test/bench/check-bench.ts)
const { benchSnapshotCheck } = await import('./check-bench.js');
await benchSnapshotCheck(tc);

// record + replay: recording size per 1,000 changes, parse/infer cost, replay overhead (test/bench/record-bench.ts; BENCH_REPLAY=0 to skip)
if (process.env.BENCH_REPLAY !== '0') {
  const { benchRecordReplay } = await import('./record-bench.js');
  await benchRecordReplay(tc);
}

// rehearse a 500-node twin in 5 pools beside its scaled-down copy (test/bench/rehearse-bench.ts; BENCH_REHEARSE=0 to skip)
if (process.env.BENCH_REHEARSE !== '0') {
  const { benchRehearse } = await import('./rehearse-bench.js');
  await benchRehearse();
}
