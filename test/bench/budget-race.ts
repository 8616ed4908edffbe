// Issue 12's budget question, measured: BENCH_ROLLOUTS (default 10) rolling updates at maxUnavailable
// 10 % on one BENCH_NODES-node (default 100) kwok cluster whose controller manager logs at -v=5, run
// as an existing cluster so the scenario never restarts it. For every broken budget it prints the
// invariant's evidence (which nodes counted, since which change) beside what the real controller
// logged for its own count at that moment (update.go rollingUpdate: "DaemonSet allowing replacements"
// with numUnavailable and candidates). Run: npx tsx test/bench/budget-race.ts
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { KubeConfig } from '@kubernetes/client-node';
import { ensureToolchain } from '../../src/toolchain/toolchain.js';
import { createKwokCluster } from '../../src/providers/kwok/kwok-provider.js';
import { clusterDir } from '../../src/providers/kwok/kwokctl.js';
import { silentProgress } from '../../src/util/progress.js';

const nodes = Number(process.env.BENCH_NODES ?? 100);
const rollouts = Number(process.env.BENCH_ROLLOUTS ?? 10);
const BIN = new URL('../../src/cli/bin.js', import.meta.url).pathname;
const tc = await ensureToolchain({ progress: silentProgress });
const cluster = await createKwokCluster(tc, { nodes, componentArgs: { 'kube-controller-manager': { v: '5' } } }, { progress: console.log });
const dir = mkdtempSync(join(tmpdir(), 'rollcall-budget-race-'));
try {
  const kc = new KubeConfig();
  kc.loadFromFile(cluster.kubeconfigPath);
  const run = await execa('node', [BIN, 'run', 'test/bench/scenarios/budget-race.ts', '--provider', 'existing',
    '--kubeconfig', cluster.kubeconfigPath, '--context', kc.getCurrentContext(), '--report-dir', join(dir, 'reports')], {
    reject: false, env: { BENCH_ROLLOUTS: String(rollouts), BENCH_NODES: String(nodes) }, all: true,
  });
  const report = JSON.parse(readFileSync(join(dir, 'reports', 'latest', 'report.json'), 'utf8'));
  const sc = report.scenarios[0];
  const epoch = Date.parse(String(sc.actions.find((a: { description: string }) => a.description.startsWith('epoch '))?.description.slice(6)));
  const breaches = sc.assertions.filter((a: { verdict: string; name: string }) => a.name === 'within budget' && a.verdict === 'failed');
  const logs = join(clusterDir(tc, cluster.name), 'logs');
  const kcm = readFileSync(join(logs, readdirSync(logs).find((f) => f.startsWith('kube-controller-manager'))!), 'utf8').split('\n');
  const controllerLines = kcm.filter((l) => /DaemonSet allowing replacements|Pods to delete for daemon set|Nodes needing daemon pods|"Pod deleted"/.test(l));
  console.log(`${nodes} nodes, ${rollouts} rolling updates at maxUnavailable 10 %: ${breaches.length} broke the budget (rollcall exit ${run.exitCode})`);
  for (const b of breaches) {
    const at = new Date(epoch + b.atMs);
    console.log(`\n${b.step} at +${(b.atMs / 1000).toFixed(3)}s (${at.toISOString()}): ${b.observed}`);
    for (const p of b.problems) console.log(`  ${p}`);
    // klog's header (I1202 19:50:01.123456): what the controller did in the 1.5 s before the breach, on the
    // scenario's clock: pods leaving its cache, its own count, the pods it created and deleted.
    const near = controllerLines.map((l) => {
      const m = /^[IWE](\d\d)(\d\d) (\d\d:\d\d:\d\d\.\d+)/.exec(l);
      if (!m?.[1] || !m[2] || !m[3]) return undefined;
      const t = Date.parse(`${at.getUTCFullYear()}-${m[1]}-${m[2]}T${m[3].slice(0, 12)}Z`);
      return t >= at.getTime() - 1500 && t <= at.getTime() + 100 ? `+${((t - epoch) / 1000).toFixed(3)}s ${l.replace(/^.*?\] /, '').replace(/ daemonset="[^"]*"/, '')}` : undefined;
    }).filter((l) => l !== undefined);
    for (const l of near) console.log(`  controller ${l.slice(0, 400)}`);
  }
} finally {
  await cluster.destroy();
  if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
  else console.log(`kept ${dir}`);
}
