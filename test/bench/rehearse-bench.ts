// Bench for `rollcall rehearse`: a 500-node twin in 5 pools, rehearsed through the real CLI, beside the same twin already
// scaled down (so the only difference is the twin's size). Runs alone (`tsx test/bench/rehearse-bench.ts`) or from bench.ts.
// Prints a table; asserts nothing.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { V1DaemonSetSpec } from '@kubernetes/client-node';
import { checkTwin } from '../../src/check/check-twin.js';
import { scaleDownTwin } from '../../src/rehearse/node-pools.js';
import { rehearsalTargets } from '../../src/rehearse/rehearsal-target.js';
import type { RehearsalReport } from '../../src/rehearse/rehearsal-model.js';
import { serializeTwin } from '../../src/twin/serialize-twin.js';
import type { ClusterTwin, TwinDaemonSet, TwinNode } from '../../src/twin/twin-model.js';
import { BIN } from '../support/cli.js';

const NODES = Number(process.env.BENCH_REHEARSE_NODES ?? 500);
const PER_POOL = Number(process.env.BENCH_REHEARSE_PER_POOL ?? 2);
const JOBS = process.env.BENCH_REHEARSE_JOBS ?? '3';
const GPU = { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' };

// 5 pools of NODES/5, three zones each; the last pool is GPU nodes, tainted.
function nodes(): TwinNode[] {
  return Array.from({ length: NODES }, (_, i) => {
    const pool = `p${(i % 5) + 1}`;
    const name = `${pool}-${String(i).padStart(4, '0')}`;
    const res = { cpu: '16', memory: '64Gi', pods: '110' };
    return { name, labels: { 'kubernetes.io/hostname': name, pool, 'topology.kubernetes.io/zone': `z${i % 3}` }, taints: pool === 'p5' ? [GPU] : [], unschedulable: false, capacity: res, allocatable: res, conditions: { Ready: 'True' } };
  });
}

function ds(name: string, pod: Record<string, unknown>): TwinDaemonSet {
  const spec = {
    selector: { matchLabels: { app: name } }, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%' } },
    template: { metadata: { labels: { app: name } }, spec: { priorityClassName: 'system-node-critical', containers: [{ name: 'agent', image: `example.com/${name}:1.0`, readinessProbe: { exec: { command: ['true'] } } }], ...pod } },
  } as V1DaemonSetSpec;
  return { namespace: 'agents', name, generation: 1, spec, pods: [] };
}

/** The 500-node twin: an agent everywhere, one that leaves the GPU pool out, one only there. */
export function benchTwin(): ClusterTwin {
  return {
    apiVersion: 'rollcall.dev/v1alpha1', kind: 'ClusterTwin', metadata: { name: `bench-${NODES}`, capturedAt: new Date().toISOString() }, serverVersion: 'v1.36.3',
    nodes: nodes(), namespaces: [{ name: 'agents' }], podDisruptionBudgets: [], priorityClasses: [],
    daemonSets: [ds('node-agent', { tolerations: [{ operator: 'Exists' }] }), ds('log-agent', {}), ds('gpu-agent', { nodeSelector: { pool: 'p5' }, tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists' }] })],
  };
}

async function rehearse(twin: ClusterTwin, dir: string, label: string) {
  const file = join(dir, `${label}.yaml`);
  writeFileSync(file, serializeTwin(twin));
  const out = join(dir, label);
  const s = performance.now();
  const r = await execa('node', [BIN, 'rehearse', file, '--max-nodes-per-pool', String(PER_POOL), '--jobs', JOBS, '--report-dir', out], { reject: false });
  const wallMs = performance.now() - s;
  if (r.exitCode === 2) throw new Error(`rehearse ${label} failed to run:\n${r.stdout}\n${r.stderr}`);
  return { wallMs, exitCode: r.exitCode, report: JSON.parse(readFileSync(join(out, 'rehearsal.json'), 'utf8')) as RehearsalReport };
}

/** Prints plan time, wall time and per-step durations of the big twin and of its scaled copy. */
export async function benchRehearse(): Promise<void> {
  const twin = benchTwin();
  const p = performance.now();
  const scaled = scaleDownTwin(twin, PER_POOL);
  rehearsalTargets(scaled.twin, scaled.pools, checkTwin(scaled.twin, { source: 'bench' }).daemonSets);
  const planMs = performance.now() - p;
  const dir = mkdtempSync(join(tmpdir(), 'rollcall-rehearse-bench-'));
  try {
    const big = await rehearse(twin, dir, 'big');
    const small = await rehearse(scaled.twin, dir, 'small');
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    console.log(`\nrollcall rehearse bench (load average ${loadavg()[0]!.toFixed(1)} at the end, --jobs ${JOBS}, --max-nodes-per-pool ${PER_POOL})`);
    console.log(`  plan (scale down ${NODES} -> ${scaled.twin.nodes.length} nodes, check, targets)  ${planMs.toFixed(0)} ms`);
    for (const [label, x] of [[`${NODES}-node twin`, big], [`its ${scaled.twin.nodes.length}-node copy as a twin`, small]] as const) {
      const row = x.report.daemonSets.map((d) => `${d.id} ${s(Object.values(d.runs)[0]!.durationMs)}`).join(', ');
      console.log(`  ${label.padEnd(34)} wall ${s(x.wallMs)}, exit ${x.exitCode}; per DaemonSet: ${row}`);
    }
    const steps = big.report.steps.map((st) => `${st.id} ${big.report.daemonSets.map((d) => s(Object.values(d.runs)[0]!.steps[st.id]?.durationMs ?? 0)).join('/')}`);
    console.log(`  per step (${big.report.daemonSets.map((d) => d.id).join('/')}): ${steps.join('; ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchRehearse();
