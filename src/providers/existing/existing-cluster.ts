// The `existing` provider: a cluster rollcall did not create, reached through a kubeconfig context
// the user named explicitly. Only API-level chaos is allowed; rollcall never deletes this cluster.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { kubeClient, type KubeClient } from '../../kube/kube-client.js';
import { CapabilityError, UsageError } from '../../util/errors.js';
import { requireCapability, type CapabilitySet } from '../capabilities.js';
import type { BadImageKind, NodeSpec, RunningCluster } from '../cluster.js';

export interface ExistingOptions {
  /** The context to use. Required: rollcall never acts on whatever context happens to be current. */
  context?: string;
  kubeconfig?: string;
}

const WHY = 'rollcall only changes machines of clusters it created; on an existing cluster it acts through the API only';

const BUILT_IMAGE = 'it needs an image built for the purpose; only pull-error works on an existing cluster';
const NO_REGISTRY = 'rollcall runs no registry for an existing cluster';
const NO_CONTROL_PLANE = 'rollcall never stops the control plane of a cluster it did not create';

/** API-level chaos only: no machines are changed, and only the unpullable image works everywhere. */
export const EXISTING_CAPABILITIES: CapabilitySet = {
  'node-add': WHY, 'node-remove': WHY, 'node-fail': WHY,
  'pod-fail': 'there is no simulated kubelet to make a container die; delete the pod instead',
  'pull-error': true, 'crash-loop': BUILT_IMAGE, 'never-ready': BUILT_IMAGE,
  'missing-tag': NO_REGISTRY, 'auth-required': NO_REGISTRY, 'slow-registry': NO_REGISTRY, 'registry-outage': NO_REGISTRY,
  'control-plane-restart': NO_CONTROL_PLANE, 'control-plane-pause': NO_CONTROL_PLANE,
};

export class ExistingCluster implements RunningCluster {
  readonly provider = 'existing';
  readonly capabilities = EXISTING_CAPABILITIES;
  readonly workloadImage = 'busybox:1.36';
  readonly kube: KubeClient;

  constructor(readonly name: string, readonly kubeconfigPath: string) {
    this.kube = kubeClient(kubeconfigPath, name);
  }

  /** The context the user named: it is also this cluster's name. */
  get context(): string {
    return this.name;
  }

  /** An image reference no registry serves: a real pull error on any cluster. */
  badImage(kind: BadImageKind): string {
    requireCapability('existing', EXISTING_CAPABILITIES, kind, `push a "${kind}" image`);
    return 'rollcall.invalid/pull-error:v1';
  }

  addNodes(_specs: NodeSpec[]): Promise<string[]> {
    return Promise.reject(new CapabilityError('existing', 'add nodes', WHY));
  }

  removeNode(_name: string): Promise<void> {
    return Promise.reject(new CapabilityError('existing', 'remove nodes', WHY));
  }

  failNode(_name: string): Promise<void> {
    return Promise.reject(new CapabilityError('existing', 'fail nodes', WHY));
  }

  recoverNode(_name: string): Promise<void> {
    return Promise.reject(new CapabilityError('existing', 'recover nodes', WHY));
  }

  failPod(_namespace: string, _name: string): Promise<void> {
    return Promise.reject(new CapabilityError('existing', 'fail pods', 'there is no simulated kubelet to make a container die; delete the pod instead'));
  }

  /** Never deletes anything: the scenario's namespace and undos are the runner's business. */
  async destroy(): Promise<void> {}

  async [Symbol.asyncDispose](): Promise<void> {}
}

/** A kubeconfig file and a context in it that the user named explicitly. */
export interface NamedContext {
  context: string;
  kubeconfigPath: string;
}

/**
 * Checks the user's choice of kubeconfig and context, refusing anything implicit: the context must be
 * named and exist in the file. `usedWith` says what needs it in the error (`with --provider existing`).
 */
export function resolveNamedContext(opts: ExistingOptions, env: NodeJS.ProcessEnv = process.env, usedWith = 'with --provider existing'): NamedContext {
  if (!opts.context) throw new UsageError(`--context: required ${usedWith} (rollcall never acts on the current context implicitly)`);
  const path = resolve(opts.kubeconfig ?? env.KUBECONFIG?.split(':')[0] ?? join(homedir(), '.kube', 'config'));
  if (!existsSync(path)) throw new UsageError(`--kubeconfig: ${path} does not exist`);
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(path);
  } catch (err) {
    throw new UsageError(`--kubeconfig: ${path} is not a readable kubeconfig (${(err as Error).message.split('\n')[0]})`);
  }
  if (!kc.getContexts().some((c) => c.name === opts.context)) {
    throw new UsageError(`--context: "${opts.context}" is not in ${path} (contexts: ${kc.getContexts().map((c) => c.name).join(', ') || 'none'})`);
  }
  return { context: opts.context, kubeconfigPath: path };
}

/** Opens the cluster behind an explicitly named context (see resolveNamedContext). */
export function openExistingCluster(opts: ExistingOptions, env: NodeJS.ProcessEnv = process.env): ExistingCluster {
  const { context, kubeconfigPath } = resolveNamedContext(opts, env);
  return new ExistingCluster(context, kubeconfigPath);
}
