// The embedded default provider: creates kwok clusters from the locally built toolchain.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Toolchain } from '../../toolchain/toolchain.js';
import { UsageError } from '../../util/errors.js';
import type { Progress } from '../../util/progress.js';
import type { ClusterSpec } from '../cluster.js';
import { readRecord, removeRecord, writeRecord } from '../registry.js';
import { clusterDir, kwokctlCreate, kwokctlDelete } from './kwokctl.js';
import { KwokCluster } from './kwok-cluster.js';
import { nodeSpecList } from '../node-specs.js';

const CLUSTER_NAME = /^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/;

/** A fresh unique cluster name: parallel runs never collide. */
export function uniqueClusterName(prefix = 'rollcall'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** Throws the one-line UsageError for a name kwokctl and the registry cannot take. */
export function checkClusterName(name: string, label = 'cluster name'): string {
  if (!CLUSTER_NAME.test(name)) throw new UsageError(`${label} "${name}": use 1-40 lowercase letters, digits and '-'`);
  return name;
}

export interface CreateOptions {
  progress: Progress;
  signal?: AbortSignal;
}

/**
 * Starts a cluster and its nodes. The cluster is recorded for `rollcall gc` before anything
 * starts, and torn down here if any step fails or the signal aborts.
 */
export async function createKwokCluster(tc: Toolchain, spec: ClusterSpec, opts: CreateOptions): Promise<KwokCluster> {
  const name = checkClusterName(spec.name ?? uniqueClusterName());
  if (readRecord(tc.cache.registry, name) || existsSync(clusterDir(tc, name))) throw new UsageError(`cluster "${name}" already exists (rollcall cluster list)`);
  const nodes = nodeSpecList(spec.nodes);
  const logFile = join(tc.cache.logs, `cluster-${name}.log`);
  writeRecord(tc.cache.registry, {
    name,
    provider: 'kwok',
    ownerPid: process.pid,
    persistent: false,
    createdAt: new Date().toISOString(),
    dirs: [clusterDir(tc, name)],
    kubeconfig: join(clusterDir(tc, name), 'kubeconfig.yaml'),
    kubernetesVersion: tc.kubernetesVersion,
  });
  const cluster = new KwokCluster(name, tc, logFile);
  const started = Date.now();
  try {
    opts.progress(`starting cluster ${name} (Kubernetes v${tc.kubernetesVersion}, kwok)`);
    const extra = Object.entries(spec.componentArgs ?? {}).flatMap(([component, flags]) => Object.entries(flags ?? {}).map(([k, v]) => `${component}=${k}=${v}`));
    await kwokctlCreate(tc, name, logFile, opts.signal, extra, spec.apiLimits);
    opts.signal?.throwIfAborted();
    if (nodes.length) {
      opts.progress(`adding ${nodes.length} simulated node(s)`);
      await cluster.addNodes(nodes);
    }
    opts.signal?.throwIfAborted();
    if (spec.persistent) writeRecord(tc.cache.registry, { ...readRecord(tc.cache.registry, name)!, persistent: true });
    opts.progress(`cluster ${name} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return cluster;
  } catch (err) {
    await cluster.destroy().catch(() => {});
    throw err;
  }
}

/** Deletes a cluster by name from its record (used by `cluster delete` and `gc`). */
export async function deleteKwokCluster(tc: Toolchain, name: string): Promise<void> {
  const rec = readRecord(tc.cache.registry, name);
  await kwokctlDelete(tc, name);
  for (const d of rec?.dirs ?? []) rmSync(d, { recursive: true, force: true });
  rmSync(join(tc.cache.logs, `cluster-${name}.log`), { force: true });
  removeRecord(tc.cache.registry, name);
}
