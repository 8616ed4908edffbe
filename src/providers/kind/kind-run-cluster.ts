// The kind provider for `rollcall run --provider kind`: a real cluster (real kubelets, containerd,
// flannel) in Docker, from the locally built kind toolchain, with node and pod chaos done to the
// node containers themselves.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import { deleteNode, getNode, waitNodesReady } from '../../kube/node-api.js';
import { kubeClient, mergePatch, type KubeClient } from '../../kube/kube-client.js';
import { watchUntil } from '../../kube/watch-until.js';
import { cacheLayout, cacheRoot } from '../../toolchain/cache-dir.js';
import { inspectImage } from '../../toolchain/kind/docker-cli.js';
import { kindCacheDir } from '../../toolchain/kind/kind-components.js';
import { readKindToolchain, setupKind, type KindToolchain } from '../../toolchain/kind/setup-kind.js';
import { CapabilityError, InfraError, UsageError } from '../../util/errors.js';
import type { Progress } from '../../util/progress.js';
import type { BadImageKind, ClusterSpec, NodeFailureMode, NodeSpec, RunningCluster } from '../cluster.js';
import { nodeSpecList, resolveNodeSpecs } from '../node-specs.js';
import { readRecord, removeRecord, writeRecord } from '../registry.js';
import { clusterContainers, createKindCluster, deleteKindCluster } from './kind-cluster.js';
import { aliasImageInNode, ensureCrashLoopImage, loadImages, MANIFEST_WORKLOAD_IMAGE, PULL_ERROR_IMAGE } from './kind-images.js';
import { joinNewNode, removeContainer } from './kind-node-join.js';
import { apiOnlyLabels, KIND_NODE_MONITOR_GRACE_PERIOD, kindRunConfig } from './kind-run-config.js';
import { acquireDocker, releaseDocker } from './shared-docker.js';

const CLUSTER_NAME = /^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/;
const MIN = 60_000;

export interface KindRunOptions {
  progress: Progress;
  signal?: AbortSignal;
  /** Where records live (`rollcall gc`); default `<cache>/clusters`. */
  cacheRoot?: string;
}

/** Where a run cluster's kubeconfig and generated kind config live. */
export function kindRunDir(root: string, name: string): string {
  return kindCacheDir(cacheLayout(root), 'clusters', name);
}

/**
 * Creates a kind cluster with one control plane and the scenario's workers, named as the scenario
 * names them. Recorded for `rollcall gc` before anything starts; torn down here if a step fails.
 */
export async function createKindRunCluster(spec: ClusterSpec, opts: KindRunOptions): Promise<KindRunCluster> {
  const root = opts.cacheRoot ?? cacheRoot();
  const registry = cacheLayout(root).registry;
  const name = spec.name ?? `rollcall-${randomBytes(4).toString('hex')}`;
  if (!CLUSTER_NAME.test(name)) throw new UsageError(`cluster name "${name}": use 1-40 lowercase letters, digits and '-'`);
  if (readRecord(registry, name)) throw new UsageError(`cluster "${name}" already exists (rollcall cluster list)`);
  const nodes = resolveNodeSpecs(nodeSpecList(spec.nodes, 'cluster.nodes'), [], 'cluster.nodes');
  if (nodes.length === 0) throw new UsageError('cluster.nodes: the kind provider needs at least one worker node');
  const dir = kindRunDir(root, name);
  writeRecord(registry, {
    name,
    provider: 'kind',
    ownerPid: process.pid,
    persistent: false,
    createdAt: new Date().toISOString(),
    dirs: [dir],
    kubeconfig: join(dir, `${name}.kubeconfig`),
    kubernetesVersion: spec.kubernetesVersion ?? '',
  });
  let cluster: KindRunCluster | undefined;
  let dockerHeld = false;
  try {
    await acquireDocker(opts.progress);
    dockerHeld = true;
    const tc = await kindToolchain(spec.kubernetesVersion, opts.progress, root);
    writeRecord(registry, { ...readRecord(registry, name)!, kubernetesVersion: tc.kubernetesVersion });
    opts.signal?.throwIfAborted();
    const crashLoopImage = await ensureCrashLoopImage(tc.workloadImage);
    mkdirSync(dir, { recursive: true });
    const configPath = join(dir, 'kind-config.yaml');
    writeFileSync(configPath, kindRunConfig(nodes, spec.componentArgs));
    cluster = new KindRunCluster(name, tc, dir, registry, crashLoopImage);
    dockerHeld = false; // the cluster releases it from now on
    const kind = await createKindCluster({ name, configPath, nodeImage: tc.nodeImage, kindBinary: tc.kindBinary, workDir: dir, progress: opts.progress, signal: opts.signal });
    opts.signal?.throwIfAborted();
    await loadImages(tc.kindBinary, name, [tc.workloadImage, crashLoopImage]);
    for (const c of kind.nodes) await aliasImageInNode(c, tc.workloadImage, MANIFEST_WORKLOAD_IMAGE);
    await waitNodesReady(cluster.kube, nodes.map((n) => n.name), 3 * MIN);
    for (const n of nodes) await cluster.applyApiLabels(n.name, n.labels);
    if (spec.persistent) writeRecord(registry, { ...readRecord(registry, name)!, persistent: true });
    opts.progress(`kind cluster ${name} ready: 1 control plane + ${nodes.length} workers (${nodes.map((n) => n.name).join(', ')})`);
    return cluster;
  } catch (err) {
    if (cluster) await cluster.destroy().catch(() => {});
    else {
      removeRecord(registry, name);
      rmSync(dir, { recursive: true, force: true });
    }
    if (dockerHeld) await releaseDocker();
    throw err;
  }
}

