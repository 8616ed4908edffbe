// Images a kind run cluster needs in its nodes: the workload image (also under the name scenario
// manifests use) and locally built crash-loop and never-ready images. Nothing is pulled from a registry.
import { createHash } from 'node:crypto';
import { linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { InfraError } from '../../util/errors.js';
import { DOCKER_ENV, inspectImage, RECIPE_LABEL, sh } from '../../toolchain/kind/docker-cli.js';
import { KIND_SOURCE_DIR } from '../../toolchain/kind/recipe.js';

/**
 * The names scenario manifests and examples use (`image: busybox:1.36`, IfNotPresent; a rollout
 * to `busybox:1.37` or `1.38`), as containerd stores them: all are the workload image, so a new
 * tag makes a new revision that runs without any registry.
 */
export const MANIFEST_WORKLOAD_IMAGES = ['1.36', '1.37', '1.38'].map((t) => `docker.io/library/busybox:${t}`);

/** An image no registry serves: the kubelet's pull fails for real (ErrImagePull, ImagePullBackOff). */
export const PULL_ERROR_IMAGE = 'rollcall.invalid/pull-error:v1';

/**
 * `rollcall.local/crash-loop:<workload image id>`: the workload image with every applet except
 * `false` replaced by a `#!/bin/false` script, so whatever command a manifest gives (it overrides
 * the image's CMD) exits 1 at once and the kubelet restarts it into CrashLoopBackOff.
 * Built once from the workload image with `docker run` + `docker commit` (no builder, no registry).
 */
export async function ensureCrashLoopImage(workloadImage: string): Promise<string> {
  const base = await inspectImage(workloadImage);
  if (!base) throw new InfraError(`workload image ${workloadImage} is missing from Docker: run rollcall setup --kind again`);
  const ref = `rollcall.local/crash-loop:${base.id.replace(/^sha256:/, '').slice(0, 12)}`;
  if (await inspectImage(ref)) return ref;
  const builder = `rollcall-crash-loop-build-${process.pid}`;
  const script = `for a in $(/bin/busybox --list); do case "$a" in busybox|false) ;; *) /bin/busybox rm -f "/bin/$a"; printf '#!/bin/false\\n' > "/bin/$a"; /bin/busybox chmod 755 "/bin/$a";; esac; done`;
  try {
    const run = await execa('docker', ['run', '--name', builder, '--network', 'none', '--entrypoint', '/bin/sh', workloadImage, '-c', script], { reject: false, all: true, env: DOCKER_ENV });
    if (run.exitCode !== 0) throw new InfraError(`building ${ref} failed: ${run.all?.trim().split('\n').pop() ?? 'no output'}`);
    const commit = await execa('docker', ['commit', '--change', 'CMD ["sh"]', '--change', 'ENTRYPOINT []', builder, ref], { reject: false, all: true, env: DOCKER_ENV });
    if (commit.exitCode !== 0) throw new InfraError(`docker commit ${ref} failed: ${commit.all?.trim() ?? ''}`);
  } finally {
    await execa('docker', ['rm', '-f', '-v', builder], { reject: false });
  }
  return ref;
}

/** `kind load docker-image` into the given node containers (all of the cluster's when omitted). */
export async function loadImages(kindBinary: string, cluster: string, images: string[], containers?: string[]): Promise<void> {
  const args = ['load', 'docker-image', ...images, '--name', cluster];
  if (containers?.length) args.push('--nodes', containers.join(','));
  const r = await execa(kindBinary, args, { reject: false, all: true });
  if (r.exitCode !== 0) throw new InfraError(`kind load docker-image ${images.join(' ')} into ${cluster} failed: ${r.all?.trim().split('\n').slice(-2).join(' | ')}`);
}

/**
 * Gives the workload image the name manifests use, inside one node's containerd only: the host's
 * Docker never gets a fake `busybox:1.36` tag.
 */
export async function aliasImageInNode(container: string, image: string, alias: string): Promise<void> {
  const source = image.includes('/') && /[.:]/.test(image.split('/')[0]!) ? image : `docker.io/${image.includes('/') ? image : `library/${image}`}`;
  const r = await execa('docker', ['exec', container, 'ctr', '-n', 'k8s.io', 'images', 'tag', '--force', source, alias], { reject: false, all: true });
  if (r.exitCode !== 0) throw new InfraError(`cannot tag ${source} as ${alias} in node ${container}: ${r.all?.trim()}`);
}

/**
 * `rollcall.local/never-ready:<hash>`: every applet of the workload image replaced by our static
 * `never-ready.c`. A manifest's command (`/bin/sh -c ...`) starts and keeps running as PID 1, but
 * nothing listens on any port and every command an exec probe runs exits 1: the kubelet never marks
 * it Ready. Built from a folder with `docker import` (no builder, no registry); needs gcc and static glibc.
 */
export async function ensureNeverReadyImage(workloadImage: string): Promise<string> {
  const base = await inspectImage(workloadImage);
  if (!base) throw new InfraError(`workload image ${workloadImage} is missing from Docker: run rollcall setup --kind again`);
  const source = join(KIND_SOURCE_DIR, 'image-files', 'never-ready.c');
  const recipe = createHash('sha256').update(base.id).update(readFileSync(source)).digest('hex').slice(0, 12);
  const ref = `rollcall.local/never-ready:${recipe}`;
  if (await inspectImage(ref)) return ref;
  const work = mkdtempSync(join(tmpdir(), 'rollcall-never-ready-'));
  try {
    const bin = join(work, 'rootfs', 'bin');
    mkdirSync(bin, { recursive: true });
    for (const d of ['tmp', 'etc']) mkdirSync(join(work, 'rootfs', d));
    const program = join(bin, 'busybox');
    const cc = await execa('gcc', ['-static', '-Os', '-s', '-o', program, source], { reject: false, all: true });
    if (cc.exitCode !== 0) throw new InfraError(`compiling ${source} failed (needs gcc and static glibc: apt-get install gcc libc6-dev): ${cc.all?.trim().split('\n').pop()}`);
    // The same command names as the workload image, so any command a manifest gives resolves.
    const list = await execa('docker', ['run', '--rm', '--network', 'none', '--entrypoint', '/bin/busybox', workloadImage, '--list'], { reject: false, env: DOCKER_ENV });
    if (list.exitCode !== 0) throw new InfraError(`cannot list the applets of ${workloadImage}: ${list.stderr.trim()}`);
    for (const a of list.stdout.split('\n').filter((x) => /^[\w.[-]+$/.test(x) && x !== 'busybox')) linkSync(program, join(bin, a));
    const tar = `tar -C ${sh(join(work, 'rootfs'))} --numeric-owner -cf - . | docker import --change 'ENV PATH=/bin' --change 'CMD ["sh"]' --change ${sh(`LABEL ${RECIPE_LABEL}=${recipe}`)} - ${sh(ref)}`;
    const r = await execa('bash', ['-o', 'pipefail', '-euc', tar], { reject: false, all: true, env: DOCKER_ENV });
    if (r.exitCode !== 0) throw new InfraError(`building ${ref} failed: ${r.all?.trim().split('\n').pop() ?? 'no output'}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return ref;
}
