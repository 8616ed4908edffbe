// `rollcall gc`: reclaim clusters, processes and folders that a killed run left behind.
import type { CommandModule } from 'yargs';
import { locateToolchain } from '../../toolchain/toolchain.js';
import { collectGarbage } from '../../providers/gc.js';
import { stderrProgress } from '../../util/progress.js';

export const gcCommand: CommandModule<object, { all?: boolean; 'dry-run'?: boolean }> = {
  command: 'gc',
  describe: 'Remove what killed runs left: clusters whose owner process is gone, stray processes and folders',
  builder: (y) =>
    y
      .option('all', { type: 'boolean', describe: 'Also remove clusters kept by `cluster create` and clusters of runs still going' })
      .option('dry-run', { type: 'boolean', describe: 'Only list what would be removed' }),
  handler: async (args) => {
    const progress = stderrProgress();
    // gc reclaims what exists: it needs the cache's paths, never a freshly built toolchain.
    const tc = locateToolchain();
    const removed = await collectGarbage(tc, { all: !!args.all, dryRun: !!args['dry-run'], progress });
    progress(removed.length ? `${args['dry-run'] ? 'would remove' : 'removed'}: ${removed.join(', ')}` : 'nothing to reclaim');
  },
};
