// The kind toolchain as a run finds it in the cache (built only when missing), and deleting a run
// cluster from its record (`rollcall gc`, `cluster delete`).
import { rmSync } from 'node:fs';
import { cacheLayout, cacheRoot } from '../../toolchain/cache-dir.js';
import { inspectImage } from '../../toolchain/kind/docker-cli.js';
import { readKindToolchain, setupKind, type KindToolchain } from '../../toolchain/kind/setup-kind.js';
import { InfraError } from '../../util/errors.js';
import type { Progress } from '../../util/progress.js';
import { readRecord, removeRecord } from '../registry.js';
import { deleteKindCluster } from './kind-cluster.js';
import { acquireDocker, releaseDocker } from './shared-docker.js';

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

/**
 * The cached toolchain; built only if a stamp or image is missing (an older stamp lacks the
 * registry images). setupKind is a ~1 s check when everything is cached.
 */
export async function cachedKindToolchain(version: string | undefined, progress: Progress, root: string): Promise<KindToolchain> {
  const cached = readKindToolchain({ kubernetesVersion: version, cacheRoot: root });
  const images = cached ? [cached.nodeImage, cached.workloadImage, cached.registryImage, cached.toxiproxyImage] : [];
  if (cached && images.every(Boolean) && (await Promise.all(images.map((i) => inspectImage(i)))).every(Boolean)) return cached;
  progress('kind toolchain missing or incomplete: running rollcall setup --kind');
  return setupKind({ kubernetesVersion: version, progress, cacheRoot: root });
}
