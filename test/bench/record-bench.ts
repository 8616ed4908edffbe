// Bench for `rollcall record` + `rollcall replay`: recording size per 1,000 changes (rollouts on a 50-node kwok
// cluster, beside `kwokctl snapshot export --record` of the same changes), the CPU cost of parse, inference and
// generation per 1,000 changes (and at 100,000), and the wall-clock overhead of a replay at 1x over the recorded
// window. Runs alone (`tsx test/bench/record-bench.ts`) or from bench.ts. Prints a table; asserts nothing.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { ensureToolchain, type Toolchain } from '../../src/toolchain/toolchain.js';
import { createKwokCluster } from '../../src/providers/kwok/kwok-provider.js';
import { strategicPatch } from '../../src/kube/kube-client.js';
import { LiveRecorder } from '../../src/record/live-recorder.js';
import { RecordingWriter } from '../../src/recording/recording-writer.js';
import { RECORDING_API_VERSION, RECORDING_KIND, type ChangeLine } from '../../src/recording/recording-model.js';
import { readRecording } from '../../src/recording/read-recording.js';
import { planReplay } from '../../src/replay/replay-plan.js';
import { generateScenario } from '../../src/replay/generate-scenario.js';
import { silentProgress } from '../../src/util/progress.js';
import { oneReadyPodPerNode, simpleLogCollector, waitForPods } from '../support/kwok-fixture.js';
import { BIN, waitForOutput } from '../support/cli.js';

