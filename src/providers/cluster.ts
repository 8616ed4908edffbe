// What every provider hands back: a running cluster with its kubeconfig and node operations.
import type { V1Container, V1Taint } from '@kubernetes/client-node';
import type { KubeClient } from '../kube/kube-client.js';
import type { CapabilitySet } from './capabilities.js';

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
  /** A kind config file used as is (kind provider): its nodes replace `nodes`. */
  kindConfig?: string;
  kubernetesVersion?: string;
  /**
   * Extra flags for control-plane components, e.g. `{ 'kube-controller-manager': { 'node-monitor-grace-period': '20s' } }`,
   * to rehearse the settings of the cluster being upgraded (kwok provider).
   */
  componentArgs?: Partial<Record<'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'etcd', Record<string, string>>>;
  /**
   * `lifted` (default, kwok's --disable-qps-limits): client QPS 5000, no API priority and fairness,
   * so runs are as fast as the machine allows. `production`: the upstream defaults
   * (kube-controller-manager --kube-api-qps 20, kube-scheduler 50, APF on), so rehearsed timings
   * mean something for a real control plane.
   */
  apiLimits?: 'lifted' | 'production';
  /** Keep the cluster after this process exits (`cluster create`); `gc --all` still reclaims it. */
  persistent?: boolean;
}

/**
 * The kinds of broken image rollcall can push: `pull-error` (no such registry), `crash-loop`,
 * `never-ready` (runs, never passes its readiness probe), and on a provider with a registry
 * `missing-tag` (404), `auth-required` (401) and `slow-registry` (pulls through a slow proxy).
 */
export type BadImageKind = 'pull-error' | 'crash-loop' | 'never-ready' | 'missing-tag' | 'auth-required' | 'slow-registry';
export const BAD_IMAGE_KINDS: readonly BadImageKind[] = ['pull-error', 'crash-loop', 'never-ready', 'missing-tag', 'auth-required', 'slow-registry'];

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

/** The registry a provider's nodes pull from, for scenarios that stop it (`t.registry`). */
export interface ClusterRegistry {
  /** The workload image under a new tag no node has pulled, served through the path `cut()` cuts. */
  freshImage(): Promise<string>;
  /** Makes the registry unreachable for the nodes (connections refused) until `restore()`. */
  cut(): Promise<void>;
  restore(): Promise<void>;
}

/** The control-plane processes `t.controlPlane` can restart or pause. */
export type ControlPlaneComponent = 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'etcd';
export const CONTROL_PLANE_COMPONENTS: readonly ControlPlaneComponent[] = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd'];

/** Deadline and cancellation for waits on the control plane. */
export interface ControlPlaneWait {
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * The processes of a control plane the provider started itself (kwok), restarted and frozen as a
 * crashing or hanging static pod would be. Every wait ends with an error naming what it last saw.
 */
export interface ControlPlaneProcesses {
  /** Stops the component (SIGTERM, SIGKILL after a grace period), starts it again with the same command line, and waits until it serves. */
  restart(component: ControlPlaneComponent, wait: ControlPlaneWait): Promise<void>;
  /**
   * SIGSTOPs the component (before its first await, so an undo registered just before always
   * finds it stopped) and waits until the kernel shows it stopped. Resolves with its pid.
   */
  pause(component: ControlPlaneComponent): Promise<number>;
  /** SIGCONTs the component if it is stopped; does nothing otherwise, so it is safe as an undo and twice. */
  resume(component: ControlPlaneComponent): void;
  /**
   * Waits until every component serves again after a fault that ended at `sinceEpochMs` (leader-elected
   * ones hold their lease, renewed since then). A component that exited meanwhile (a controller
   * manager that lost its lease exits) is started again, as the kubelet restarts a static pod; the
   * lines returned say which.
   */
  settle(sinceEpochMs: number, wait: ControlPlaneWait): Promise<string[]>;
}

export interface RunningCluster extends NodeLifecycle, AsyncDisposable {
  readonly name: string;
  readonly provider: string;
  /** Absolute path of a kubeconfig for this cluster. */
  readonly kubeconfigPath: string;
  /** The kubeconfig context to use, when it is not the file's current one (existing clusters). */
  readonly context?: string;
  readonly kube: KubeClient;
  /** What this provider can do; scenarios that need more are skipped with the reason. */
  readonly capabilities: CapabilitySet;
  /**
   * The image reference that behaves as the given kind of broken image on this provider, for the
   * container it replaces (a provider may need its readiness probe). Throws CapabilityError when it cannot.
   */
  badImage(kind: BadImageKind, container?: V1Container): string;
  /** A working image for DaemonSets on this provider. */
  readonly workloadImage: string;
  /** The registry the nodes pull from, on providers that run one (kind). */
  readonly registry?: ClusterRegistry;
  /** The control-plane processes, on providers that started them (kwok). */
  readonly controlPlane?: ControlPlaneProcesses;
  /** Stops everything the cluster runs and removes its files. Safe to call twice. */
  destroy(): Promise<void>;
}
