// Done-when for `rollcall rehearse`: the check test's hand-written twin (three pools, tainted GPU nodes, a PDB over daemon
// pods) rehearsed through the real CLI on 1.36.3 against 1.35.4, each DaemonSet on its own kwok copy.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckReport } from '../../src/check/check-model.js';
import type { RehearsalReport } from '../../src/rehearse/rehearsal-model.js';
import { locateToolchain } from '../../src/toolchain/toolchain.js';
import { rollcall } from '../support/cli.js';
import { tempDir } from '../support/temp-dir.js';
import { backgroundSetupDone } from '../support/background-setup.js';

// In CI, Kubernetes 1.35.4 is built in the background while the kwok tests run.
await backgroundSetupDone('kubernetes-1.35.4');

const TWIN = new URL('../fixtures/twins/check-cluster.yaml', import.meta.url).pathname;
// The DaemonSets the issue names; heavy-agent and metrics-agent are broken in the twin already (check says so).
const PICKED = ['logging/log-agent', 'edge/edge-proxy', 'monitoring/gpu-monitor', 'monitoring/legacy-exporter'];
const TARGET = 'v1.36.3';
const CURRENT = 'v1.35.4';

describe('rollcall rehearse on the realistic twin, 1.36.3 against 1.35.4', () => {
  const dir = tempDir('rollcall-rehearse-');
  let report: RehearsalReport;
  let check: CheckReport;
  const steps = (id: string, version: string) => report.daemonSets.find((d) => d.id === id)!.runs[version]!.steps;

  it('runs the battery on both versions and exits 1 for the steps that break', async () => {
    const c = await rollcall(['check', TWIN, '--report-dir', join(dir, 'check')]);
    expect(c.exitCode, c.all).toBe(1);
    check = JSON.parse(readFileSync(join(dir, 'check', 'check.json'), 'utf8')) as CheckReport;
    const child = rollcall(['rehearse', TWIN, ...PICKED.flatMap((d) => ['--daemonset', d]), '--kubernetes-version', '1.36.3', '--against', '1.35.4',
      '--max-nodes-per-pool', '2', '--jobs', '4', '--report-dir', join(dir, 'rehearsal')], { timeout: 900_000 });
    const r = await child;
    expect(r.exitCode, r.all).toBe(1);
    report = JSON.parse(readFileSync(join(dir, 'rehearsal', 'rehearsal.json'), 'utf8')) as RehearsalReport;
    expect(report.versions.map((v) => [v.version, v.role])).toEqual([[TARGET, 'target'], [CURRENT, 'current']]);
    expect(report.daemonSets.map((d) => d.id).sort()).toEqual([...PICKED].sort());
    expect(r.stdout).toContain(`${TARGET} (target): FAILED`);
    // Every cluster it started is gone (other runs may share the cache: only this process's records count).
    const registry = locateToolchain().cache.registry;
    const left = readdirSync(registry).filter((f) => f.endsWith('.json'))
      .filter((f) => (JSON.parse(readFileSync(join(registry, f), 'utf8')) as { ownerPid?: number }).ownerPid === child.pid);
    expect(left).toEqual([]);
  }, 900_000);

  it('the DaemonSet check says leaves the GPU nodes out shows exactly those nodes uncovered, on both versions', () => {
    const predicted = check.daemonSets.find((d) => d.daemonSet === 'logging/log-agent')!.findings.find((f) => f.check === 'untolerated-taint')!.nodes;
    expect(predicted).toEqual(['gpu-1', 'gpu-2']);
    for (const v of [TARGET, CURRENT]) {
      const coverage = steps('logging/log-agent', v).coverage!;
      expect(coverage.verdict).toBe('passed');
      expect(coverage.uncovered!.map((u) => u.node)).toEqual(predicted);
      expect(coverage.uncovered![0]!.observed).toBe('taint nvidia.com/gpu=present:NoSchedule not tolerated');
    }
  });

  it('hostPort + maxSurge: the surge pod is unschedulable; tolerationSeconds: the pod churns', () => {
    for (const v of [TARGET, CURRENT]) {
      expect(steps('edge/edge-proxy', v)['rolling-update']).toMatchObject({ verdict: 'failed', reason: expect.stringMatching(/new pod\(s\) unschedulable.*didn't have free ports/) });
      expect(steps('monitoring/gpu-monitor', v).churn).toMatchObject({ verdict: 'failed', reason: expect.stringMatching(/evicted and recreated \d+ s after the taint; it churns every 60 s/) });
    }
  });

  it('the others pass every step that applies, and skip the rest with the reason', () => {
    for (const v of [TARGET, CURRENT]) {
      const log = steps('logging/log-agent', v);
      // A step that fails here says why in the message (the report is in a temp folder that goes).
      const why = (id: string) => Object.entries(steps(id, v)).filter(([, o]) => o.verdict === 'failed').map(([k, o]) => `${id} ${k} on ${v}: ${o.reason}`).join('; ');
      expect(Object.fromEntries(Object.entries(log).map(([k, o]) => [k, o.verdict])), why('logging/log-agent')).toEqual({
        coverage: 'passed', 'rolling-update': 'passed', 'bad-image': 'passed', 'on-delete': 'skipped', 'not-ready': 'passed', churn: 'skipped', rotation: 'passed',
      });
      const legacy = steps('monitoring/legacy-exporter', v);
      expect(legacy['on-delete']!.verdict).toBe('passed');
      expect(legacy['rolling-update']).toMatchObject({ verdict: 'skipped', reason: expect.stringMatching(/^updateStrategy OnDelete/) });
      expect(legacy.rotation!.verdict).toBe('passed');
      expect(log['rolling-update']!.timings[0]!.name).toMatch(/^rolling update of 4 nodes \(4 waves\)$/);
      // The two that break break in one step only: every other step that applies passes.
      const verdicts = (id: string) => Object.fromEntries(Object.entries(steps(id, v)).map(([k, o]) => [k, o.verdict]));
      expect(verdicts('edge/edge-proxy'), why('edge/edge-proxy')).toEqual({ coverage: 'passed', 'rolling-update': 'failed', 'bad-image': 'passed', 'on-delete': 'skipped', 'not-ready': 'passed', churn: 'skipped', rotation: 'passed' });
      expect(verdicts('monitoring/gpu-monitor'), why('monitoring/gpu-monitor')).toEqual({ coverage: 'passed', 'rolling-update': 'passed', 'bad-image': 'passed', 'on-delete': 'skipped', 'not-ready': 'passed', churn: 'failed', rotation: 'passed' });
    }
  });

  it('the diff lists exactly the cells whose verdicts differ, and stale-cache lines on one side only', () => {
    expect(report.diff).toBeDefined();
    const verdicts = report.daemonSets.flatMap((d) => report.steps.filter((s) => d.runs[TARGET]!.steps[s.id]!.verdict !== d.runs[CURRENT]!.steps[s.id]!.verdict).map((s) => `${d.id} ${s.id}`));
    expect(report.diff!.differences.filter((d) => d.kind === 'verdict').map((d) => `${d.daemonSet} ${d.step}`)).toEqual(verdicts);
    const stale = report.daemonSets.filter((d) => (d.runs[TARGET]!.staleReads > 0) !== (d.runs[CURRENT]!.staleReads > 0)).map((d) => d.id);
    expect(report.diff!.differences.filter((d) => d.kind === 'controller-log').map((d) => d.daemonSet)).toEqual(stale);
    // 1.35 has no StaleControllerConsistency gates: its controller manager never logs the line.
    expect(report.daemonSets.every((d) => d.runs[CURRENT]!.staleReads === 0)).toBe(true);
  });

  it('the matrix page links to each scenario detail written by the run report writer', () => {
    const page = readFileSync(join(dir, 'rehearsal', 'index.html'), 'utf8');
    expect(page).toContain('id="diff"');
    expect(page.match(/<table class="matrix"/g)).toHaveLength(2);
    for (const v of [TARGET, CURRENT]) {
      const detail = join(dir, 'rehearsal', 'runs', v, 'index.html');
      expect(existsSync(detail)).toBe(true);
      expect(readFileSync(detail, 'utf8')).toContain(`rehearse logging/log-agent on ${v}`);
      expect(page).toContain(`href="runs/${v}/index.html#scenario-`);
    }
  });
});
