// The main job: `rollcall run` runs every shipped scenario on the embedded kwok provider and they
// all pass; broken DaemonSets make it exit 1 with a per-node explanation; bad input exits 2.
import { describe, expect, it } from 'vitest';
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { rollcall } from '../support/cli.js';
import { baseline, leftovers, readReport } from '../support/runs.js';
import type { ResultPromise } from 'execa';
import { tempDir } from '../support/temp-dir.js';

function waitForStdout(child: ResultPromise, re: RegExp, timeoutMs = 120_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no output matching ${re}; saw: ${seen}`)), timeoutMs);
    child.stdout?.on('data', (b: Buffer) => {
      seen += b.toString();
      if (re.test(seen)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

describe('rollcall run', () => {
  it('runs all of scenarios/ on kwok: every shipped scenario passes or is skipped with the reason, with steps and timings in the report', async () => {
    const before = await baseline();
    const reportDir = tempDir('rollcall-reports-');
    const r = await rollcall(['run', '--jobs', '3', '--report-dir', reportDir]);
    expect(r.exitCode, r.all).toBe(0);
    const report = readReport(reportDir);
    const files = readdirSync('scenarios').filter((f) => f.endsWith('.ts')).sort();
    expect(report.scenarios.map((s) => s.file.replace(/^scenarios\//, '')).sort()).toEqual(files);
    // Only the scenario that stops a real registry needs what kwok lacks: skipped, saying why.
    const skipped = report.scenarios.filter((s) => s.verdict === 'skipped');
    expect(skipped.map((s) => [s.file, s.error])).toEqual([['scenarios/08-registry-outage.ts', expect.stringMatching(/^needs registry-outage \(provider kwok lacks it: /)]]);
    for (const s of report.scenarios.filter((x) => x.verdict !== 'skipped')) {
      expect(s.verdict, `${s.name}: ${s.error}`).toBe('passed');
      expect(s.steps.length).toBeGreaterThan(0);
      expect(s.steps.every((st) => st.verdict === 'passed')).toBe(true);
      expect(s.assertions.some((a) => a.verdict === 'passed')).toBe(true);
      expect(s.timeline.some((e) => e.kind === 'Pod')).toBe(true);
    }
    expect(report.kubernetesVersion).toMatch(/^v1\.36\./);
    const timings = report.scenarios.flatMap((s) => s.timings.map((t) => t.name));
    expect(timings).toContain('node added -> its daemon pod available');
    expect(timings).toContain('node recovered -> coverage restored');
    // Progress and measured timings are printed.
    expect(r.stdout).toMatch(/node added -> its daemon pod available/);
    for (const f of ['report.json', 'junit.xml', 'index.html']) expect(existsSync(join(reportDir, 'latest', f))).toBe(true);
    expect(await leftovers(before)).toEqual({ processes: [], records: 0 });
  }, 900_000);

  it('fails (exit 1) when a pod is deleted behind the controller during a halted rollout, naming the nodes', async () => {
    const reportDir = tempDir('rollcall-reports-');
    const r = await rollcall(['run', 'test/fixtures/scenarios/broken-budget.ts', '--report-dir', reportDir]);
    expect(r.exitCode, r.all).toBe(1);
    const [s] = readReport(reportDir).scenarios;
    expect(s!.verdict).toBe('failed');
    // The invariant fails the step at the first event that breaks the budget.
    expect(s!.error).toMatch(/^invariant "never more nodes without an available pod than maxUnavailable" broken: .*more than maxUnavailable 1/);
    const failed = s!.assertions.filter((a) => a.verdict === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    const badNodes = failed.flatMap((a) => a.nodes.filter((n) => !n.ok));
    expect(badNodes.length).toBeGreaterThanOrEqual(2);
    expect(r.stdout).toMatch(/worker-\d: pod simple-log-collector-\w+ /);
  });

  it('fails (exit 1) when one node cannot run its pod (hostPort conflict), naming that node', async () => {
    const reportDir = tempDir('rollcall-reports-');
    const r = await rollcall(['run', 'test/fixtures/scenarios/broken-port-conflict.ts', '--report-dir', reportDir]);
    expect(r.exitCode, r.all).toBe(1);
    const [s] = readReport(reportDir).scenarios;
    const cov = s!.assertions.find((a) => a.verdict === 'failed')!;
    expect(cov.nodes.filter((n) => !n.ok).map((n) => n.node)).toEqual(['worker-2']);
    expect(cov.observed).toMatch(/worker-2: pod node-exporter-\w+ Pending/);
    expect(r.stdout).toMatch(/2\/3 nodes covered/);
  });

  it.each([
    ['not-a-scenario.ts', /not-a-scenario\.ts: the default export is not a scenario/],
    ['bad-manifest.ts', /bad-manifest\.ts: manifests\/deployment\.yaml: no DaemonSet in the file \(found Deployment \S+\)$/],
    ['bad-duration.ts', /bad-duration\.ts: .*within: "5 minutes" is not a duration/],
    ['unknown-node.ts', /unknown-node\.ts: node "worker-9" does not exist/],
    ['api/ambiguous-daemonset.ts', /ambiguous-daemonset\.ts: \.\.\/manifests\/agent-bundle\.yaml: the file has 2 DaemonSets \(log-agent, node-metrics\): say which with \{ name \}/],
  ])('bad input %s: one line naming the file and field, exit 2, cluster cleaned up', async (file, message) => {
    const before = await baseline();
    const reportDir = tempDir('rollcall-reports-');
    const r = await rollcall(['run', `test/fixtures/scenarios/${file}`, '--report-dir', reportDir]);
    expect(r.exitCode, r.all).toBe(2);
    const errLines = r.stderr.trim().split('\n');
    expect(errLines, r.stderr).toHaveLength(1);
    expect(errLines[0]).toMatch(message);
    expect(r.all).not.toMatch(/\n\s+at /);
    expect(await leftovers(before)).toEqual({ processes: [], records: 0 });
  });

  it('Ctrl-C during a run tears down the scenario and its cluster', async () => {
    const before = await baseline();
    const child = rollcall(['run', 'scenarios/07-node-pool-rotation.ts', '--report-dir', tempDir('rollcall-reports-')]);
    await waitForStdout(child, /retire old-1/);
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode, r.all).toBe(130);
    expect(await leftovers(before)).toEqual({ processes: [], records: 0 });
  });

  it('rejects an unknown --provider and a --grep that matches nothing with exit 2', async () => {
    const p = await rollcall(['run', '--provider', 'docker']);
    expect(p.exitCode).toBe(2);
    expect(p.stderr).toMatch(/--provider: "docker" is not one of kwok, kind, existing/);
    const g = await rollcall(['run', '--grep', 'no-such-scenario']);
    expect(g.exitCode).toBe(2);
    expect(g.stderr).toMatch(/--grep: no scenario matches "no-such-scenario"/);
  });
});
