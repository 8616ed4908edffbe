// A running kwok cluster: real control plane, nodes played by kwok.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Toolchain } from '../../toolchain/toolchain.js';
import { kubeClient, mergePatch, type KubeClient } from '../../kube/kube-client.js';
import { deleteNode, getNode, waitNodeReadyStatus, waitNodesReady } from '../../kube/node-api.js';
import { UsageError } from '../../util/errors.js';
import { requireCapability, type CapabilitySet } from '../capabilities.js';
import type { BadImageKind, NodeFailureMode, NodeSpec, RunningCluster } from '../cluster.js';
import { removeRecord } from '../registry.js';
import { clusterDir, kwokctlDelete } from './kwokctl.js';
import { kwokNodeManifest } from './node-manifest.js';
import { KwokControlPlane } from './kwok-control-plane.js';
import { resolveNodeSpecs } from '../node-specs.js';

/** Node creations in flight at once: enough to keep the API server busy, few enough not to swamp it. */
const CREATE_CONCURRENCY = 32;

/** Label our stages key node failure on (see stages.yaml). */
export const FAILED_LABEL = 'rollcall.dev/failed';

const NO_PULLS = 'kwok nodes pull no images, so there is no registry to slow down or stop';

/** kwok plays every kubelet, so node and pod faults are stages; there are no real image pulls; rollcall started the control plane's processes itself. */
export const KWOK_CAPABILITIES: CapabilitySet = {
  'node-add': true, 'node-remove': true, 'node-fail': true, 'pod-fail': true,
  'pull-error': true, 'crash-loop': true, 'never-ready': true, 'missing-tag': true, 'auth-required': true,
  'slow-registry': NO_PULLS, 'registry-outage': NO_PULLS,
  'control-plane-restart': true, 'control-plane-pause': true,
};

export class KwokCluster implements RunningCluster {
  readonly provider = 'kwok';
  readonly capabilities = KWOK_CAPABILITIES;
  readonly kubeconfigPath: string;
  /** etcd, kube-apiserver, kube-controller-manager and kube-scheduler, as kwokctl started them. */
  readonly controlPlane: KwokControlPlane;
  private client?: KubeClient;
  /** kwok never pulls images; any reference outside rollcall.invalid/ simply runs. */
  readonly workloadImage = 'busybox:1.36';
  private destroyed?: Promise<void>;

  constructor(
    readonly name: string,
    private readonly tc: Toolchain,
    private readonly logFile: string,
  ) {
    this.kubeconfigPath = join(clusterDir(tc, name), 'kubeconfig.yaml');
    this.controlPlane = new KwokControlPlane(clusterDir(tc, name), () => this.kube);
  }

  /** API clients; the kubeconfig exists once kwokctl has started the control plane. */
  get kube(): KubeClient {
    this.client ??= kubeClient(this.kubeconfigPath);
    return this.client;
  }

  /**
   * Image references our kwok stages turn into each kind of failure. A missing tag and a refused
   * login end the same way as any failed pull (ErrImagePull, ImagePullBackOff): the pull-error stage.
   */
  badImage(kind: BadImageKind): string {
    requireCapability('kwok', KWOK_CAPABILITIES, kind, `push a "${kind}" image`);
    if (kind === 'missing-tag' || kind === 'auth-required') return `rollcall.invalid/pull-error:${kind}`;
    return `rollcall.invalid/${kind}:v1`;
  }

  async addNodes(specs: NodeSpec[]): Promise<string[]> {
    const existing = (await this.kube.core.listNode()).items.map((n) => n.metadata!.name!);
    const resolved = resolveNodeSpecs(specs, existing);
    // Thousands of nodes: create them CREATE_CONCURRENCY at a time, and give kwok time per node.
    let next = 0;
    const worker = async () => {
      while (next < resolved.length) await this.kube.core.createNode({ body: kwokNodeManifest(resolved[next++]!) });
    };
    await Promise.all(Array.from({ length: Math.min(CREATE_CONCURRENCY, resolved.length) }, worker));
    const names = resolved.map((s) => s.name);
    await waitNodesReady(this.kube, names, Math.max(60_000, 100 * names.length));
    return names;
  }

  async removeNode(name: string): Promise<void> {
    await getNode(this.kube, name);
    await deleteNode(this.kube, name);
  }

  async failNode(name: string, mode: NodeFailureMode = 'not-ready'): Promise<void> {
    if (mode !== 'not-ready') throw new UsageError(`failNode: mode "${mode}" is not supported on kwok (use "not-ready")`);
    await getNode(this.kube, name);
    await this.kube.core.patchNode({ name, body: { metadata: { labels: { [FAILED_LABEL]: mode } } } }, mergePatch);
    await waitNodeReadyStatus(this.kube, name, 'False', 30_000);
  }

  async recoverNode(name: string): Promise<void> {
    await getNode(this.kube, name);
    await this.kube.core.patchNode({ name, body: { metadata: { labels: { [FAILED_LABEL]: null } } } }, mergePatch);
    await waitNodesReady(this.kube, [name], 60_000);
  }

  async failPod(namespace: string, name: string): Promise<void> {
    await this.kube.core.patchNamespacedPod({ name, namespace, body: { metadata: { labels: { [FAILED_LABEL]: 'true' } } } }, mergePatch);
  }

  destroy(): Promise<void> {
    this.destroyed ??= (async () => {
      await kwokctlDelete(this.tc, this.name);
      removeRecord(this.tc.cache.registry, this.name);
      rmSync(this.logFile, { force: true });
    })();
    return this.destroyed;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.destroy();
  }
}
