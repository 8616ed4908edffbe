// `rollcall setup --kind`: builds (once) and caches kind, the node image and the workload image.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { InfraError } from '../../util/errors.js';
import type { Progress } from '../../util/progress.js';
import { cacheLayout, cacheRoot, type CacheLayout } from '../cache-dir.js';
import { kubernetesBuiltSpec, kubernetesComponent } from '../components.js';
import { binPath, ensureGoComponent, isBuilt, type BuildContext, type GoComponentSpec } from '../go-component.js';
import { requireGo } from '../go-toolchain.js';
import { DEFAULT_KUBERNETES_VERSION, parseKubernetesVersion } from '../versions.js';
import { ensureComponentImages, flannelImage, kubeadmImages, tagOf, type KubeadmImages } from './component-images.js';
import { ensureDocker, type DockerHandle } from './docker-daemon.js';
import { ensureKindPrerequisites } from './kind-prerequisites.js';
import { isRunning } from '../../util/processes.js';
import { guardSignals } from '../../util/signals.js';
import { inspectImage, RECIPE_LABEL } from './docker-cli.js';
import {
  corednsComponent, crictlComponent, flannelComponent, kindCacheDir, kindComponent, kubeadmEtcdComponent,
  nodeKubernetesComponent, nodeKubernetesQuickSpec,
} from './kind-components.js';
import { KIND_VERSION } from './kind-versions.js';
import { ensureNodeImage } from './node-image.js';
import { ensureNetBaseImage, ensureNodeBaseImage, secondsSince, type ImageBuildContext } from './rootfs-images.js';
import { ensureWorkloadImage } from './workload-image.js';
import { ensureRegistryImages, registryComponent, toxiproxyComponent } from './registry-images.js';

/** What a kind cluster is created from. Paths are absolute; images are local Docker images. */
export interface KindToolchain {
  kubernetesVersion: string;
  kindVersion: string;
  kindBinary: string;
  kubectl: string;
  /** Local node image (`rollcall.local/kind-node:v1.36.3-<recipe>`), for `kind create cluster --image`. */
  nodeImage: string;
  /** Busybox image for DaemonSets, to `kind load docker-image` into clusters. */
  workloadImage: string;
  /** The registry kind clusters pull from, and the Toxiproxy in front of it (started per cluster). */
  registryImage: string;
  toxiproxyImage: string;
  /** Images preloaded in the node's containerd (kubeadm's and the CNI's). */
  preloadedImages: string[];
  /** Seconds each step took when it last had work to do. */
  timings: Record<string, number>;
}

export interface SetupKindOptions {
  kubernetesVersion?: string;
  progress: Progress;
  cacheRoot?: string;
}

/**
 * Builds whatever is missing and records it (cold: ~9 min on 2 cores with an empty Go build cache,
 * besides the embedded provider's control-plane binaries; warm: about a second).
 */
