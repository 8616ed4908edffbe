// Reclaims what killed runs left: clusters whose owner died, cluster folders without a record,
// and processes still running from a removed cluster's folder.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Toolchain } from '../toolchain/toolchain.js';
import type { Progress } from '../util/progress.js';
import { commandLine, isRunning, killAll, processesMentioning } from '../util/processes.js';
import { deleteKwokCluster } from './kwok/kwok-provider.js';
import { deleteKindRunCluster } from './kind/kind-run-cluster.js';
import { listRecords } from './registry.js';
import { reclaimDocker } from '../toolchain/kind/docker-daemon.js';

export interface GcOptions {
  all: boolean;
  dryRun: boolean;
  progress: Progress;
}

/** Returns a description of each thing removed (or that would be, on a dry run). */
export async function collectGarbage(tc: Toolchain, opts: GcOptions): Promise<string[]> {
  const removed: string[] = [];
  const records = listRecords(tc.cache.registry);
  const known = new Set(records.map((r) => r.name));
  for (const rec of records) {
    const orphaned = !rec.persistent && !isRunning(rec.ownerPid);
    if (!orphaned && !opts.all) continue;
    if (rec.provider === 'kind') {
      // Starts dockerd for the delete if it is not running, and stops it again.
      removed.push(`kind cluster ${rec.name}`);
      if (!opts.dryRun) await deleteKindRunCluster(rec.name, { progress: opts.progress, cacheRoot: tc.cache.root });
      continue;
    }
    if (rec.provider !== 'kwok') continue;
    removed.push(`cluster ${rec.name}`);
    if (!opts.dryRun) await deleteKwokCluster(tc, rec.name);
  }
  // Folders in rollcall's own kwok workdir with no record: a run killed between steps.
  const clustersDir = join(tc.cache.kwokWorkdir, 'clusters');
  if (existsSync(clustersDir)) {
    for (const name of readdirSync(clustersDir)) {
      if (known.has(name)) continue;
      removed.push(`cluster folder ${name}`);
      if (!opts.dryRun) await deleteKwokCluster(tc, name);
    }
  }
  // Any process still started from the workdir belongs to a cluster that no longer has a record.
  const live = new Set(listRecords(tc.cache.registry).map((r) => join(clustersDir, r.name) + '/'));
  const strays = processesMentioning(`${clustersDir}/`).filter((pid) => {
    const cmd = commandLine(pid);
    return cmd !== undefined && ![...live].some((d) => cmd.includes(d));
  });
  if (strays.length) {
    removed.push(`${strays.length} stray process(es)`);
    if (!opts.dryRun) killAll(strays);
  }
  if (!opts.dryRun && existsSync(clustersDir) && readdirSync(clustersDir).length === 0) rmSync(clustersDir, { recursive: true, force: true });
  // A dockerd rollcall started for a run that was killed, now used by no live process.
  if (!opts.dryRun) {
    const dockerd = await reclaimDocker(tc.cache.root);
    if (dockerd !== undefined) removed.push(`dockerd (pid ${dockerd}) that a killed run started`);
  }
  return removed;
}
