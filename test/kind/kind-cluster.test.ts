// A real kind cluster (1 control plane + 3 workers) from the locally built node image: nodes, a
// busybox DaemonSet, a real image pull failure, and a delete that leaves nothing behind.
// Gated on `rollcall setup --kind` having built the toolchain; it never builds anything itself.
import { execSync } from 'node:child_process';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterContainers, createKindCluster, deleteKindCluster, loadImage, type KindCluster } from '../../src/providers/kind/index.js';
import { cacheLayout, cacheRoot } from '../../src/toolchain/cache-dir.js';
import { inspectImage } from '../../src/toolchain/kind/docker-cli.js';
import { ensureDocker, type DockerHandle } from '../../src/toolchain/kind/docker-daemon.js';
import { kindCacheDir } from '../../src/toolchain/kind/kind-components.js';
import { KIND_SKIP_REASON, kindToolchainForTests } from '../support/kind-gate.js';

const toolchain = await kindToolchainForTests();
const SKIP_REASON = KIND_SKIP_REASON;
const MIN = 60_000;
const CONFIG = join(import.meta.dirname, '..', '..', 'kind-configs', 'three-workers.yaml');
const NAME = `rollcall-test-${process.pid}`;
const BAD_IMAGE = 'rollcall.local/does-not-exist:v0';

interface Condition { type: string; status: string }
interface Node { metadata: { name: string }; spec: { unschedulable?: boolean; taints?: Array<{ key: string; effect: string }> }; status: { conditions: Condition[] } }
interface Pod {
  metadata: { name: string; deletionTimestamp?: string };
  spec: { nodeName?: string };
  status: { conditions?: Condition[]; containerStatuses?: Array<{ state: { waiting?: { reason?: string; message?: string } } }> };
}

