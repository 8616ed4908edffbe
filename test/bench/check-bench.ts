// Bench for `rollcall snapshot` + `rollcall check` on a 1,000-node, 20-DaemonSet kwok cluster, side by side with
// what a user would run instead (`kubectl get nodes,ds,pods -A -o json`). Runs alone (`tsx test/bench/check-bench.ts`)
// or from bench.ts. Prints a table; asserts nothing.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { V1DaemonSet } from '@kubernetes/client-node';
import { ensureToolchain, type Toolchain } from '../../src/toolchain/toolchain.js';
import { createKwokCluster } from '../../src/providers/kwok/kwok-provider.js';
import { watchUntil } from '../../src/kube/watch-until.js';
import { waitNodesReady } from '../../src/kube/node-api.js';
import { kwokNodeManifest } from '../../src/providers/kwok/node-manifest.js';
import { captureTwin } from '../../src/snapshot/capture-twin.js';
import { kubeClusterReader } from '../../src/snapshot/cluster-reader.js';
import { checkTwin } from '../../src/check/check-twin.js';
import { silentProgress } from '../../src/util/progress.js';
import { serializeTwin } from '../../src/twin/serialize-twin.js';
import type { ClusterTwin } from '../../src/twin/twin-model.js';
import { BIN } from '../support/cli.js';

const NODES = Number(process.env.BENCH_CHECK_NODES ?? 1000);
const POOLS = 10;
const RUNS = Number(process.env.BENCH_CHECK_RUNS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// 2 DaemonSets on every node (tolerating everything), 18 on one pool each: about 3,600 daemon pods at 1,000 nodes.
function daemonSets(): V1DaemonSet[] {
  return Array.from({ length: 20 }, (_, i) => {
    const name = `agent-${String(i + 1).padStart(2, '0')}`;
    const everywhere = i < 2;
    return {
      metadata: { name, namespace: 'default' },
      spec: {
        selector: { matchLabels: { app: name } },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: i % 3 === 0 ? '50%' : 1 } },
        template: {
          metadata: { labels: { app: name } },
          spec: {
            ...(everywhere ? { tolerations: [{ operator: 'Exists' }] } : { nodeSelector: { pool: `p${i % POOLS}` } }),
            containers: [{ name: 'agent', image: 'busybox:1.36', resources: { requests: { cpu: '10m', memory: '16Mi' } } }],
          },
        },
      },
    };
  });
}

