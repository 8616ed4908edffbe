// `rollcall setup`: build (or check) the pinned toolchain in the cache.
import type { CommandModule } from 'yargs';
import { ensureToolchain } from '../../toolchain/toolchain.js';
import { stderrProgress } from '../../util/progress.js';
import { DEFAULT_KUBERNETES_VERSION } from '../../toolchain/versions.js';
import { kubernetesVersionOption, parseVersionFlag } from './common-options.js';

interface SetupArgs {
  'kubernetes-version': string;
  kind?: boolean;
}

export const setupCommand: CommandModule<object, SetupArgs> = {
  command: 'setup',
  describe: 'Build or check the pinned Kubernetes, etcd and kwok binaries (done automatically on first use)',
  builder: (y) =>
    y
      .option('kubernetes-version', kubernetesVersionOption)
      .option('kind', { type: 'boolean', describe: 'Also build kind, its node image and a workload image (needs Docker)' }),
  handler: async (args) => {
    const progress = stderrProgress();
    const started = Date.now();
    const version = parseVersionFlag(args['kubernetes-version'] ?? DEFAULT_KUBERNETES_VERSION);
    const tc = await ensureToolchain({ kubernetesVersion: version, progress });
    if (args.kind) {
      const { setupKind } = await import('../../toolchain/kind/setup-kind.js');
      await setupKind({ kubernetesVersion: version, progress, cacheRoot: tc.cache.root });
    }
    progress(`toolchain ready: Kubernetes v${tc.kubernetesVersion} in ${tc.cache.root} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  },
};
