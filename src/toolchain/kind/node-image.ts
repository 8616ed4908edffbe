// Assembles the kind node image the way `kind build node-image` does, offline: Kubernetes binaries
// into the base, every image kubeadm and the CNI need preloaded into the node's containerd, commit.
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { InfraError } from '../../util/errors.js';
import { dockerStep, imageIsCurrent, inspectImage, RECIPE_LABEL, runPipeline, sh } from './docker-cli.js';
import { flannelImage, type KubeadmImages } from './component-images.js';
import { IMAGE_REPO } from './kind-versions.js';
import { KIND_SOURCE_DIR, recipeHash } from './recipe.js';
import { secondsSince, withWorkDir, type ImageBuildContext } from './rootfs-images.js';

export interface NodeImageInputs {
  kubernetesVersion: string;
  baseImage: string;
  /** kubelet, kubeadm, kubectl: copied to /usr/bin as kind expects. */
  kubelet: string;
  kubeadm: string;
  kubectl: string;
  kubeadmImages: KubeadmImages;
  /** Every image to preload (kubeadm's plus the CNI's). */
  preload: string[];
}

/** Label on node images listing what was preloaded, for checks and reports. */
export const PRELOADED_LABEL = 'io.rollcall.preloaded';

export async function ensureNodeImage(ctx: ImageBuildContext, inputs: NodeImageInputs): Promise<string> {
  const ids = await Promise.all([inputs.baseImage, ...inputs.preload].map(async (ref) => (await inspectImage(ref))?.id ?? 'missing'));
  const recipe = recipeHash([inputs.kubernetesVersion, ...ids, inputs.kubelet, inputs.kubeadm, inputs.kubectl, { dir: join(KIND_SOURCE_DIR, 'node-files') }]);
  const tag = `${IMAGE_REPO}/kind-node:v${inputs.kubernetesVersion}-${recipe}`;
  if (await imageIsCurrent(tag, recipe)) return tag;
  const log = join(ctx.logsDir, 'kind-node-image.log');
  ctx.progress(`building the node image ${tag} (log: ${log})`);
  const started = Date.now();
  const name = `rollcall-node-build-${process.pid}`;
  try {
    await dockerStep('starting the node build container', ['run', '-d', '--name', name, '--entrypoint', 'sleep', '--security-opt', 'seccomp=unconfined', inputs.baseImage, 'infinity'], log);
    for (const [bin, src] of [['kubelet', inputs.kubelet], ['kubeadm', inputs.kubeadm], ['kubectl', inputs.kubectl]] as const) {
      await dockerStep(`copying ${bin} into the node`, ['cp', src, `${name}:/usr/bin/${bin}`], log);
    }
    await withWorkDir(ctx.kindDir, 'node', async (work) => {
      writeFileSync(join(work, 'version'), `v${inputs.kubernetesVersion}\n`);
      await dockerStep('writing /kind/version', ['cp', join(work, 'version'), `${name}:/kind/version`], log);
      const cni = readFileSync(join(KIND_SOURCE_DIR, 'node-files', 'kind', 'manifests', 'default-cni.yaml'), 'utf8').replace('@FLANNEL_IMAGE@', flannelImage);
      writeFileSync(join(work, 'default-cni.yaml'), cni);
      await dockerStep('writing the CNI manifest', ['cp', join(work, 'default-cni.yaml'), `${name}:/kind/manifests/default-cni.yaml`], log);
    });
    const pause = inputs.kubeadmImages.pause;
    await exec(name, `sed -i 's#@PAUSE_IMAGE@#${pause}#' /etc/containerd/config.toml`, log);
    await exec(name, `test "$(kubeadm version -o short)" = v${inputs.kubernetesVersion}`, log, 'kubeadm in the node image reports the wrong version');
    // containerd only to fill its image store; the node's systemd starts the real one.
    await exec(name, 'nohup containerd >/var/log/containerd-build.log 2>&1 & for i in $(seq 1 100); do ctr version >/dev/null 2>&1 && exit 0; sleep 0.1; done; exit 1', log, 'containerd did not start inside the build container');
    ctx.progress(`  preloading ${inputs.preload.length} images into the node's containerd`);
    await runPipeline(
      'preloading images into the node',
      `docker save ${inputs.preload.map(sh).join(' ')} | docker exec -i ${sh(name)} ctr -n k8s.io images import --all-platforms --no-unpack --digests -`,
      log,
    );
    const listed = (await execa('docker', ['exec', name, 'ctr', '-n', 'k8s.io', 'images', 'ls', '-q'], { reject: false })).stdout.split('\n');
    const missing = inputs.preload.filter((ref) => !listed.includes(ref));
    if (missing.length > 0) throw new InfraError(`the node image lacks preloaded images after import: ${missing.join(', ')}; see ${log}`);
    // `sleep` is PID 1 here and never reaps, so a stopped containerd stays as a zombie: ignore those.
    await exec(
      name,
      `pkill -x containerd; for i in $(seq 1 100); do ps -eo stat=,comm= | awk '$2 == "containerd" && $1 !~ /^Z/' | grep -q . || exit 0; sleep 0.1; done; exit 1`,
      log,
      'containerd did not stop',
    );
    await dockerStep(
      'committing the node image',
      [
        'commit',
        '--change', 'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]',
        '--change', 'CMD []',
        '--change', `LABEL ${RECIPE_LABEL}=${recipe} ${PRELOADED_LABEL}="${inputs.preload.join(',')}"`,
        name,
        tag,
      ],
      log,
    );
  } finally {
    await execa('docker', ['rm', '-f', '-v', name], { reject: false });
  }
  ctx.record?.('node-image', secondsSince(started));
  ctx.progress(`  node image built in ${secondsSince(started)} s`);
  return tag;
}

async function exec(container: string, script: string, log: string, what?: string): Promise<void> {
  try {
    await runPipeline(what ?? script, `docker exec ${sh(container)} bash -euc ${sh(script)}`, log);
  } catch (err) {
    if (what) throw new InfraError(`${what}; see ${log}`, { cause: err });
    throw err;
  }
}