export async function setupKind(opts: SetupKindOptions): Promise<KindToolchain> {
  const { version } = parseKubernetesVersion(opts.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION);
  const cache = cacheLayout(opts.cacheRoot ?? cacheRoot());
  const kindDir = kindCacheDir(cache);
  mkdirSync(cache.logs, { recursive: true });
  mkdirSync(kindDir, { recursive: true });
  const progress = opts.progress;
  const started = Date.now();
  const timings: Record<string, number> = { ...(readStamp(cache, version)?.timings ?? {}) };
  // Ctrl-C lets the running step fail and the `finally` blocks below clean up (build container,
  // scratch folders, the dockerd we started); the process exits once they are done.
  let unwound!: () => void;
  const done = new Promise<void>((resolve) => (unwound = resolve));
  const guard = guardSignals({ runAll: () => done }, progress);
  /** Times a build step; the time is kept only when it had work to do. */
  const timed = async (name: string, fn: () => Promise<boolean>): Promise<void> => {
    guard.check();
    const t0 = Date.now();
    if (await fn()) timings[name] = secondsSince(t0);
  };

  let docker: DockerHandle | undefined;
  try {
    // Everything the host must provide is checked (or installed) before minutes of compiling.
    await ensureKindPrerequisites(progress);
    docker = await ensureDocker(progress, { cacheRoot: cache.root });
    await removeStaleBuildLeftovers(kindDir);
    const go: BuildContext = { logsDir: cache.logs, progress };
    const goReady = lazyGo();
    const build = async (spec: GoComponentSpec | (() => Promise<GoComponentSpec>), cgo = false): Promise<boolean> => {
      const quick = typeof spec === 'function' ? undefined : spec;
      if (quick && (await isBuilt(quick))) return false;
      await goReady();
      const full = typeof spec === 'function' ? await spec() : spec;
      return ensureGoComponent({ ...full, cgo }, go);
    };

    progress(`kind toolchain for Kubernetes v${version} (cache: ${kindDir})`);
    const kind = kindComponent(cache);
    await timed('kind', () => build(kind));

    const controlPlane = kubernetesBuiltSpec(version, cache);
    if (!(await isBuilt(controlPlane))) await timed('kubernetes-control-plane', () => build(() => kubernetesComponent(version, cache)));
    const node = nodeKubernetesQuickSpec(version, cache);
    if (!(await isBuilt(node))) await timed('kubernetes-node', () => build(() => nodeKubernetesComponent(version, cache)));

    const images: KubeadmImages = await kubeadmImages(binPath(node, 'kubeadm'), version);
    const etcd = kubeadmEtcdComponent(tagOf(images.etcd).replace(/-\d+$/, ''), cache);
    const coredns = corednsComponent(tagOf(images.coredns), cache);
    const flannel = flannelComponent(cache);
    const crictl = crictlComponent(cache);
    await timed('etcd', () => build(etcd));
    await timed('coredns', () => build(coredns));
    await timed('flannel', () => build(flannel, true));
    await timed('crictl', () => build(crictl));
    const registryBin = registryComponent(cache);
    const toxiproxyBin = toxiproxyComponent(cache);
    await timed('registry', () => build(registryBin));
    await timed('toxiproxy', () => build(toxiproxyBin));

    const ctx: ImageBuildContext = { kindDir, logsDir: cache.logs, progress, record: (step, s) => (timings[step] = s) };
    guard.check();
    const netBase = await ensureNetBaseImage(ctx);
    guard.check();
    const base = await ensureNodeBaseImage(ctx, binPath(crictl, 'crictl'));
    guard.check();
    const binaries = {
      kubeApiserver: binPath(controlPlane, 'kube-apiserver'),
      kubeControllerManager: binPath(controlPlane, 'kube-controller-manager'),
      kubeScheduler: binPath(controlPlane, 'kube-scheduler'),
      kubeProxy: binPath(node, 'kube-proxy'),
      etcd: binPath(etcd, 'etcd'),
      coredns: binPath(coredns, 'coredns'),
      flanneld: binPath(flannel, 'flanneld'),
    };
    const preload = await ensureComponentImages(ctx, images, binaries, netBase);
    guard.check();
    const nodeImage = await ensureNodeImage(ctx, {
      kubernetesVersion: version,
      baseImage: base,
      kubelet: binPath(node, 'kubelet'),
      kubeadm: binPath(node, 'kubeadm'),
      kubectl: binPath(controlPlane, 'kubectl'),
      kubeadmImages: images,
      preload,
    });
    guard.check();
    const workloadImage = await ensureWorkloadImage(ctx);
    const registryImages = await ensureRegistryImages(ctx, { registry: binPath(registryBin, 'registry'), toxiproxy: binPath(toxiproxyBin, 'toxiproxy-server') });
    await removeOutdatedImages([netBase, base, nodeImage]);

    const toolchain: KindToolchain = {
      kubernetesVersion: version,
      kindVersion: KIND_VERSION,
      kindBinary: binPath(kind, 'kind'),
      kubectl: binPath(controlPlane, 'kubectl'),
      nodeImage,
      workloadImage,
      registryImage: registryImages.registry,
      toxiproxyImage: registryImages.toxiproxy,
      preloadedImages: preload,
      timings,
    };
    writeFileSync(stampPath(cache, version), `${JSON.stringify(toolchain, null, 2)}\n`);
    const size = (await inspectImage(nodeImage))?.size ?? 0;
    progress(`kind toolchain ready in ${secondsSince(started)} s: node image ${nodeImage} (${(size / 1e6).toFixed(0)} MB), workload image ${workloadImage}, CNI ${flannelImage}`);
    return toolchain;
  } catch (err) {
    // A step killed by the same Ctrl-C reports a confusing failure: say what really happened.
    if (guard.interrupted) throw new InfraError(`rollcall setup --kind interrupted by ${guard.interrupted}; partial work was cleaned up`, { cause: err });
    throw err;
  } finally {
    guard.dispose();
    try {
      await docker?.stop();
    } finally {
      unwound();
    }
  }
}

