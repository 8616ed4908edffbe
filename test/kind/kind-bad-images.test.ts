// Every bad-image kind on real kubelets, asserted pod by pod through the provider API: an unknown
// registry, a missing tag (404) and a refused login (401) from the cluster's own registry, pulls
// through a slow Toxiproxy, a crash loop, a never-ready container behind a readiness probe, a
// registry outage and its end; then nothing of the cluster or its registry is left.
// Gated on `rollcall setup --kind` having built the toolchain; it never builds anything itself.
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { V1Pod, V1Probe } from '@kubernetes/client-node';
import { clusterContainers, networkName } from '../../src/providers/kind/index.js';
import { createKindRunCluster, type KindRunCluster } from '../../src/providers/kind/kind-run-cluster.js';
import { REGISTRY_CLUSTER_LABEL } from '../../src/providers/kind/kind-registry.js';
import { ensureDocker, type DockerHandle } from '../../src/toolchain/kind/docker-daemon.js';
import { CapabilityError } from '../../src/util/errors.js';
import { KIND_SKIP_REASON, kindToolchainForTests } from '../support/kind-gate.js';

const toolchain = await kindToolchainForTests();
const MIN = 60_000;
const NS = 'default';
const PROBE: V1Probe = { exec: { command: ['test', '-e', '/bin/sh'] }, periodSeconds: 2, failureThreshold: 1 };

describe.skipIf(!toolchain)(`kind provider: real bad images, pod by pod ${toolchain ? '' : `(${KIND_SKIP_REASON})`}`, () => {
  let docker: DockerHandle | undefined;
  let cluster: KindRunCluster | undefined;
  let ids: string[] = [];

  beforeAll(async () => {
    docker = await ensureDocker(() => {});
    cluster = await createKindRunCluster({ nodes: [{ name: 'only-1' }] }, { progress: (l) => process.stderr.write(`${l}\n`) });
    ids = (await execa('docker', ['inspect', '--format', '{{.Id}}', ...(await clusterContainers(cluster.name))])).stdout.split('\n').filter(Boolean);
  }, 10 * MIN);

  afterAll(async () => {
    await cluster?.destroy();
    await docker?.stop();
  }, 5 * MIN);

  it.each([
    ['pull-error', /rollcall\.invalid/],
    ['missing-tag', /not found/i],
    ['auth-required', /401 Unauthorized|unauthorized/i],
  ] as const)('%s: the kubelet reports ErrImagePull / ImagePullBackOff with the registry\'s answer', async (kind, why) => {
    const pod = `bad-${kind}`;
    await createPod(cluster!, pod, cluster!.badImage(kind));
    const waiting = await waitForPod(cluster!, pod, 3 * MIN, (p) => {
      const w = p.status?.containerStatuses?.[0]?.state?.waiting;
      return w?.reason === 'ErrImagePull' || w?.reason === 'ImagePullBackOff' ? w : undefined;
    });
    const messages = `${waiting.message ?? ''}\n${(await events(cluster!, pod)).join('\n')}`;
    expect(messages).toMatch(why);
  }, 4 * MIN);

  it('slow-registry: the pull through Toxiproxy is still going after 30 s (Pulling, never Pulled)', async () => {
    await createPod(cluster!, 'bad-slow', cluster!.badImage('slow-registry'));
    await waitForPod(cluster!, 'bad-slow', MIN, async () => ((await events(cluster!, 'bad-slow')).some((e) => e.startsWith('Pulling:')) ? true : undefined));
    await new Promise((r) => setTimeout(r, 30_000));
    const p = await cluster!.kube.core.readNamespacedPod({ namespace: NS, name: 'bad-slow' });
    expect(p.status?.phase).toBe('Pending');
    expect(p.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('ContainerCreating');
    expect((await events(cluster!, 'bad-slow')).filter((e) => e.startsWith('Pulled:'))).toEqual([]);
  }, 3 * MIN);

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
    expect((await events(cluster!, 'crash-loop')).join('\n')).toMatch(/BackOff: Back-off restarting failed container/);
  }, 4 * MIN);

  it('never-ready: with a readiness probe the container runs and never turns Ready; without one it is refused, saying why', async () => {
    const probed = { name: 'c', image: 'busybox', readinessProbe: PROBE };
    await createPod(cluster!, 'never-ready', cluster!.badImage('never-ready', probed), PROBE);
    await waitForPod(cluster!, 'never-ready', 2 * MIN, (p) => (p.status?.containerStatuses?.[0]?.state?.running ? true : undefined));
    await new Promise((r) => setTimeout(r, 15_000));
    const s = (await cluster!.kube.core.readNamespacedPod({ namespace: NS, name: 'never-ready' })).status?.containerStatuses?.[0];
    expect(s?.state?.running).toBeDefined();
    expect(s?.ready).toBe(false);
    expect(s?.restartCount).toBe(0);
    expect(() => cluster!.badImage('never-ready', { name: 'c', image: 'busybox' })).toThrow(CapabilityError);
    expect(() => cluster!.badImage('never-ready', { name: 'c', image: 'busybox' })).toThrow(/no readinessProbe/);
  }, 3 * MIN);

  it('registry outage: a fresh image fails to pull (connection refused) while cut, and runs once restored', async () => {
    const image = await cluster!.registry!.freshImage();
    await cluster!.registry!.cut();
    await createPod(cluster!, 'outage', image);
    const w = await waitForPod(cluster!, 'outage', 2 * MIN, (p) => {
      const x = p.status?.containerStatuses?.[0]?.state?.waiting;
      return x?.reason === 'ErrImagePull' || x?.reason === 'ImagePullBackOff' ? x : undefined;
    });
    expect(`${w.message ?? ''}\n${(await events(cluster!, 'outage')).join('\n')}`).toMatch(/connection refused|connection reset|EOF/);
    await cluster!.registry!.restore();
    // The kubelet retries on its back-off (10 s, doubling).
    await waitForPod(cluster!, 'outage', 3 * MIN, (p) => (p.status?.containerStatuses?.[0]?.ready ? true : undefined));
  }, 6 * MIN);

  it('busybox:1.36 from a manifest runs, and failPod kills it for the kubelet to restart', async () => {
    await createPod(cluster!, 'workload', 'busybox:1.36');
    await waitForPod(cluster!, 'workload', 3 * MIN, (p) => (p.status?.containerStatuses?.[0]?.ready ? true : undefined));
    await cluster!.failPod(NS, 'workload');
    const restarts = await waitForPod(cluster!, 'workload', 2 * MIN, (p) => {
      const s = p.status?.containerStatuses?.[0];
      return s?.ready && (s.restartCount ?? 0) >= 1 ? s.restartCount : undefined;
    });
    expect(restarts).toBeGreaterThanOrEqual(1);
  }, 6 * MIN);

  it('leaves no node, registry or toxiproxy container, network or process behind when destroyed', async () => {
    const registry = (await execa('docker', ['ps', '-aq', '--filter', `label=${REGISTRY_CLUSTER_LABEL}=${cluster!.name}`])).stdout.split('\n').filter(Boolean);
    expect(registry).toHaveLength(3);
    expect(ids.length).toBe(2);
    await cluster!.destroy();
    expect(await clusterContainers(cluster!.name)).toEqual([]);
    expect((await execa('docker', ['ps', '-aq', '--filter', `label=${REGISTRY_CLUSTER_LABEL}=${cluster!.name}`])).stdout.trim()).toBe('');
    expect((await execa('docker', ['network', 'inspect', networkName(cluster!.name)], { reject: false })).exitCode).not.toBe(0);
    const processes = (await execa('ps', ['-eo', 'args='])).stdout.split('\n');
    expect(processes.filter((p) => p.includes(cluster!.name) || [...ids, ...registry].some((id) => p.includes(id)))).toEqual([]);
  }, 5 * MIN);
});

