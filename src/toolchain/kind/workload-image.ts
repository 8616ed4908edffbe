// The small DaemonSet workload image: Debian's static busybox with its applets, imported from a folder.
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { InfraError } from '../../util/errors.js';
import { imageIsCurrent, RECIPE_LABEL, runPipeline, sh } from './docker-cli.js';
import { IMAGE_REPO } from './kind-versions.js';
import { recipeHash } from './recipe.js';
import { secondsSince, withWorkDir, type ImageBuildContext } from './rootfs-images.js';

const BUSYBOX = '/bin/busybox';

/** `rollcall.local/busybox:<busybox version>`; never `latest`, so the kubelet does not try to pull it. */
export async function ensureWorkloadImage(ctx: ImageBuildContext): Promise<string> {
  if (!existsSync(BUSYBOX)) throw new InfraError(`${BUSYBOX} is missing: the workload image is built from Debian's busybox-static (apt-get install busybox-static)`);
  const banner = (await execa(BUSYBOX, [], { reject: false })).stdout.split('\n')[0] ?? '';
  const version = /BusyBox v(\d+\.\d+\.\d+)/.exec(banner)?.[1];
  if (!version) throw new InfraError(`cannot read the busybox version from "${banner}"`);
  if (readFileSync(BUSYBOX).includes('/lib64/ld-linux')) {
    throw new InfraError(`${BUSYBOX} is not statically linked: install busybox-static (apt-get install busybox-static)`);
  }
  const recipe = recipeHash(['workload', banner]);
  const tag = `${IMAGE_REPO}/busybox:${version}`;
  if (await imageIsCurrent(tag, recipe)) return tag;
  const log = join(ctx.logsDir, 'kind-workload-image.log');
  const started = Date.now();
  await withWorkDir(ctx.kindDir, 'busybox', async (work) => {
    const root = join(work, 'rootfs');
    for (const d of ['bin', 'tmp', 'etc']) mkdirSync(join(root, d), { recursive: true });
    copyFileSync(BUSYBOX, join(root, 'bin', 'busybox'));
    const applets = (await execa(BUSYBOX, ['--list'])).stdout.split('\n').filter((a) => /^[\w.[-]+$/.test(a) && a !== 'busybox');
    for (const a of applets) symlinkSync('busybox', join(root, 'bin', a));
    await runPipeline(
      `building ${tag}`,
      `tar -C ${sh(root)} --numeric-owner -cf - . | docker import --change 'ENV PATH=/bin' --change 'CMD ["sh"]' --change ${sh(`LABEL ${RECIPE_LABEL}=${recipe}`)} - ${sh(tag)}`,
      log,
    );
  });
  ctx.record?.('workload-image', secondsSince(started));
  ctx.progress(`workload image ${tag} built in ${secondsSince(started)} s`);
  return tag;
}