/**
 * The toolchain recorded by the last `setupKind`, if its kind binary is still there; the images are
 * in Docker, so check them (`inspectImage`) once Docker runs. Does not build anything.
 */
export function readKindToolchain(opts: { kubernetesVersion?: string; cacheRoot?: string } = {}): KindToolchain | undefined {
  const { version } = parseKubernetesVersion(opts.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION);
  const stamp = readStamp(cacheLayout(opts.cacheRoot ?? cacheRoot()), version);
  if (!stamp || !existsSync(stamp.kindBinary) || !existsSync(stamp.kubectl)) return undefined;
  return stamp;
}

function stampPath(cache: CacheLayout, version: string): string {
  return join(kindCacheDir(cache), `toolchain-v${version}.json`);
}

function readStamp(cache: CacheLayout, version: string): KindToolchain | undefined {
  try {
    return JSON.parse(readFileSync(stampPath(cache, version), 'utf8')) as KindToolchain;
  } catch {
    return undefined;
  }
}

/** Checks for Go once, and only if something has to be built. */
function lazyGo(): () => Promise<void> {
  let checked: Promise<string> | undefined;
  return async () => {
    await (checked ??= requireGo());
  };
}

/** Older builds of our own images (other recipes) are untagged so they do not pile up. */
async function removeOutdatedImages(current: string[]): Promise<void> {
  for (const ref of current) {
    const repo = ref.slice(0, ref.lastIndexOf(':'));
    const tags = await execa('docker', ['image', 'ls', repo, '--format', '{{.Repository}}:{{.Tag}}'], { reject: false });
    const versionPrefix = ref.slice(0, ref.lastIndexOf('-') + 1);
    const old = tags.stdout.split('\n').filter((t) => t && t !== ref && t.startsWith(versionPrefix));
    if (old.length > 0) await execa('docker', ['image', 'rm', ...old], { reject: false });
  }
  await execa('docker', ['image', 'prune', '--force', '--filter', `label=${RECIPE_LABEL}`], { reject: false });
}

/** Build containers and scratch folders of an interrupted run (its pid is gone) are removed. */
async function removeStaleBuildLeftovers(kindDir: string): Promise<void> {
  const ps = await execa('docker', ['ps', '-a', '--filter', 'name=rollcall-node-build-', '--format', '{{.Names}}'], { reject: false });
  for (const name of ps.stdout.split('\n').filter(Boolean)) {
    const pid = Number(name.split('-').pop());
    if (!isRunning(pid)) await execa('docker', ['rm', '-f', '-v', name], { reject: false });
  }
  const work = join(kindDir, 'work');
  if (!existsSync(work)) return;
  for (const entry of readdirSync(work)) {
    const pid = Number(entry.split('-').pop());
    if (Number.isInteger(pid) && !isRunning(pid)) {
      await execa('sh', ['-c', `grep -o ' ${join(work, entry)}/[^ ]*' /proc/self/mounts | sort -r | xargs -r -n1 umount -l; rm -rf '${join(work, entry)}'`], { reject: false });
    }
  }
}

