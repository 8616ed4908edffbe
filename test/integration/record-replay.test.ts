// Record and replay on real control planes: an incident played with kubectl while `rollcall record` runs, then the
// generated scenario replayed at 1x and 5x (passing), against a changed maxUnavailable (diverging per node), from a
// recorder killed with SIGKILL, and bad recordings refused with one line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import type { KwokCluster } from '../../src/providers/kwok/kwok-cluster.js';
import { FAILED_LABEL } from '../../src/providers/kwok/kwok-cluster.js';
import type { RunReport } from '../../src/report/report-model.js';
import { oneReadyPodPerNode, startCluster, testToolchain, waitForPods } from '../support/kwok-fixture.js';
import { rollcall, waitForOutput } from '../support/cli.js';
import { tempDir } from '../support/temp-dir.js';

const MANIFEST = fileURLToPath(new URL('../../scenarios/manifests/simple-log-collector.yaml', import.meta.url));
const API = fileURLToPath(new URL('../../src/index.js', import.meta.url));
const NODES = ['worker-1', 'worker-2', 'worker-3', 'worker-4'];
const sleepUntil = (t0: number, s: number) => new Promise((r) => setTimeout(r, Math.max(0, t0 + s * 1000 - performance.now())));

describe('rollcall record and replay', () => {
  let cluster: KwokCluster;
  let kubectl: (...args: string[]) => Promise<unknown>;
  const dir = tempDir('rollcall-replay-');
  const rec = join(dir, 'incident.rec');
  const killed = join(dir, 'killed.rec');

  beforeAll(async () => {
    const tc = await testToolchain();
    cluster = await startCluster(4);
    kubectl = (...args) => execa(tc.kubectl, ['--kubeconfig', cluster.kubeconfigPath, ...args]);
    await kubectl('apply', '-f', MANIFEST);
    await waitForPods(cluster.kube, 'default', 'app=log-collector', oneReadyPodPerNode(NODES), 'covered');
  });
  afterAll(async () => {
    await cluster?.destroy();
  });

  const report = (reportDir: string) => JSON.parse(readFileSync(join(reportDir, 'latest', 'report.json'), 'utf8')) as RunReport;
  const replay = (recording: string, name: string, ...args: string[]) => rollcall(['replay', recording, '-o', join(dir, `${name}.ts`), '--import', API, '--run', '--report-dir', join(dir, `reports-${name}`), ...args], { timeout: 300_000 });

  it('records an incident played with kubectl, to the end line on Ctrl-C; a recorder killed with SIGKILL leaves its changes so far', async () => {
    const recorder = rollcall(['record', '--cluster', cluster.name, '--namespace', 'default', '-o', rec]);
    const victim = rollcall(['record', '--cluster', cluster.name, '--namespace', 'default', '--daemonset', 'simple-log-collector', '-o', killed]);
    await Promise.all([waitForOutput(recorder, /recording 4 nodes/), waitForOutput(victim, /recording 4 nodes/)]);
    const t0 = performance.now();
    await sleepUntil(t0, 2);
    await kubectl('label', 'node', 'worker-3', 'worker-4', 'pool=edge');
    await sleepUntil(t0, 4);
    await kubectl('taint', 'node', 'worker-3', 'worker-4', 'dedicated=edge:NoExecute');
    await sleepUntil(t0, 14);
    await kubectl('taint', 'node', 'worker-3', 'worker-4', 'dedicated=edge:NoExecute-');
    await sleepUntil(t0, 17);
    victim.kill('SIGKILL');
    // A NotReady node the way the kwok provider fails one: its stage reports Ready=False while this label is set.
    // Down for 15 s, not a minute, to keep the test short; the DaemonSet's pod tolerates it either way.
    await sleepUntil(t0, 18);
    await kubectl('label', 'node', 'worker-1', `${FAILED_LABEL}=not-ready`);
    await sleepUntil(t0, 33);
    await kubectl('label', 'node', 'worker-1', `${FAILED_LABEL}-`);
    await sleepUntil(t0, 40);
    await kubectl('set', 'image', 'daemonset/simple-log-collector', 'collector=rollcall.invalid/pull-error:v1');
    await sleepUntil(t0, 60);
    await kubectl('rollout', 'undo', 'daemonset/simple-log-collector');
    await sleepUntil(t0, 67);
    recorder.kill('SIGINT');
    const [done, dead] = await Promise.all([recorder, victim]);
    expect(done.exitCode, done.all).toBe(130);
    expect(done.stderr).toMatch(/recorded \d+ changes \([\d.]+ KiB\) in 1m\d\ds to /);
    const lines = readFileSync(rec, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { op?: string; reason?: string; kind?: string });
    expect(lines[0]).toMatchObject({ apiVersion: 'rollcall.dev/v1alpha1', kind: 'Recording', source: { cluster: cluster.name } });
    expect(lines.at(-1)).toMatchObject({ op: 'end', reason: 'interrupted by SIGINT' });
    expect(dead.signal).toBe('SIGKILL');
    const cut = readFileSync(killed, 'utf8');
    expect(cut).toContain('"key":"dedicated"');
    expect(cut).not.toContain('"op":"end"');
  });

  it('generates a scenario that replays the causes and passes at --speed 1, within the tolerance', async () => {
    const r = await replay(rec, 'speed-1', '--speed', '1');
    expect(r.exitCode, r.all).toBe(0);
    const text = readFileSync(join(dir, 'speed-1.ts'), 'utf8');
    for (const step of ['label worker-3, worker-4 pool=edge', 'taint worker-3, worker-4 dedicated=edge:NoExecute', 'untaint worker-3, worker-4 dedicated:NoExecute',
      'worker-1 goes NotReady', 'worker-1 Ready again', 'bad image (pull-error: rollcall.invalid/pull-error:v1)', 'roll back to revision 1']) {
      expect(text).toContain(`: ${step}'`);
    }
    expect(text).toContain('tolerance: { ms: 5000, ratio: 0.1 }');
    const sc = report(join(dir, 'reports-speed-1')).scenarios[0]!;
    expect(sc.verdict).toBe('passed');
    // One verdict per node that lost its pod: worker-3 and worker-4 to the taint, and the node the rollout updated.
    const coverage = sc.assertions.filter((a) => a.name.endsWith('coverage as recorded'));
    expect(coverage.filter((a) => a.verdict !== 'passed')).toEqual([]);
    for (const node of ['worker-3', 'worker-4']) {
      expect(coverage.find((a) => a.name.startsWith(`${node}:`))?.observed).toMatch(/^as recorded: uncovered \d+\.\ds from \+\d+\.\ds, pod replaced/);
    }
    expect(sc.assertions.filter((a) => a.name.startsWith('rollout started at')).map((a) => a.observed)).toEqual([
      expect.stringMatching(/^as recorded: halted: 1 of 4 nodes updated/),
      'as recorded: complete: 4 of 4 nodes updated, 4 available',
    ]);
  }, 300_000);

  it('passes at --speed 5 too', async () => {
    const r = await replay(rec, 'speed-5', '--speed', '5');
    expect(r.exitCode, r.all).toBe(0);
    const sc = report(join(dir, 'reports-speed-5')).scenarios[0]!;
    const coverage = sc.assertions.filter((a) => a.name.endsWith('coverage as recorded'));
    expect(coverage.length).toBeGreaterThanOrEqual(2);
    expect(coverage.filter((a) => a.verdict !== 'passed')).toEqual([]);
    // Five times faster: the whole replay takes about a fifth of the recorded 67 s, plus the cluster.
    expect(sc.steps.at(-1)!.endMs - sc.steps[1]!.startMs).toBeLessThan(30_000);
  }, 300_000);

  it('reports per node where a DaemonSet with another maxUnavailable diverges from the recording', async () => {
    const manifest = join(dir, 'max-unavailable-3.yaml');
    writeFileSync(manifest, readFileSync(MANIFEST, 'utf8').replace('rollingUpdate: {maxUnavailable: 1}', 'rollingUpdate: {maxUnavailable: 3}'));
    const r = await replay(rec, 'max-unavailable-3', '--speed', '2', '--manifest', manifest);
    expect(r.exitCode, r.all).toBe(1);
    const sc = report(join(dir, 'reports-max-unavailable-3')).scenarios[0]!;
    const failed = sc.assertions.filter((a) => a.verdict === 'failed');
    // The rollout now takes down three nodes at once: two more than recorded, each named.
    const extra = failed.filter((a) => a.name.endsWith('coverage as recorded'));
    expect(extra).toHaveLength(2);
    for (const a of extra) expect(a.observed).toMatch(new RegExp(`^recorded: ${a.name.split(':')[0]} covered throughout; replay: uncovered \\d+\\.\\ds from \\+`));
    expect(failed.find((a) => a.name.startsWith('rollout started at'))?.observed).toMatch(/recorded: rollout halted: 1 of 4 nodes updated .*; replay: halted: 3 of 4 nodes updated/);
    expect(r.stdout).toMatch(/recorded: worker-\d covered throughout; replay: uncovered/);
  }, 300_000);

  it('replays the SIGKILLed recording up to the kill', async () => {
    const r = await replay(killed, 'killed', '--speed', '5');
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stderr).toContain('no end line: the recorder did not stop cleanly');
    const text = readFileSync(join(dir, 'killed.ts'), 'utf8');
    expect(text).toContain(': untaint worker-3, worker-4 dedicated:NoExecute');
    expect(text).not.toContain('NotReady');
    expect(report(join(dir, 'reports-killed')).scenarios[0]!.verdict).toBe('passed');
  }, 300_000);

  it('refuses bad recordings with one line naming the file, line and field, and exit 2', async () => {
    const good = readFileSync(rec, 'utf8').split('\n');
    const cases: Array<[string, string[], RegExp]> = [
      ['truncated.rec', [good[0]!, good[1]!, good[2]!.slice(0, 20), good[3]!, ''], /truncated\.rec: line 3: not valid JSON/],
      ['version.rec', [good[0]!.replace('rollcall.dev/v1alpha1', 'rollcall.dev/v9'), ...good.slice(1)], /version\.rec: line 1: apiVersion: "rollcall\.dev\/v9" is not supported/],
      ['kinds.rec', [good[0]!, good[1]!, JSON.stringify({ t: 999_999, op: 'put', kind: 'Deployment', obj: { name: 'x' } }), ''], /kinds\.rec: line 3: kind: "Deployment" is not one of Node, Pod/],
    ];
    for (const [name, lines, message] of cases) {
      writeFileSync(join(dir, name), lines.join('\n'));
      const r = await rollcall(['replay', join(dir, name), '-o', join(dir, `${name}.ts`)]);
      expect(r.exitCode, r.all).toBe(2);
      const errors = r.stderr.trim().split('\n');
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(message);
    }
  });
});