/** Wall and CPU (user + system) time of one child process run, in ms, measured by /usr/bin/time. */
async function timed(cmd: string, args: string[], dir: string): Promise<{ wall: number; cpu: number }> {
  const out = join(dir, 'time.txt');
  await execa('/usr/bin/time', ['-f', '%e %U %S', '-o', out, cmd, ...args], { stdout: 'ignore', reject: true }).catch((err: { exitCode?: number }) => {
    if (err.exitCode !== 1) throw err; // check exits 1 when it finds errors: that is a result, not a failure
  });
  const [wall, user, sys] = readFileSync(out, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  return { wall: wall! * 1000, cpu: (user! + sys!) * 1000 };
}

/** A twin as large as the worst case: the same nodes, every one of the 20 DaemonSets on every node with one Ready pod. */
function fullTwin(twin: ClusterTwin): ClusterTwin {
  const all = daemonSets().map((ds) => {
    const spec = JSON.parse(JSON.stringify(ds.spec)) as NonNullable<V1DaemonSet['spec']>;
    spec.template.spec = { ...spec.template.spec!, nodeSelector: undefined, tolerations: [{ operator: 'Exists' }] };
    const name = ds.metadata!.name!;
    return { namespace: 'default', name, generation: 1, spec, pods: twin.nodes.map((n) => ({ name: `${name}-${n.name}`, node: n.name, phase: 'Running', ready: true })) };
  });
  return { ...twin, daemonSets: all };
}

/** Builds the cluster, measures, prints, cleans up. */
export async function benchSnapshotCheck(tc: Toolchain): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rollcall-check-bench-'));
  const built = performance.now();
  const nodes = Array.from({ length: NODES }, (_, i) => ({
    name: `node-${String(i + 1).padStart(4, '0')}`,
    labels: { pool: `p${i % POOLS}` },
    ...(i % POOLS === 9 ? { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' as const }] } : {}),
  }));
  // kwokctl already runs the controller manager and scheduler at 5000 QPS. Nodes are created here, with more time
  // to become Ready than addNodes allows: a loaded 2-core machine needs minutes for 1,000 of them.
  const cluster = await createKwokCluster(tc, { nodes: 0 }, { progress: silentProgress });
  try {
    const { kube } = cluster;
    for (const n of nodes) await kube.core.createNode({ body: kwokNodeManifest(n) });
    await waitNodesReady(kube, nodes.map((n) => n.name), 900_000);
    for (const ds of daemonSets()) await kube.apps.createNamespacedDaemonSet({ namespace: 'default', body: ds });
    // Every daemon pod created and bound (the snapshot reads pods in whatever state they are; Ready is not needed).
    const settled = await watchUntil<V1DaemonSet>(kube, {
      path: '/apis/apps/v1/namespaces/default/daemonsets', list: () => kube.apps.listNamespacedDaemonSet({ namespace: 'default' }), timeoutMs: 1_200_000, what: '20 DaemonSets scheduled',
      check: (all) => {
        // the pool behind the taint gets none of its pool's agents (desired 0): settled too
        const off = all.filter((d) => (d.status?.observedGeneration ?? 0) < 1 || (d.status?.currentNumberScheduled ?? 0) !== (d.status?.desiredNumberScheduled ?? 0));
        return all.length === 20 && off.length === 0 ? true : `${off.length} not settled, e.g. ${off[0]?.metadata?.name} ${off[0]?.status?.currentNumberScheduled ?? 0}/${off[0]?.status?.desiredNumberScheduled ?? 0}`;
      },
    });
    const pods = settled.reduce((n, d) => n + (d.status?.desiredNumberScheduled ?? 0), 0);
    const available = settled.reduce((n, d) => n + (d.status?.numberAvailable ?? 0), 0);
    const buildMs = performance.now() - built;
    const context = kube.kubeconfig.getCurrentContext();
    const kc = cluster.kubeconfigPath;
    const twin = join(dir, 'twin.yaml');
    const json = join(dir, 'all.json');
    const runs: Record<'kubectl' | 'snapshot' | 'check' | 'cli', Array<{ wall: number; cpu: number }>> = { kubectl: [], snapshot: [], check: [], cli: [] };
    const inCapture: number[] = []; const inCheck: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      runs.kubectl.push(await timed('sh', ['-c', `"${tc.kubectl}" --kubeconfig "${kc}" get nodes,ds,pods -A -o json > "${json}"`], dir));
      runs.snapshot.push(await timed('node', [BIN, 'snapshot', '--context', context, '--kubeconfig', kc, '-o', twin], dir));
      runs.check.push(await timed('node', [BIN, 'check', twin, '--report-dir', join(dir, `check-${i}`)], dir));
      runs.cli.push(await timed('node', [BIN, '--version'], dir));
      const s = performance.now();
      const captured = await captureTwin(kubeClusterReader(kc, context), { context });
      inCapture.push(performance.now() - s);
      const c = performance.now();
      checkTwin(captured, { source: 'bench' });
      inCheck.push(performance.now() - c);
    }
    const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    const mib = (f: string) => `${(statSync(f).size / 2 ** 20).toFixed(1)} MiB`;
    const m = (k: keyof typeof runs, f: 'wall' | 'cpu') => median(runs[k].map((r) => r[f]));
    const line = (label: string, wall: number, cpu: number, extra = '') => console.log(`  ${label.padEnd(40)} wall ${fmt(wall).padStart(8)} (${(wall / m('kubectl', 'wall')).toFixed(2)}x)  cpu ${fmt(cpu).padStart(8)} (${(cpu / m('kubectl', 'cpu')).toFixed(2)}x)${extra}`);
    console.log(`rollcall snapshot + check bench (${NODES} nodes, 20 DaemonSets, ${pods} daemon pods (${available} available), median of ${RUNS}; cluster built in ${fmt(buildMs)}; load ${loadavg()[0]!.toFixed(1)})`);
    console.log('  ratios are to kubectl get; cpu is the client process only (user + system)');
    line('kubectl get nodes,ds,pods -A -o json', m('kubectl', 'wall'), m('kubectl', 'cpu'), `  ${mib(json)}`);
    line('rollcall snapshot -o twin.yaml', m('snapshot', 'wall'), m('snapshot', 'cpu'), `  ${mib(twin)}`);
    line('rollcall check twin.yaml', m('check', 'wall'), m('check', 'cpu'));
    line('snapshot + check', m('snapshot', 'wall') + m('check', 'wall'), m('snapshot', 'cpu') + m('check', 'cpu'));
    line('rollcall --version (CLI start)', m('cli', 'wall'), m('cli', 'cpu'));
    const full = join(dir, 'full.yaml');
    const big = fullTwin(await captureTwin(kubeClusterReader(kc, context), { context }));
    writeFileSync(full, serializeTwin(big));
    const fullCheck = (await timed('node', [BIN, 'check', full, '--report-dir', join(dir, 'full')], dir)).wall;
    const f0 = performance.now();
    checkTwin(big, { source: 'bench' });
    console.log(`  check of a ${NODES}-node twin with all 20 DaemonSets everywhere (${big.daemonSets.reduce((n, d) => n + d.pods.length, 0)} pods, ${mib(full)}): CLI wall ${fmt(fullCheck)}, in process ${fmt(performance.now() - f0)}`);
    console.log(`  in process: capture ${fmt(median(inCapture))}, check ${fmt(median(inCheck))}; twin is ${(statSync(twin).size / statSync(json).size * 100).toFixed(1)}% of the JSON`);
  } finally {
    await cluster.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchSnapshotCheck(await ensureToolchain({ progress: silentProgress }));