async function createPod(cluster: KindRunCluster, name: string, image: string, readinessProbe?: V1Probe): Promise<void> {
  await cluster.kube.core.createNamespacedPod({
    namespace: NS,
    body: {
      metadata: { name },
      spec: {
        nodeName: 'only-1',
        terminationGracePeriodSeconds: 1,
        containers: [{ name: 'c', image, imagePullPolicy: 'IfNotPresent', command: ['/bin/sh', '-c', 'while true; do sleep 5; done'], readinessProbe }],
      },
    },
  });
}

/** The pod's events as `Reason: message`. */
async function events(cluster: KindRunCluster, pod: string): Promise<string[]> {
  const list = await cluster.kube.core.listNamespacedEvent({ namespace: NS, fieldSelector: `involvedObject.name=${pod}` });
  return list.items.map((e) => `${e.reason}: ${e.message}`);
}

/** Polls the pod until `pick` returns a value; on timeout fails with the pod's last status. */
async function waitForPod<T>(cluster: KindRunCluster, name: string, timeoutMs: number, pick: (p: V1Pod) => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = 'nothing yet';
  while (Date.now() < deadline) {
    const pod = await cluster.kube.core.readNamespacedPod({ namespace: NS, name });
    const v = await pick(pod);
    if (v !== undefined) return v;
    last = JSON.stringify(pod.status?.containerStatuses?.[0] ?? pod.status?.phase);
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`pod ${name}: not reached after ${timeoutMs} ms; last status: ${last}`);
}
