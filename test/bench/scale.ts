// `npm run bench` at scale: for each node count in BENCH_SCALE (default 100,1000), the time until
// all nodes are Ready, then the scale scenario through the real CLI: apply -> covered, a rolling
// update detected by rollcall vs `kubectl rollout status --watch` vs a 1 s poller, harness CPU
// against the control plane's, peak RSS, report size and render time. Ratios travel across machines.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { ensureToolchain } from '../../src/toolchain/toolchain.js';
import { createKwokCluster } from '../../src/providers/kwok/kwok-provider.js';
import { silentProgress } from '../../src/util/progress.js';

interface ScenarioFigures {
  nodes: number; coveredMs: number; rolloutMs: number;
  detectedAfterWriteMs: { rollcall: number; kubectl: number; poller: number };
  harnessCpuS: number; controlPlaneCpuS: Record<string, number>; harnessPeakRssMiB: number;
}

const sizes = (process.env.BENCH_SCALE ?? '100,1000').split(',').map(Number).filter((n) => n > 0);
const tc = await ensureToolchain({ progress: silentProgress });
const BIN = new URL('../../src/cli/bin.js', import.meta.url).pathname;
/** Minutes one size may take before it is stopped (BENCH_LIMIT_MIN). */
const LIMIT_MIN = Number(process.env.BENCH_LIMIT_MIN ?? 20);
const failures: string[] = [];
const rows: Array<ScenarioFigures & { controlPlaneMs: number; readyMs: number; reportJsonKB: number; indexHtmlKB: number; renderMs: number }> = [];

for (const n of sizes) {
  // The control plane's start, then the nodes alone: created in batches, all Ready.
  const s = performance.now();
  const cluster = await createKwokCluster(tc, { nodes: 0 }, { progress: silentProgress });
  const controlPlaneMs = performance.now() - s;
  const n0 = performance.now();
  await cluster.addNodes(Array.from({ length: n }, () => ({})));
  const readyMs = performance.now() - n0;
  await cluster.destroy();

  const dir = mkdtempSync(join(tmpdir(), 'rollcall-bench-'));
  const out = join(dir, 'figures.json');
  // BENCH_NODE_ARGS, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`, profiles the harness (NODE_OPTIONS refuses --cpu-prof).
  const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  // A size the machine cannot follow is stopped as Ctrl-C would (rollcall tears its cluster down) and
  // reported, so the sizes before it still print.
  const run = await execa('node', [...nodeArgs, BIN, 'run', 'test/bench/scenarios/scale-rollout.ts', '--report-dir', join(dir, 'reports')], {
    reject: false, env: { BENCH_NODES: String(n), BENCH_OUT: out, BENCH_KUBECTL: tc.kubectl },
    timeout: LIMIT_MIN * 60_000, killSignal: 'SIGINT', forceKillAfterDelay: 60_000,
  });
  if (run.exitCode !== 0 || run.timedOut) {
    // The scenario's own error says why (its report keeps it); the last alarming output line otherwise.
    let why = `${run.stdout}\n${run.stderr}`.trim().split('\n').filter((l) => /FAILED|ERROR|not reached|timed out/.test(l)).at(-1)?.trim() ?? `exit ${run.exitCode}`;
    try {
      const report = JSON.parse(readFileSync(join(dir, 'reports', 'latest', 'report.json'), 'utf8')) as { scenarios: Array<{ error?: string }> };
      why = report.scenarios[0]?.error ?? why;
    } catch { /* no report: the run ended before writing one */ }
    failures.push(`${n} | ${run.timedOut ? `stopped after ${LIMIT_MIN} min` : 'failed'}: ${why}`);
    rmSync(dir, { recursive: true, force: true });
    continue;
  }
  const figures = JSON.parse(readFileSync(out, 'utf8')) as ScenarioFigures;
  const latest = join(dir, 'reports', 'latest');
  const r = performance.now();
  await execa('node', [BIN, 'report', latest]);
  rows.push({
    ...figures, controlPlaneMs, readyMs,
    reportJsonKB: Math.round(statSync(join(latest, 'report.json')).size / 1024),
    indexHtmlKB: Math.round(statSync(join(latest, 'index.html')).size / 1024),
    renderMs: performance.now() - r,
  });
  rmSync(dir, { recursive: true, force: true });
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
console.log('nodes | control plane up / nodes created and Ready | apply -> covered | rollout | detected after the status write: rollcall / kubectl --watch / 1 s poll | harness CPU / control plane CPU | harness peak RSS | report.json / index.html (render)');
for (const x of rows) {
  const cp = Object.values(x.controlPlaneCpuS).reduce((a, b) => a + b, 0);
  const d = x.detectedAfterWriteMs;
  console.log(`${x.nodes} | ${s(x.controlPlaneMs)} / ${s(x.readyMs)} | ${s(x.coveredMs)} | ${s(x.rolloutMs)} | ${d.rollcall} / ${d.kubectl} / ${d.poller} ms | ${x.harnessCpuS.toFixed(1)} s / ${cp.toFixed(1)} s (${Math.round((100 * x.harnessCpuS) / cp)} %) | ${x.harnessPeakRssMiB} MiB | ${x.reportJsonKB} KB / ${x.indexHtmlKB} KB (${s(x.renderMs)})`);
  console.log(`      control plane: ${Object.entries(x.controlPlaneCpuS).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(', ')}`);
}
for (const f of failures) console.log(f);
mkdirSync('reports/bench', { recursive: true });
const file = `reports/bench/scale-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
writeFileSync(file, `${JSON.stringify({ rows, failures }, null, 2)}\n`);
console.log(`figures: ${file}`);
