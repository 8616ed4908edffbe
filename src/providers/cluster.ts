// What every provider hands back: a running cluster with its kubeconfig and node operations.
import type { V1Taint } from '@kubernetes/client-node';
import type { KubeClient } from '../kube/kube-client.js';

/** One node a scenario asks for. Every field is optional; names default to `worker-<n>`. */
export interface NodeSpec {
  name?: string;
  labels?: Record<string, string>;
  taints?: V1Taint[];
}

export interface ClusterSpec {
  /** Cluster name; unique by default so parallel runs never collide. */
  name?: string;
  /** How many simulated nodes, or each node spelled out. */
  nodes: number | NodeSpec[];
  kubernetesVersion?: string;
  /**
   * Extra flags for control-plane components, e.g. `{ 'kube-controller-manager': { 'node-monitor-grace-period': '20s' } }`,
   * to rehearse the settings of the cluster being upgraded (kwok provider).
   */
  componentArgs?: Partial<Record<'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'etcd', Record<string, string>>>;
  /** Keep the cluster after this process exits (`cluster create`); `gc --all` still reclaims it. */
  persistent?: boolean;
}

/** The three kinds of broken image rollcall can push. */
export type BadImageKind = 'pull-error' | 'crash-loop' | 'never-ready';
export const BAD_IMAGE_KINDS: readonly BadImageKind[] = ['pull-error', 'crash-loop', 'never-ready'];

/** How a node fails: `not-ready` is a kubelet that reports Ready=False. */
export type NodeFailureMode = 'not-ready';

/** Node abilities that need the provider (the rest go through the API, see chaos/node-api.ts). */
export interface NodeLifecycle {
  /** Creates nodes and waits until each is Ready. Returns their names. */
  addNodes(specs: NodeSpec[]): Promise<string[]>;
  /** Deletes a node (its machine goes away). Drain first with chaos/node-api drainNode if wanted. */
  removeNode(name: string): Promise<void>;
  /** Makes a node go NotReady, as a failed kubelet would. */
  failNode(name: string, mode?: NodeFailureMode): Promise<void>;
  /** Undoes failNode: the node reports Ready again. */
  recoverNode(name: string): Promise<void>;
  /** Makes a running pod's container die for good (phase Failed). */
  failPod(namespace: string, name: string): Promise<void>;
}

export interface RunningCluster extends NodeLifecycle, AsyncDisposable {
  readonly name: string;
  readonly provider: string;
  /** Absolute path of a kubeconfig for this cluster. */
  readonly kubeconfigPath: string;
  /** The kubeconfig context to use, when it is not the file's current one (existing clusters). */
  readonly context?: string;
  readonly kube: KubeClient;
  /** The image reference that behaves as the given kind of broken image on this provider. */
  badImage(kind: BadImageKind): string;
  /** A working image for DaemonSets on this provider. */
  readonly workloadImage: string;
  /** Stops everything the cluster runs and removes its files. Safe to call twice. */
  destroy(): Promise<void>;
}
