// Images a kind run cluster needs in its nodes: the workload image (also under the name scenario
// manifests use) and a locally built crash-loop image. Nothing is pulled from a registry.
import { execa } from 'execa';
import { InfraError } from '../../util/errors.js';
import { DOCKER_ENV, inspectImage } from '../../toolchain/kind/docker-cli.js';

/** The name scenario manifests use (`image: busybox:1.36`, IfNotPresent), as containerd stores it. */
export const MANIFEST_WORKLOAD_IMAGE = 'docker.io/library/busybox:1.36';

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
