// The kind provider for `rollcall run --provider kind`: a real cluster (real kubelets, containerd,
// flannel) in Docker, from the locally built kind toolchain, with node and pod chaos done to the
// node containers themselves.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import type { V1Container } from '@kubernetes/client-node';
import { deleteNode, getNode, waitNodesReady } from '../../kube/node-api.js';
import { kubeClient, mergePatch, type KubeClient } from '../../kube/kube-client.js';
import { watchUntil } from '../../kube/watch-until.js';
import { cacheLayout, cacheRoot } from '../../toolchain/cache-dir.js';
import { kindCacheDir } from '../../toolchain/kind/kind-components.js';
import type { KindToolchain } from '../../toolchain/kind/setup-kind.js';
import { InfraError, UsageError } from '../../util/errors.js';
import type { Progress } from '../../util/progress.js';
import type { BadImageKind, ClusterRegistry, ClusterSpec, NodeFailureMode, NodeSpec, RunningCluster } from '../cluster.js';
import { KindRegistry, pointNodeAtRegistry } from './kind-registry.js';
import { nodeSpecList, resolveNodeSpecs } from '../node-specs.js';
import { readRecord, removeRecord, writeRecord } from '../registry.js';
import { clusterContainers, createKindCluster, deleteKindCluster } from './kind-cluster.js';
import { aliasImageInNode, ensureCrashLoopImage, ensureNeverReadyImage, loadImages, MANIFEST_WORKLOAD_IMAGES } from './kind-images.js';
import { kindBadImage, KIND_CAPABILITIES, type KindBadImages } from './kind-capabilities.js';
import { kindConfigTopology } from './kind-config-topology.js';
import { joinNewNode, removeContainer } from './kind-node-join.js';
import { apiOnlyLabels, KIND_NODE_MONITOR_GRACE_PERIOD, kindRunConfig } from './kind-run-config.js';
import { acquireDocker, releaseDocker } from './shared-docker.js';
import { cachedKindToolchain } from './kind-run-toolchain.js';

export { deleteKindRunCluster } from './kind-run-toolchain.js';

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
  // A kind config is used as is; its nodes (kind's names) are only read to wait for them.
  const nodes = spec.kindConfig
    ? kindConfigTopology(readFileSync(spec.kindConfig, 'utf8'), spec.kindConfig, name)
    : resolveNodeSpecs(nodeSpecList(spec.nodes, 'cluster.nodes'), [], 'cluster.nodes');
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
    const tc = await cachedKindToolchain(spec.kubernetesVersion, opts.progress, root);
    writeRecord(registry, { ...readRecord(registry, name)!, kubernetesVersion: tc.kubernetesVersion });
    opts.signal?.throwIfAborted();
    const images: KindBadImages = { crashLoop: await ensureCrashLoopImage(tc.workloadImage), neverReady: await ensureNeverReadyImage(tc.workloadImage) };
    mkdirSync(dir, { recursive: true });
    const configPath = spec.kindConfig ?? join(dir, 'kind-config.yaml');
    if (!spec.kindConfig) writeFileSync(configPath, kindRunConfig(nodes, spec.componentArgs));
    cluster = new KindRunCluster(name, tc, dir, registry, images);
    dockerHeld = false; // the cluster releases it from now on
    const kind = await createKindCluster({ name, configPath, nodeImage: tc.nodeImage, kindBinary: tc.kindBinary, workDir: dir, progress: opts.progress, signal: opts.signal });
    opts.signal?.throwIfAborted();
    await loadImages(tc.kindBinary, name, [tc.workloadImage, images.crashLoop, images.neverReady]);
    for (const c of kind.nodes) for (const alias of MANIFEST_WORKLOAD_IMAGES) await aliasImageInNode(c, tc.workloadImage, alias);
    cluster.imageRegistry = await KindRegistry.start({ cluster: name, network: kind.network, registryImage: tc.registryImage, toxiproxyImage: tc.toxiproxyImage, workloadImage: tc.workloadImage });
    for (const c of kind.nodes) await pointNodeAtRegistry(c);
    await waitNodesReady(cluster.kube, nodes.map((n) => n.name), 3 * MIN);
    if (!spec.kindConfig) for (const n of nodes) await cluster.applyApiLabels(n.name, n.labels);
    if (spec.persistent) writeRecord(registry, { ...readRecord(registry, name)!, persistent: true });
    opts.progress(`kind cluster ${name} ready${spec.kindConfig ? ` from ${spec.kindConfig}` : ': 1 control plane +'} ${nodes.length} nodes (${nodes.map((n) => n.name).join(', ')})`);
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
  readonly capabilities = KIND_CAPABILITIES;
  readonly kubeconfigPath: string;
  /** The toolchain's busybox; manifests may also say `busybox:1.36`, aliased to it in every node. */
  readonly workloadImage: string;
  private client?: KubeClient;
  private destroyed?: Promise<void>;
  /** Started once the cluster's network exists; stopped before it is deleted. */
  imageRegistry?: KindRegistry;

  constructor(
    readonly name: string,
    private readonly tc: KindToolchain,
    private readonly dir: string,
    private readonly records: string,
    private readonly images: KindBadImages,
  ) {
    this.kubeconfigPath = join(dir, `${name}.kubeconfig`);
    this.workloadImage = tc.workloadImage;
  }

  get kube(): KubeClient {
    this.client ??= kubeClient(this.kubeconfigPath);
    return this.client;
  }

  /** Real bad images (see kindBadImage); never-ready needs the container's readiness probe. */
  badImage(kind: BadImageKind, container?: V1Container): string {
    return kindBadImage(kind, this.images, this.imageRegistry, container);
  }

  /** The cluster's registry (outages for `t.registry`). */
  get registry(): ClusterRegistry | undefined {
    return this.imageRegistry;
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
      await loadImages(this.tc.kindBinary, this.name, [this.tc.workloadImage, this.images.crashLoop, this.images.neverReady], [container]);
      for (const alias of MANIFEST_WORKLOAD_IMAGES) await aliasImageInNode(container, this.tc.workloadImage, alias);
      await pointNodeAtRegistry(container);
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
        await this.imageRegistry?.stop();
        await deleteKindCluster({ name: this.name, kindBinary: this.tc.kindBinary, kubeconfig: this.kubeconfigPath });
        removeRecord(this.records, this.name);
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
