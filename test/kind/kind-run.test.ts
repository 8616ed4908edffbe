// The kind provider behind `rollcall run --provider kind`: a real scenario through the real CLI,
// and a run killed mid-scenario that `rollcall gc` cleans up; nothing of either cluster is left after.
// Gated on `rollcall setup --kind` having built the toolchain; it never builds anything itself.
import { execSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterContainers, networkName } from '../../src/providers/kind/index.js';
import { REGISTRY_CLUSTER_LABEL } from '../../src/providers/kind/kind-registry.js';
import { ensureDocker, type DockerHandle } from '../../src/toolchain/kind/docker-daemon.js';
import { KIND_SKIP_REASON, kindToolchainForTests } from '../support/kind-gate.js';
import { tempDir } from '../support/temp-dir.js';

const toolchain = await kindToolchainForTests();
const SKIP_REASON = KIND_SKIP_REASON;
const MIN = 60_000;
const ROOT = join(import.meta.dirname, '..', '..');

describe.skipIf(!toolchain)(`kind provider: rollcall run --provider kind ${toolchain ? '' : `(${SKIP_REASON})`}`, () => {
  // Held for the whole file so the leftover checks can ask Docker; the CLI then finds it running
  // and leaves it alone.
  let docker: DockerHandle | undefined;
  const reportDir = tempDir('rollcall-kind-run-');

  beforeAll(async () => {
    docker = await ensureDocker(() => {});
  }, 2 * MIN);

  afterAll(async () => {
    rmSync(reportDir, { recursive: true, force: true });
    await docker?.stop();
  }, 2 * MIN);

  it('runs scenarios/03-node-subset.ts on a real kind cluster and exits 0', async () => {
    const r = await execa('nice', ['-n', '5', 'node', 'src/cli/bin.js', 'run', 'scenarios/03-node-subset.ts', '--provider', 'kind', '--report-dir', reportDir], { cwd: ROOT, reject: false, all: true, timeout: 12 * MIN });
    expect(r.exitCode, r.all).toBe(0);
    const report = readReport(reportDir);
    expect(report.scenarios).toHaveLength(1);
    const sc = report.scenarios[0]!;
    expect(sc.verdict).toBe('passed');
    expect(sc.cluster.name).toMatch(/^rollcall-[0-9a-f]{8}$/);
    expect(await registryContainers(sc.cluster.name)).toEqual([]);
    await expectNothingLeft(sc.cluster.name, []);
  }, 15 * MIN);

  it('rollcall gc removes the cluster, its registry and toxiproxy, and its network after a SIGKILLed run', async () => {
    const child = execa('node', ['src/cli/bin.js', 'run', 'scenarios/03-node-subset.ts', '--provider', 'kind', '--report-dir', reportDir], { cwd: ROOT, reject: false, all: true });
    // Killed once the cluster and its registry are up, in the middle of the scenario.
    const name = await new Promise<string>((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => reject(new Error(`no "kind cluster ... ready" line within 8 min; saw: ${seen}`)), 8 * MIN);
      child.stderr?.on('data', (b: Buffer) => {
        seen += b.toString();
        const m = /kind cluster (rollcall-[0-9a-f]{8}) ready/.exec(seen);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
    });
    expect((await clusterContainers(name)).length).toBe(4);
    expect(await registryContainers(name)).toHaveLength(3);
    child.kill('SIGKILL');
    await child;
    const gc = await execa('node', ['src/cli/bin.js', 'gc'], { cwd: ROOT, reject: false, all: true });
    expect(gc.exitCode, gc.all).toBe(0);
    expect(gc.all).toContain(`kind cluster ${name}`);
    expect(await registryContainers(name)).toEqual([]);
    await expectNothingLeft(name, []);
  }, 12 * MIN);
});

/** The registry and toxiproxy containers started for a cluster (running or not). */
async function registryContainers(cluster: string): Promise<string[]> {
  const r = await execa('docker', ['ps', '-aq', '--filter', `label=${REGISTRY_CLUSTER_LABEL}=${cluster}`]);
  return r.stdout.split('\n').filter(Boolean);
}

interface RunReport { scenarios: Array<{ verdict: string; cluster: { name: string } }> }

function readReport(dir: string): RunReport {
  const run = readdirSync(dir).find((d) => d !== 'latest' && !d.includes('.'));
  if (!run) throw new Error(`no run folder in ${dir}: ${readdirSync(dir).join(', ')}`);
  return JSON.parse(readFileSync(join(dir, run, 'report.json'), 'utf8')) as RunReport;
}

async function expectNothingLeft(name: string, containerIds: string[]): Promise<void> {
  expect(await clusterContainers(name)).toEqual([]);
  expect((await execa('docker', ['network', 'inspect', networkName(name)], { reject: false })).exitCode).not.toBe(0);
  // Each node ran under a containerd shim whose command line names the container ID.
  const processes = execSync('ps -eo args=', { encoding: 'utf8' }).split('\n');
  expect(processes.filter((p) => p.includes(name) || containerIds.some((id) => p.includes(id)))).toEqual([]);
}