/** A kind cluster rollcall created for one scenario. */
export class KindRunCluster implements RunningCluster {
  readonly provider = 'kind';
  readonly kubeconfigPath: string;
  /** The toolchain's busybox; manifests may also say `busybox:1.36`, aliased to it in every node. */
  readonly workloadImage: string;
  private client?: KubeClient;
  private destroyed?: Promise<void>;

  constructor(
    readonly name: string,
    private readonly tc: KindToolchain,
    private readonly dir: string,
    private readonly registry: string,
    private readonly crashLoopImage: string,
  ) {
    this.kubeconfigPath = join(dir, `${name}.kubeconfig`);
    this.workloadImage = tc.workloadImage;
  }

  get kube(): KubeClient {
    this.client ??= kubeClient(this.kubeconfigPath);
    return this.client;
  }

  /**
   * pull-error: a registry that does not exist (real ErrImagePull). crash-loop: our image whose
   * every command exits 1 (real CrashLoopBackOff). never-ready cannot be an image: a container
   * without a readiness probe is Ready as soon as it runs, whatever the image does.
   */
  badImage(kind: BadImageKind): string {
    if (kind === 'pull-error') return PULL_ERROR_IMAGE;
    if (kind === 'crash-loop') return this.crashLoopImage;
    throw new CapabilityError('kind', `push a "${kind}" image`, 'on a real kubelet a running container without a readiness probe is Ready whatever its image does; give the DaemonSet a readinessProbe and break that instead');
  }

  /** Starts one node container per spec from the cluster's node image and joins it with kubeadm. */
  async addNodes(specs: NodeSpec[]): Promise<string[]> {
    const existing = (await this.kube.core.listNode()).items.map((n) => n.metadata!.name!);
    const resolved = resolveNodeSpecs(specs, existing);
    const taken = new Set(await clusterContainers(this.name));
    for (const spec of resolved) {
      let container = `${this.name}-${spec.name}`;
      for (let i = 2; taken.has(container) || container.length > 63; i++) container = `${this.name}-added${i}`;
      taken.add(container);
      await joinNewNode({ cluster: this.name, container, nodeImage: this.tc.nodeImage, nodeName: spec.name, labels: spec.labels, taints: spec.taints });
      await loadImages(this.tc.kindBinary, this.name, [this.tc.workloadImage, this.crashLoopImage], [container]);
      await aliasImageInNode(container, this.tc.workloadImage, MANIFEST_WORKLOAD_IMAGE);
    }
    const names = resolved.map((s) => s.name);
    await waitNodesReady(this.kube, names, 3 * MIN);
    for (const spec of resolved) await this.applyApiLabels(spec.name, spec.labels);
    return names;
  }

  /** Deletes the Node object, then its machine (the node container and its /var volume). */
  async removeNode(name: string): Promise<void> {
    const container = await this.containerOf(name);
    await deleteNode(this.kube, name);
    await removeContainer(container);
  }

  /**
   * Freezes the node container (`docker pause`: kubelet, containerd and pods stop as on a hung
   * machine). The node lifecycle controller marks it Ready=Unknown once the kubelet's lease is
   * older than node-monitor-grace-period (20 s here, see KIND_NODE_MONITOR_GRACE_PERIOD).
   */
  async failNode(name: string, mode: NodeFailureMode = 'not-ready'): Promise<void> {
    if (mode !== 'not-ready') throw new UsageError(`failNode: mode "${mode}" is not supported on kind (use "not-ready")`);
    const container = await this.containerOf(name);
    await dockerOk(['pause', container], `pause node ${name}`);
    await waitReady(this.kube, name, false, 2 * MIN);
  }

  /** Unfreezes the node container; the kubelet reports Ready again within seconds. */
  async recoverNode(name: string): Promise<void> {
    const container = await this.containerOf(name);
    const paused = (await execa('docker', ['inspect', '--format', '{{.State.Paused}}', container], { reject: false })).stdout.trim();
    if (paused === 'true') await dockerOk(['unpause', container], `unpause node ${name}`);
    await waitReady(this.kube, name, true, 2 * MIN);
  }

