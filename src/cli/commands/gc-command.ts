// `rollcall gc`: reclaim clusters, processes and folders that a killed run left behind; with
// --context, revert the journalled changes a killed run left on that existing cluster.
import type { CommandModule } from 'yargs';
import { locateToolchain } from '../../toolchain/toolchain.js';
import { cacheLayout, cacheRoot } from '../../toolchain/cache-dir.js';
import { collectGarbage } from '../../providers/gc.js';
import { resolveNamedContext } from '../../providers/existing/existing-cluster.js';
import { journalDir, journalDirs, readJournals } from '../../journal/journal-dir.js';
import { leftoverHints } from '../../journal/leftover-hints.js';
import { pendingReverts } from '../../journal/parse-journal.js';
import { revertJournals } from '../../journal/revert-journals.js';
import { kubeClient } from '../../kube/kube-client.js';
import { InfraError, UsageError } from '../../util/errors.js';
import { isRunning } from '../../util/processes.js';
import { stderrProgress, type Progress } from '../../util/progress.js';

interface GcArgs {
  all?: boolean;
  'dry-run'?: boolean;
  context?: string;
  kubeconfig?: string;
}

export const gcCommand: CommandModule<object, GcArgs> = {
  command: 'gc',
  describe: 'Remove what killed runs left: clusters whose owner process is gone, stray processes and folders; with --context, revert what they changed on that existing cluster',
  builder: (y) =>
    y
      .option('all', { type: 'boolean', describe: 'Also remove clusters kept by `cluster create` and clusters of runs still going' })
      .option('dry-run', { type: 'boolean', describe: 'Only list what would be removed (or reverted)' })
      .option('context', { type: 'string', describe: 'Revert the journalled changes killed `run --provider existing` runs left on this context' })
      .option('kubeconfig', { type: 'string', describe: 'With --context: kubeconfig file (default $KUBECONFIG or ~/.kube/config)' }) as never,
  handler: async (args) => {
    const progress = stderrProgress();
    if (args.context !== undefined || args.kubeconfig !== undefined) return revertContext(args, progress);
    // gc reclaims what exists: it needs the cache's paths, never a freshly built toolchain.
    const tc = locateToolchain();
    const removed = await collectGarbage(tc, { all: !!args.all, dryRun: !!args['dry-run'], progress });
    progress(removed.length ? `${args['dry-run'] ? 'would remove' : 'removed'}: ${removed.join(', ')}` : 'nothing to reclaim');
    for (const line of leftoverHints(journalDirs(tc.cache.journals).flatMap(readJournals), isRunning)) progress(line);
  },
};

/** `gc --context CTX`: the journals of that context and API server, reverted latest first. */
async function revertContext(args: GcArgs, progress: Progress): Promise<void> {
  if (args.all) throw new UsageError('--all: not used with --context (gc --context reverts only journalled changes)');
  const target = resolveNamedContext({ context: args.context, kubeconfig: args.kubeconfig }, process.env, 'with --kubeconfig');
  const kube = kubeClient(target.kubeconfigPath, target.context);
  const server = kube.kubeconfig.getCurrentCluster()?.server ?? '';
  const journals = readJournals(journalDir(cacheLayout(cacheRoot()).journals, target.context, server));
  const pending = journals.flatMap(pendingReverts).length;
  if (!pending) return progress(`no journalled changes to revert on context ${target.context} (${server})`);
  if (args['dry-run']) {
    for (const j of journals) for (const p of pendingReverts(j)) progress(`would revert: ${p.entry.what}${isRunning(j.header.pid) ? ` (not now: its run, pid ${j.header.pid}, is still going)` : ''}`);
    return;
  }
  const sum = await revertJournals(kube, journals, progress);
  progress(`context ${target.context}: ${sum.reverted} reverted, ${sum.done} already reverted, ${sum.left} left as is${sum.busy ? `, ${sum.busy} journal(s) of running runs left alone` : ''}`);
  if (sum.failed) throw new InfraError(`${sum.failed} change(s) could not be reverted; their journal is kept: run rollcall gc --context ${target.context} again`);
}
