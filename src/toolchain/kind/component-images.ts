// The images a kind node preloads: control plane, kube-proxy, etcd, CoreDNS, pause and the CNI, each
// packaging a binary we built, tagged with the exact name kubeadm (or our CNI manifest) asks for.
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { execa } from 'execa';
import { InfraError } from '../../util/errors.js';
import { imageIsCurrent, RECIPE_LABEL, runPipeline, sh } from './docker-cli.js';
import { FLANNEL_VERSION, IMAGE_REPO } from './kind-versions.js';
import { KIND_SOURCE_DIR, recipeHash } from './recipe.js';
import { secondsSince, withWorkDir, type ImageBuildContext } from './rootfs-images.js';

/** Image names kubeadm will use, from `kubeadm config images list` of our own kubeadm. */
export interface KubeadmImages {
  apiserver: string;
  controllerManager: string;
  scheduler: string;
  proxy: string;
  etcd: string;
  coredns: string;
  pause: string;
}

export async function kubeadmImages(kubeadm: string, version: string): Promise<KubeadmImages> {
  const r = await execa(kubeadm, ['config', 'images', 'list', '--kubernetes-version', `v${version}`], { reject: false });
  if (r.exitCode !== 0) throw new InfraError(`kubeadm config images list failed: ${r.stderr.trim().split('\n').pop()}`);
  const list = r.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  const find = (name: string) => {
    const hit = list.find((ref) => ref.replace(/:[^:/]+$/, '').endsWith(`/${name}`));
    if (!hit) throw new InfraError(`kubeadm config images list did not name a ${name} image (got: ${list.join(', ')})`);
    return hit;
  };
  return {
    apiserver: find('kube-apiserver'),
    controllerManager: find('kube-controller-manager'),
    scheduler: find('kube-scheduler'),
    proxy: find('kube-proxy'),
    etcd: find('etcd'),
    coredns: find('coredns'),
    pause: find('pause'),
  };
}

/** `registry.k8s.io/etcd:3.6.8-0` -> `3.6.8`. */
export const tagOf = (ref: string) => ref.slice(ref.lastIndexOf(':') + 1);

export interface ComponentBinaries {
  kubeApiserver: string;
  kubeControllerManager: string;
  kubeScheduler: string;
  kubeProxy: string;
  etcd: string;
  coredns: string;
  flanneld: string;
}

/** One image to build: files to copy in and Dockerfile lines after FROM. */
interface ImageSpec {
  ref: string;
  from: string;
  files: Array<{ src: string; dest: string }>;
  lines: string[];
}

export const flannelImage = `${IMAGE_REPO}/flannel:v${FLANNEL_VERSION}`;

/** Builds every image a node preloads that is missing or stale; returns their references. */
export async function ensureComponentImages(ctx: ImageBuildContext, images: KubeadmImages, bins: ComponentBinaries, netBase: string): Promise<string[]> {
  const path = 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
  const specs: ImageSpec[] = [
    { ref: images.apiserver, from: 'scratch', files: [{ src: bins.kubeApiserver, dest: '/usr/local/bin/kube-apiserver' }], lines: [path] },
    { ref: images.controllerManager, from: 'scratch', files: [{ src: bins.kubeControllerManager, dest: '/usr/local/bin/kube-controller-manager' }], lines: [path] },
    { ref: images.scheduler, from: 'scratch', files: [{ src: bins.kubeScheduler, dest: '/usr/local/bin/kube-scheduler' }], lines: [path] },
    { ref: images.proxy, from: netBase, files: [{ src: bins.kubeProxy, dest: '/usr/local/bin/kube-proxy' }], lines: [] },
    { ref: images.etcd, from: 'scratch', files: [{ src: bins.etcd, dest: '/usr/local/bin/etcd' }], lines: [path] },
    { ref: images.coredns, from: 'scratch', files: [{ src: bins.coredns, dest: '/coredns' }], lines: ['ENTRYPOINT ["/coredns"]'] },
    { ref: images.pause, from: 'scratch', files: [{ src: 'PAUSE', dest: '/pause' }], lines: ['ENTRYPOINT ["/pause"]'] },
    {
      ref: flannelImage,
      from: netBase,
      files: [
        { src: bins.flanneld, dest: '/opt/bin/flanneld' },
        { src: join(KIND_SOURCE_DIR, 'image-files', 'rollcall-flannel'), dest: '/usr/local/bin/rollcall-flannel' },
      ],
      lines: [],
    },
  ];
  const log = join(ctx.logsDir, 'kind-component-images.log');
  const imageFiles = { dir: join(KIND_SOURCE_DIR, 'image-files') };
  const started = Date.now();
  let built = 0;
  await withWorkDir(ctx.kindDir, 'images', async (work) => {
    let pause: string | undefined;
    for (const spec of specs) {
      const binaryIds = spec.files.map((f) => (f.src === 'PAUSE' ? 'pause' : `${basename(f.src)}@${f.src}`));
      const recipe = recipeHash([spec.ref, spec.from, ...spec.lines, ...binaryIds, imageFiles]);
      if (await imageIsCurrent(spec.ref, recipe)) continue;
      const t0 = Date.now();
      built++;
      const context = join(work, spec.ref.replace(/[^a-z0-9.-]+/gi, '_'));
      mkdirSync(context, { recursive: true });
      const copies: string[] = [];
      for (const [i, f] of spec.files.entries()) {
        let src = f.src;
        if (src === 'PAUSE') src = pause ??= await buildPause(work, log);
        copyFileSync(src, join(context, `f${i}`));
        chmodSync(join(context, `f${i}`), 0o755);
        copies.push(`COPY f${i} ${f.dest}`);
      }
      writeFileSync(join(context, 'Dockerfile'), [`FROM ${spec.from}`, ...copies, ...spec.lines, `LABEL ${RECIPE_LABEL}=${recipe}`, ''].join('\n'));
      await runPipeline(`building image ${spec.ref}`, `docker build -q -t ${sh(spec.ref)} ${sh(context)}`, log);
      ctx.progress(`  image ${spec.ref} built in ${secondsSince(t0)} s`);
    }
  });
  if (built > 0) ctx.record?.('component-images', secondsSince(started));
  return specs.map((s) => s.ref);
}

/** Our own pause (image-files/pause.c), linked statically so it runs in a scratch image. */
async function buildPause(work: string, log: string): Promise<string> {
  const out = join(work, 'pause');
  await runPipeline('compiling pause.c (needs gcc and static glibc: apt-get install build-essential)', `gcc -static -Os -o ${sh(out)} ${sh(join(KIND_SOURCE_DIR, 'image-files', 'pause.c'))} && strip ${sh(out)}`, log);
  return out;
}