describe.skipIf(!toolchain)(`kind provider: real cluster from kind-configs/three-workers.yaml ${toolchain ? '' : `(${SKIP_REASON})`}`, () => {
  let docker: DockerHandle | undefined;
  let cluster: KindCluster | undefined;
  let deleted = false;

  const kubectl = async (args: string[], input?: string) => {
    const r = await execa(toolchain!.kubectl, ['--kubeconfig', cluster!.kubeconfig, ...args], { input, reject: false });
    if (r.exitCode !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr.trim()}`);
    return r.stdout;
  };
  const list = async <T>(args: string[]) => (JSON.parse(await kubectl(['get', ...args, '-o', 'json'])) as { items: T[] }).items;

  beforeAll(async () => {
    docker = await ensureDocker(() => {});
    for (const image of [toolchain!.nodeImage, toolchain!.workloadImage]) {
      if (!(await inspectImage(image))) throw new Error(`image ${image} recorded by rollcall setup --kind is missing from Docker: run rollcall setup --kind again`);
    }
    cluster = await createKindCluster({
      name: NAME,
      configPath: CONFIG,
      nodeImage: toolchain!.nodeImage,
      kindBinary: toolchain!.kindBinary,
      workDir: kindCacheDir(cacheLayout(cacheRoot()), 'clusters'),
      progress: (l) => process.stderr.write(`${l}\n`),
    });
    await loadImage(cluster, toolchain!.workloadImage);
  }, 15 * MIN);

  afterAll(async () => {
    if (cluster && !deleted) await deleteKindCluster({ name: cluster.name, kindBinary: cluster.kindBinary, kubeconfig: cluster.kubeconfig });
    await docker?.stop();
  }, 5 * MIN);

  it('has 1 control plane and 3 workers, all Ready', async () => {
    expect(cluster!.nodes).toEqual([`${NAME}-control-plane`, `${NAME}-worker`, `${NAME}-worker2`, `${NAME}-worker3`]);
    const nodes = await waitFor('4 Ready nodes', 3 * MIN, async () => {
      const items = await list<Node>(['nodes']);
      const ready = items.filter((n) => isTrue(n.status.conditions, 'Ready'));
      return { done: items.length === 4 && ready.length === 4, value: items, seen: `${ready.length}/${items.length} Ready` };
    });
    expect(nodes.map((n) => n.metadata.name).sort()).toEqual(cluster!.nodes);
  }, 5 * MIN);

  it('runs exactly one Ready busybox pod per schedulable node', async () => {
    await kubectl(['apply', '-f', '-'], daemonSet('busybox-agent', toolchain!.workloadImage));
    const schedulable = (await list<Node>(['nodes']))
      .filter((n) => !n.spec.unschedulable && !(n.spec.taints ?? []).some((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute'))
      .map((n) => n.metadata.name)
      .sort();
    expect(schedulable).toEqual([`${NAME}-worker`, `${NAME}-worker2`, `${NAME}-worker3`]);
    const pods = await waitFor('one Ready pod per schedulable node', 3 * MIN, async () => {
      const items = (await list<Pod>(['pods', '-l', 'app=busybox-agent'])).filter((p) => !p.metadata.deletionTimestamp);
      const readyNodes = items.filter((p) => isTrue(p.status.conditions, 'Ready')).map((p) => p.spec.nodeName ?? '?').sort();
      const seen = `${readyNodes.length} Ready of ${items.length} pods on [${readyNodes.join(', ')}]`;
      return { done: JSON.stringify(readyNodes) === JSON.stringify(schedulable) && items.length === schedulable.length, value: items, seen };
    });
    expect(pods.map((p) => p.spec.nodeName).sort()).toEqual(schedulable);
    const ds = JSON.parse(await kubectl(['get', 'daemonset', 'busybox-agent', '-o', 'json'])) as {
      metadata: { generation: number };
      status: { observedGeneration: number; desiredNumberScheduled: number; numberReady: number; numberMisscheduled: number };
    };
    expect(ds.status.observedGeneration).toBe(ds.metadata.generation);
    expect(ds.status).toMatchObject({ desiredNumberScheduled: 3, numberReady: 3, numberMisscheduled: 0 });
  }, 5 * MIN);

  it('reports a real ErrImagePull/ImagePullBackOff for an image that does not exist', async () => {
    await kubectl(['apply', '-f', '-'], badImagePod(`${NAME}-worker`));
    const waiting = await waitFor('an image pull failure', 3 * MIN, async () => {
      const pod = JSON.parse(await kubectl(['get', 'pod', 'bad-image', '-o', 'json'])) as Pod;
      const w = pod.status.containerStatuses?.[0]?.state.waiting;
      return { done: w?.reason === 'ErrImagePull' || w?.reason === 'ImagePullBackOff', value: w, seen: `waiting reason ${w?.reason ?? 'none'}` };
    });
    expect(waiting?.message ?? '').toContain(BAD_IMAGE);
    const events = await kubectl(['get', 'events', '--field-selector', 'involvedObject.name=bad-image', '-o', 'jsonpath={.items[*].message}']);
    expect(events).toMatch(/Failed to pull image "rollcall\.local\/does-not-exist:v0"/);
  }, 5 * MIN);

  it('leaves no container, network or process behind when deleted', async () => {
    const ids = (await execa('docker', ['inspect', '--format', '{{.Id}}', ...cluster!.nodes])).stdout.split('\n').filter(Boolean);
    expect(ids).toHaveLength(4);
    await deleteKindCluster({ name: cluster!.name, kindBinary: cluster!.kindBinary, kubeconfig: cluster!.kubeconfig });
    deleted = true;
    expect(await clusterContainers(NAME)).toEqual([]);
    expect((await execa('docker', ['network', 'inspect', cluster!.network], { reject: false })).exitCode).not.toBe(0);
    // Each node ran under a containerd shim whose command line names the container ID.
    const processes = execSync('ps -eo args=', { encoding: 'utf8' }).split('\n');
    expect(processes.filter((p) => ids.some((id) => p.includes(id)) || p.includes(NAME))).toEqual([]);
  }, 5 * MIN);
});

/** Polls `probe` until done; on timeout fails with the last thing it saw. */
async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<{ done: boolean; value: T; seen: string }>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = 'nothing yet';
  while (Date.now() < deadline) {
    try {
      const r = await probe();
      if (r.done) return r.value;
      last = r.seen;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((res) => setTimeout(res, 1000));
  }
  throw new Error(`${what}: not reached after ${timeoutMs} ms; last seen: ${last}`);
}

function isTrue(conditions: Condition[] | undefined, type: string): boolean {
  return (conditions ?? []).some((c) => c.type === type && c.status === 'True');
}

function daemonSet(name: string, image: string): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [{ name: 'agent', image, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'touch /tmp/ready; exec sleep 86400'], readinessProbe: { exec: { command: ['cat', '/tmp/ready'] }, periodSeconds: 2 } }],
        },
      },
    },
  });
}

function badImagePod(node: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'bad-image', namespace: 'default' },
    spec: { nodeName: node, terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: BAD_IMAGE, imagePullPolicy: 'IfNotPresent' }] },
  });
}
