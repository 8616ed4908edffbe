// Creates and deletes real kind clusters with the kind CLI; each cluster gets its own docker network.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { InfraError, UsageError } from '../../util/errors.js';
import type { Progress } from '../../util/progress.js';
import { removeRegistryLeftovers } from './kind-registry.js';

/** Label kind puts on every node container of a cluster. */
export const KIND_CLUSTER_LABEL = 'io.x-k8s.kind.cluster';

export interface CreateKindClusterOptions {
  /** Cluster name: a DNS label (kind prefixes node containers with it). */
  name: string;
  /** A kind `Cluster` config, e.g. `kind-configs/three-workers.yaml`. */
  configPath: string;
  /** Node image for every node (kind's default image when omitted). */
  nodeImage?: string;
  kindBinary: string;
  /** Where the kubeconfig is written; the user's ~/.kube/config is never touched. */
  workDir: string;
  /** How long kind waits for the control plane to be Ready. */
  waitSeconds?: number;
  progress?: Progress;
  /** Aborting stops `kind create` (SIGTERM) and deletes what it made. */
  signal?: AbortSignal;
}

/** A created cluster: its kubeconfig, node containers and docker network. */
export interface KindCluster {
  name: string;
  kubeconfig: string;
  network: string;
  kindBinary: string;
  /** Node container names, e.g. `<name>-control-plane`, `<name>-worker`. */
  nodes: string[];
  /** Seconds `kind create cluster` took. */
  createSeconds: number;
}

/** `kind create cluster`; on failure exports kind's logs next to the kubeconfig and deletes what was made. */
export async function createKindCluster(opts: CreateKindClusterOptions): Promise<KindCluster> {
  validateName(opts.name);
  validateConfig(opts.configPath);
  mkdirSync(opts.workDir, { recursive: true });
  const kubeconfig = join(opts.workDir, `${opts.name}.kubeconfig`);
  const network = networkName(opts.name);
  const args = ['create', 'cluster', '--name', opts.name, '--config', opts.configPath, '--kubeconfig', kubeconfig, '--retain', '--wait', `${opts.waitSeconds ?? 300}s`];
  if (opts.nodeImage) args.push('--image', opts.nodeImage);
  opts.progress?.(`creating kind cluster ${opts.name} from ${opts.configPath}${opts.nodeImage ? ` with ${opts.nodeImage}` : ''}`);
  const started = Date.now();
  const r = await execa(opts.kindBinary, args, { reject: false, all: true, cancelSignal: opts.signal, env: { ...process.env, KIND_EXPERIMENTAL_DOCKER_NETWORK: network } });
  const createSeconds = Math.round((Date.now() - started) / 100) / 10;
  if (r.exitCode !== 0) {
    const logs = join(opts.workDir, `${opts.name}-logs`);
    await execa(opts.kindBinary, ['export', 'logs', logs, '--name', opts.name], { reject: false });
    await deleteKindCluster({ name: opts.name, kindBinary: opts.kindBinary, kubeconfig });
    const why = r.isCanceled ? 'aborted' : r.isTerminated ? `killed by ${r.signal}` : lastLines(r.all ?? '', 3);
    throw new InfraError(`kind create cluster ${opts.name} failed: ${why} (node logs: ${logs})`, { cause: r });
  }
  const nodes = await clusterContainers(opts.name);
  opts.progress?.(`kind cluster ${opts.name} is up with ${nodes.length} nodes in ${createSeconds} s`);
  return { name: opts.name, kubeconfig, network, kindBinary: opts.kindBinary, nodes, createSeconds };
}

/** Deletes the cluster's nodes, its docker network and kubeconfig. Idempotent: a missing cluster is fine. */
export async function deleteKindCluster(opts: { name: string; kindBinary: string; kubeconfig?: string }): Promise<void> {
  const args = ['delete', 'cluster', '--name', opts.name];
  if (opts.kubeconfig) args.push('--kubeconfig', opts.kubeconfig);
  const r = await execa(opts.kindBinary, args, { reject: false, all: true });
  // kind leaves containers behind only if docker failed; remove by label so nothing survives.
  const left = await clusterContainers(opts.name);
  if (left.length > 0) await execa('docker', ['rm', '-f', '-v', ...left], { reject: false });
  // A registry left by a killed run would keep the network in use.
  await removeRegistryLeftovers(opts.name);
  const net = networkName(opts.name);
  const inspect = await execa('docker', ['network', 'inspect', net], { reject: false });
  if (inspect.exitCode === 0) {
    const rm = await execa('docker', ['network', 'rm', net], { reject: false });
    if (rm.exitCode !== 0) throw new InfraError(`cannot remove docker network ${net} of kind cluster ${opts.name}: ${rm.stderr.trim()}`);
  }
  if (opts.kubeconfig) rmSync(opts.kubeconfig, { force: true });
  if ((await clusterContainers(opts.name)).length > 0) {
    throw new InfraError(`kind delete cluster ${opts.name} left containers behind: ${lastLines(r.all ?? '', 2)}`);
  }
}

/** `kind load docker-image`: copies a local image into every node's containerd. */
export async function loadImage(cluster: KindCluster, image: string): Promise<void> {
  const r = await execa(cluster.kindBinary, ['load', 'docker-image', image, '--name', cluster.name], { reject: false, all: true });
  if (r.exitCode !== 0) throw new InfraError(`kind load docker-image ${image} into ${cluster.name} failed: ${lastLines(r.all ?? '', 2)}`);
}

/** Names of the node containers of a cluster (running or not). */
export async function clusterContainers(name: string): Promise<string[]> {
  const r = await execa('docker', ['ps', '-a', '--filter', `label=${KIND_CLUSTER_LABEL}=${name}`, '--format', '{{.Names}}'], { reject: false });
  return r.stdout.split('\n').filter(Boolean).sort();
}

/** One docker network per cluster, so deleting a cluster can delete its network too. */
export function networkName(cluster: string): string {
  return `kind-${cluster}`;
}

function validateName(name: string): void {
  if (!/^[a-z0-9]([-a-z0-9]{0,48}[a-z0-9])?$/.test(name)) {
    throw new UsageError(`invalid kind cluster name "${name}": use lowercase letters, digits and '-', at most 50 characters`);
  }
}

function validateConfig(path: string): void {
  if (!existsSync(path)) throw new UsageError(`kind config ${path} does not exist`);
  let doc: unknown;
  try {
    doc = parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`kind config ${path} is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const cfg = doc as { kind?: unknown; apiVersion?: unknown; nodes?: unknown } | null;
  if (!cfg || cfg.kind !== 'Cluster') throw new UsageError(`kind config ${path}: field "kind" must be "Cluster"`);
  if (cfg.apiVersion !== 'kind.x-k8s.io/v1alpha4') throw new UsageError(`kind config ${path}: field "apiVersion" must be "kind.x-k8s.io/v1alpha4"`);
  if (cfg.nodes !== undefined && !Array.isArray(cfg.nodes)) throw new UsageError(`kind config ${path}: field "nodes" must be a list`);
}

function lastLines(text: string, n: number): string {
  return text.trim().split('\n').slice(-n).join(' | ') || 'no output';
}
