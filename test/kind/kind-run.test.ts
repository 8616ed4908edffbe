// The kind provider behind `rollcall run --provider kind`: a real scenario through the real CLI,
// and real bad-image pod states through the provider API; nothing of either cluster is left after.
// Gated on `rollcall setup --kind` having built the toolchain; it never builds anything itself.
import { execSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { V1Pod } from '@kubernetes/client-node';
import { clusterContainers, networkName } from '../../src/providers/kind/index.js';
import { createKindRunCluster, type KindRunCluster } from '../../src/providers/kind/kind-run-cluster.js';
import { ensureDocker, type DockerHandle } from '../../src/toolchain/kind/docker-daemon.js';
import { readKindToolchain } from '../../src/toolchain/kind/setup-kind.js';
import { CapabilityError } from '../../src/util/errors.js';
import { tempDir } from '../support/temp-dir.js';

const toolchain = readKindToolchain();
const SKIP_REASON = 'skipped: the kind toolchain is not built (run `rollcall setup --kind` first)';
const MIN = 60_000;
const ROOT = join(import.meta.dirname, '..', '..');
const NAMESPACE = 'default';

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
    await expectNothingLeft(sc.cluster.name, []);
  }, 15 * MIN);

  describe('bad images and a killed pod through the provider API', () => {
    let cluster: KindRunCluster | undefined;
    let ids: string[] = [];

    beforeAll(async () => {
      cluster = await createKindRunCluster({ nodes: [{ name: 'only-1' }] }, { progress: (l) => process.stderr.write(`${l}\n`) });
      ids = (await execa('docker', ['inspect', '--format', '{{.Id}}', ...(await clusterContainers(cluster.name))])).stdout.split('\n').filter(Boolean);
    }, 10 * MIN);

    afterAll(async () => {
      await cluster?.destroy();
    }, 5 * MIN);

    it('pull-error gives a real ErrImagePull / ImagePullBackOff', async () => {
      await createPod(cluster!, 'pull-error', cluster!.badImage('pull-error'));
      const w = await waitForPod(cluster!, 'pull-error', 3 * MIN, (p) => {
        const reason = p.status?.containerStatuses?.[0]?.state?.waiting?.reason;
        return reason === 'ErrImagePull' || reason === 'ImagePullBackOff' ? reason : undefined;
      });
      expect(['ErrImagePull', 'ImagePullBackOff']).toContain(w);
    }, 4 * MIN);

    it('crash-loop exits 1 on every start and the kubelet backs off restarting it', async () => {
      await createPod(cluster!, 'crash-loop', cluster!.badImage('crash-loop'));
      // Kubernetes 1.36 keeps state.terminated (reason Error) during the back-off; older kubelets
      // showed state.waiting CrashLoopBackOff. Either way: exit 1, restarts climbing, BackOff events.
      const exit = await waitForPod(cluster!, 'crash-loop', 3 * MIN, (p) => {
        const s = p.status?.containerStatuses?.[0];
        const last = s?.lastState?.terminated ?? s?.state?.terminated;
        return (s?.restartCount ?? 0) >= 2 ? last?.exitCode : undefined;
      });
      expect(exit).toBe(1);
      const events = await cluster!.kube.core.listNamespacedEvent({ namespace: NAMESPACE, fieldSelector: 'involvedObject.name=crash-loop' });
      expect(events.items.map((e) => `${e.reason}: ${e.message}`).join('\n')).toMatch(/BackOff: Back-off restarting failed container/);
    }, 4 * MIN);

    it('never-ready is refused with the reason', () => {
      expect(() => cluster!.badImage('never-ready')).toThrow(CapabilityError);
      expect(() => cluster!.badImage('never-ready')).toThrow(/readiness probe/);
    });

    it('busybox:1.36 from a manifest runs, and failPod kills it for the kubelet to restart', async () => {
      await createPod(cluster!, 'workload', 'busybox:1.36');
      await waitForPod(cluster!, 'workload', 3 * MIN, (p) => (p.status?.containerStatuses?.[0]?.ready ? true : undefined));
      await cluster!.failPod(NAMESPACE, 'workload');
      const restarts = await waitForPod(cluster!, 'workload', 2 * MIN, (p) => {
        const s = p.status?.containerStatuses?.[0];
        return s?.ready && (s.restartCount ?? 0) >= 1 ? s.restartCount : undefined;
      });
      expect(restarts).toBeGreaterThanOrEqual(1);
    }, 6 * MIN);

    it('leaves no container, network or process behind when destroyed', async () => {
      expect(ids.length).toBe(2);
      await cluster!.destroy();
      await expectNothingLeft(cluster!.name, ids);
    }, 5 * MIN);
  });
});

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

async function createPod(cluster: KindRunCluster, name: string, image: string): Promise<void> {
  await cluster.kube.core.createNamespacedPod({
    namespace: NAMESPACE,
    body: {
      metadata: { name },
      spec: {
        nodeName: 'only-1',
        terminationGracePeriodSeconds: 1,
        containers: [{ name: 'c', image, imagePullPolicy: 'IfNotPresent', command: ['/bin/sh', '-c', 'while true; do sleep 5; done'] }],
      },
    },
  });
}

/** Polls the pod until `pick` returns a value; on timeout fails with the pod's last status. */
async function waitForPod<T>(cluster: KindRunCluster, name: string, timeoutMs: number, pick: (p: V1Pod) => T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = 'nothing yet';
  while (Date.now() < deadline) {
    const pod = await cluster.kube.core.readNamespacedPod({ namespace: NAMESPACE, name });
    const v = pick(pod);
    if (v !== undefined) return v;
    last = JSON.stringify(pod.status?.containerStatuses?.[0] ?? pod.status?.phase);
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`pod ${name}: not reached after ${timeoutMs} ms; last status: ${last}`);
}