const NODES = Number(process.env.BENCH_RECORD_NODES ?? 50);
const TOLERANCE = { ms: 5000, ratio: 0.1 };
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** Records rollouts until at least 1,000 change lines, with KWOK's recorder on the same cluster; then replays. */
export async function benchRecordReplay(tc: Toolchain): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rollcall-record-bench-'));
  const cluster = await createKwokCluster(tc, { nodes: NODES }, { progress: silentProgress });
  try {
    const names = (await cluster.kube.core.listNode()).items.map((n) => n.metadata!.name!);
    const ds = simpleLogCollector();
    ds.spec!.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '20%', maxSurge: 0 } };
    await cluster.kube.apps.createNamespacedDaemonSet({ namespace: 'default', body: ds });
    await waitForPods(cluster.kube, 'default', 'app=log-collector', oneReadyPodPerNode(names), 'covered', 180_000);

    const kwokFile = join(dir, 'kwok.yaml');
    const kwok = execa(tc.kwokctl, ['snapshot', 'export', '--record', '--path', kwokFile, '--kubeconfig', cluster.kubeconfigPath,
      '--filter', 'node', '--filter', 'pod', '--filter', 'daemonset.apps', '--filter', 'controllerrevision.apps'], { reject: false, env: { KWOK_WORKDIR: tc.cache.kwokWorkdir } });
    const file = join(dir, 'bench.rec');
    let writer: RecordingWriter | undefined;
    const byKind = new Map<string, number>();
    const recorder = new LiveRecorder({ kube: cluster.kube, namespace: 'default', context: 'bench', onLine: (l: ChangeLine) => {
      writer?.write(l);
      const k = l.op === 'put' || l.op === 'del' ? `${l.kind} ${l.op}` : l.op;
      byKind.set(k, (byKind.get(k) ?? 0) + 1);
    } });
    const twin = await recorder.start();
    writer = RecordingWriter.create(file, { apiVersion: RECORDING_API_VERSION, kind: RECORDING_KIND, startedAt: twin.metadata.capturedAt, source: { cluster: cluster.name } }, twin);
    const twinBytes = writer.bytes;
    await new Promise((r) => setTimeout(r, 3000)); // KWOK's recorder lists and starts watching
    let rollouts = 0;
    while (writer.changes < 1000) {
      rollouts++;
      await cluster.kube.apps.patchNamespacedDaemonSet({ name: ds.metadata!.name!, namespace: 'default', body: { spec: { template: { spec: { containers: [{ name: 'collector', image: `busybox:1.${rollouts}` }] } } } } },
        strategicPatch);
      await waitForPods(cluster.kube, 'default', 'app=log-collector', (pods) => oneReadyPodPerNode(names)(pods) && pods.every((p) => p.spec?.containers[0]?.image === `busybox:1.${rollouts}`), `rollout ${rollouts}`, 300_000);
    }
    await new Promise((r) => setTimeout(r, 2000));
    recorder.stop();
    writer.end(recorder.now(), 'bench done');
    kwok.kill('SIGINT');
    await kwok;
    const changeBytes = writer.bytes - twinBytes;
    const perThousand = (changeBytes / writer.changes) * 1000;
    const kwokBytes = statSync(kwokFile).size;

    const t1 = performance.now();
    const rec = readRecording(file);
    const parseMs = performance.now() - t1;
    const t2 = performance.now();
    const plan = planReplay(rec, { speed: 1, tolerance: TOLERANCE });
    const planMs = performance.now() - t2;
    const t3 = performance.now();
    generateScenario(plan, { recordingFile: file, header: rec.header, importFrom: 'rollcall', command: 'bench' });
    const genMs = performance.now() - t3;
    const big = synthetic(rec.twin, 100_000, join(dir, 'big.rec'));
    const t4 = performance.now();
    const bigRec = readRecording(big.file);
    const bigParse = performance.now() - t4;
    const t5 = performance.now();
    planReplay(bigRec, { speed: 1, tolerance: TOLERANCE });
    const bigPlan = performance.now() - t5;

    console.log(`rollcall record/replay bench (${NODES} nodes, ${rollouts} rollouts, Kubernetes v${tc.kubernetesVersion}, kwok)`);
    console.log(`  recording: ${writer.changes} change lines, ${kib(changeBytes)} (+ header and twin ${kib(twinBytes)})`);
    console.log(`  size per 1,000 changes              ${kib(perThousand)}  (${Math.round(perThousand / 1000)} bytes a line)`);
    console.log(`  the same window, kwokctl --record    ${kib(kwokBytes)} with its initial objects (rollcall: ${kib(writer.bytes)} with its twin)`);
    console.log(`  lines by kind                        ${[...byKind.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')}`);
    // The small recording's times are mostly fixed costs (validating the twin, warming up); the synthetic one's are per change.
    console.log(`  parse                                this recording ${parseMs.toFixed(0)} ms; 100,000 synthetic changes ${fmt(bigParse)} = ${(bigParse / 100).toFixed(1)} ms per 1,000`);
    console.log(`  infer causes + outcomes              this recording ${planMs.toFixed(0)} ms; 100,000 synthetic changes ${fmt(bigPlan)} = ${(bigPlan / 100).toFixed(1)} ms per 1,000`);
    console.log(`  generate the scenario                ${genMs.toFixed(1)} ms (${plan.groups.length} steps)`);
  } finally {
    await cluster.destroy();
  }
  try {
    await replayOverhead(tc, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// A 20 s incident (two nodes tainted NoExecute for 10 s) recorded with the CLI, replayed at 1x with --run.
async function replayOverhead(tc: Toolchain, dir: string): Promise<void> {
  const cluster = await createKwokCluster(tc, { nodes: 3 }, { progress: silentProgress });
  const file = join(dir, 'small.rec');
  try {
    await cluster.kube.apps.createNamespacedDaemonSet({ namespace: 'default', body: simpleLogCollector() });
    await waitForPods(cluster.kube, 'default', 'app=log-collector', oneReadyPodPerNode(['worker-1', 'worker-2', 'worker-3']), 'covered');
    const recorder = execa('node', [BIN, 'record', '--cluster', cluster.name, '-o', file, '--for', '25s'], { reject: false });
    await waitForOutput(recorder, /recording \d+ nodes/);
    await new Promise((r) => setTimeout(r, 2000));
    const kubectl = (...a: string[]) => execa(tc.kubectl, ['--kubeconfig', cluster.kubeconfigPath, ...a]);
    await kubectl('taint', 'node', 'worker-1', 'worker-2', 'bench=x:NoExecute');
    await new Promise((r) => setTimeout(r, 10_000));
    await kubectl('taint', 'node', 'worker-1', 'worker-2', 'bench=x:NoExecute-');
    await recorder;
  } finally {
    await cluster.destroy();
  }
  const plan = planReplay(readRecording(file), { speed: 1, tolerance: TOLERANCE });
  const scenario = join(dir, 'small.ts');
  const started = performance.now();
  const r = await execa('node', [BIN, 'replay', file, '-o', scenario, '--import', new URL('../../src/index.js', import.meta.url).pathname, '--run', '--report-dir', join(dir, 'reports')], { reject: false });
  const wall = performance.now() - started;
  const report = JSON.parse(readFileSync(join(dir, 'reports', 'latest', 'report.json'), 'utf8')) as { scenarios: Array<{ steps: Array<{ name: string; startMs: number; endMs: number }>; verdict: string; durationMs: number }> };
  const steps = report.scenarios[0]!.steps;
  const first = steps.find((s) => s.name.startsWith('+'))!;
  const late = steps.filter((s) => s.name.startsWith('+')).map((s, i) => s.startMs - first.startMs - (plan.groups[i]!.at - plan.groups[0]!.at));
  const sc = report.scenarios[0]!;
  const body = steps.at(-1)!.endMs - first.startMs;
  console.log(`  replay at 1x of a ${fmt(plan.end - plan.origin)} window (${sc.verdict}, exit ${r.exitCode})`);
  console.log(`    whole command (CLI start, cluster, DaemonSet, replay, teardown)  ${fmt(wall)}`);
  console.log(`    scenario incl. cluster start ${fmt(sc.durationMs)}; first cause to verdict ${fmt(body)} (recorded: ${fmt(plan.end - plan.origin - plan.groups[0]!.at)} + the ${fmt(TOLERANCE.ms)} tolerance wait); compare ${(steps.at(-1)!.endMs - steps.at(-1)!.startMs).toFixed(0)} ms`);
  console.log(`  causes started after their schedule  at most ${Math.max(...late).toFixed(0)} ms (${late.length} steps)`);
}

// A recording of `changes` pod readiness flips over the twin's pods, to time parse and plan at scale.
function synthetic(twin: ReturnType<typeof readRecording>['twin'], changes: number, file: string): { file: string } {
  const ds = twin.daemonSets[0]!;
  const lines = [JSON.stringify({ apiVersion: RECORDING_API_VERSION, kind: RECORDING_KIND, startedAt: twin.metadata.capturedAt, source: {} }), JSON.stringify({ kind: 'Twin', twin })];
  for (let i = 0; i < changes; i++) {
    const p = ds.pods[i % ds.pods.length]!;
    lines.push(JSON.stringify({ t: i * 10, op: 'put', kind: 'Pod', obj: { ...p, ready: i % 2 === 1, namespace: ds.namespace, daemonSet: ds.name } }));
  }
  lines.push(JSON.stringify({ t: changes * 10, op: 'end', reason: 'synthetic' }));
  writeFileSync(file, `${lines.join('\n')}\n`);
  return { file };
}

if (import.meta.url === `file://${process.argv[1]}`) await benchRecordReplay(await ensureToolchain({ progress: silentProgress }));