  /**
   * Kills the pod's containers with `crictl stop --timeout 0` in its node. A real kubelet then
   * restarts them (restartPolicy Always, as DaemonSets require): the pod is not left Failed as on
   * kwok; its restartCount goes up and it is briefly not Ready.
   */
  async failPod(namespace: string, name: string): Promise<void> {
    const pod = await this.kube.core.readNamespacedPod({ namespace, name });
    const node = pod.spec?.nodeName;
    const ids = (pod.status?.containerStatuses ?? []).map((s) => s.containerID?.replace(/^\w+:\/\//, '')).filter((x): x is string => !!x);
    if (!node || ids.length === 0) throw new UsageError(`failPod: pod ${namespace}/${name} has no running container yet`);
    const container = await this.containerOf(node);
    await dockerOk(['exec', container, 'crictl', 'stop', '--timeout', '0', ...ids], `stop the containers of pod ${name} on ${node}`);
  }

  /** Sets the labels the kubelet may not register itself. */
  async applyApiLabels(node: string, labels: Record<string, string> | undefined): Promise<void> {
    const extra = apiOnlyLabels(labels);
    if (Object.keys(extra).length) await this.kube.core.patchNode({ name: node, body: { metadata: { labels: extra } } }, mergePatch);
  }

  /** Deletes the cluster (containers, network, kubeconfig), its record and folder; stops dockerd if we started it. */
  destroy(): Promise<void> {
    this.destroyed ??= (async () => {
      try {
        await deleteKindCluster({ name: this.name, kindBinary: this.tc.kindBinary, kubeconfig: this.kubeconfigPath });
        removeRecord(this.registry, this.name);
        rmSync(this.dir, { recursive: true, force: true });
      } finally {
        await releaseDocker();
      }
    })();
    return this.destroyed;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.destroy();
  }

  /** kind records each node's container in its providerID: `kind://docker/<cluster>/<container>`. */
  private async containerOf(node: string): Promise<string> {
    const n = await getNode(this.kube, node);
    const container = /^kind:\/\/[^/]+\/[^/]+\/(.+)$/.exec(n.spec?.providerID ?? '')?.[1];
    if (!container) throw new InfraError(`node ${node} has no kind providerID (${n.spec?.providerID ?? 'none'}): not a node of kind cluster ${this.name}`);
    return container;
  }
}

/** Deletes a kind cluster from its record (`rollcall gc`, `cluster delete`); starts Docker if needed. */
export async function deleteKindRunCluster(name: string, opts: { progress: Progress; cacheRoot?: string }): Promise<void> {
  const root = opts.cacheRoot ?? cacheRoot();
  const registry = cacheLayout(root).registry;
  const rec = readRecord(registry, name);
  const tc = readKindToolchain({ kubernetesVersion: rec?.kubernetesVersion || undefined, cacheRoot: root }) ?? readKindToolchain({ cacheRoot: root });
  if (!tc) throw new InfraError(`cannot delete kind cluster ${name}: the kind toolchain is gone (run rollcall setup --kind)`);
  await acquireDocker(opts.progress);
  try {
    await deleteKindCluster({ name, kindBinary: tc.kindBinary, kubeconfig: rec?.kubeconfig });
  } finally {
    await releaseDocker();
  }
  for (const d of rec?.dirs ?? []) rmSync(d, { recursive: true, force: true });
  removeRecord(registry, name);
}

/** The cached toolchain; built only if missing (setupKind is a ~1 s check when everything is cached). */
async function kindToolchain(version: string | undefined, progress: Progress, root: string): Promise<KindToolchain> {
  const cached = readKindToolchain({ kubernetesVersion: version, cacheRoot: root });
  if (cached && (await inspectImage(cached.nodeImage)) && (await inspectImage(cached.workloadImage))) return cached;
  progress('kind toolchain missing or incomplete: running rollcall setup --kind');
  return setupKind({ kubernetesVersion: version, progress, cacheRoot: root });
}

/** Waits (by watch) until the node's Ready condition is True, or is anything but True. */
async function waitReady(kube: KubeClient, name: string, ready: boolean, timeoutMs: number): Promise<void> {
  await watchUntil(kube, {
    path: '/api/v1/nodes',
    list: () => kube.core.listNode(),
    timeoutMs,
    what: ready ? `node ${name} Ready` : `node ${name} NotReady (node-monitor-grace-period ${KIND_NODE_MONITOR_GRACE_PERIOD})`,
    check: (nodes) => {
      const s = nodes.find((n) => n.metadata?.name === name)?.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? 'Missing';
      return (s === 'True') === ready ? true : `Ready=${s}`;
    },
  });
}

async function dockerOk(args: string[], what: string): Promise<void> {
  const r = await execa('docker', args, { reject: false, all: true });
  if (r.exitCode !== 0) throw new InfraError(`cannot ${what}: docker ${args[0]}: ${r.all?.trim().split('\n').pop() ?? 'no output'}`);
}
