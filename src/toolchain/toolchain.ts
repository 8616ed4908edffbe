// Locates (building on first use) every binary the kwok provider needs, for one Kubernetes version.
import { mkdirSync } from 'node:fs';

import type { Progress } from '../util/progress.js';
import { cacheLayout, cacheRoot, type CacheLayout } from './cache-dir.js';
import { etcdComponent, kubernetesBuiltSpec, kubernetesComponent, kwokComponent } from './components.js';
import { binPath, ensureGoComponent, isBuilt } from './go-component.js';
import { requireGo } from './go-toolchain.js';
import { DEFAULT_KUBERNETES_VERSION, parseKubernetesVersion } from './versions.js';

/** Absolute paths of the binaries a kwok cluster is started from. */
export interface Toolchain {
  kubernetesVersion: string;
  cache: CacheLayout;
  kubeApiserver: string;
  kubeControllerManager: string;
  kubeScheduler: string;
  kubectl: string;
  etcd: string;
  kwok: string;
  kwokctl: string;
}

export interface ToolchainOptions {
  kubernetesVersion?: string;
  cacheRoot?: string;
  progress: Progress;
}

/**
 * Where the toolchain's binaries are or would be, without building or checking anything: for
 * commands that only manage what already exists (`cluster list|delete`, `gc`), so they stay
 * instant on a machine where nothing was built yet. The binaries may be missing.
 */
export function locateToolchain(opts: Omit<ToolchainOptions, 'progress'> = {}): Toolchain {
  const { version } = parseKubernetesVersion(opts.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION);
  const cache = cacheLayout(opts.cacheRoot ?? cacheRoot());
  const kube = kubernetesBuiltSpec(version, cache);
  const kwok = kwokComponent(cache);
  return {
    kubernetesVersion: version,
    cache,
    kubeApiserver: binPath(kube, 'kube-apiserver'),
    kubeControllerManager: binPath(kube, 'kube-controller-manager'),
    kubeScheduler: binPath(kube, 'kube-scheduler'),
    kubectl: binPath(kube, 'kubectl'),
    etcd: binPath(etcdComponent(cache), 'etcd'),
    kwok: binPath(kwok, 'kwok'),
    kwokctl: binPath(kwok, 'kwokctl'),
  };
}

/** Returns the toolchain, building whatever is missing or of the wrong version. */
export async function ensureToolchain(opts: ToolchainOptions): Promise<Toolchain> {
  const located = locateToolchain(opts);
  const { kubernetesVersion: version, cache } = located;
  mkdirSync(cache.logs, { recursive: true });
  const etcd = etcdComponent(cache);
  const kwok = kwokComponent(cache);
  // The Kubernetes spec needs `go mod download`; skip Go entirely when everything is already built.
  const kubeQuick = kubernetesBuiltSpec(version, cache);
  const allBuilt = (await Promise.all([isBuilt(kubeQuick), isBuilt(etcd), isBuilt(kwok)])).every(Boolean);
  if (!allBuilt) {
    const go = await requireGo();
    opts.progress(`first use: building the embedded cluster's binaries with ${go} into ${cache.root} (about 12-16 min on 2 cores with empty Go caches; later runs reuse them)`);
    const ctx = { logsDir: cache.logs, progress: opts.progress };
    if (!(await isBuilt(kubeQuick))) await ensureGoComponent(await kubernetesComponent(version, cache), ctx);
    await ensureGoComponent(etcd, ctx);
    await ensureGoComponent(kwok, ctx);
  }
  return located;
}
