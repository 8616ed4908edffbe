// Debian rootfs images built with debootstrap and `docker import`: the kind node base and the small
// iptables base that the kube-proxy and flannel images start from.
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { InfraError } from '../../util/errors.js';
import type { Progress } from '../../util/progress.js';
import { dockerStep, imageIsCurrent, RECIPE_LABEL, runPipeline, sh } from './docker-cli.js';
import { DEBIAN_MIRROR, DEBIAN_SUITE, IMAGE_REPO } from './kind-versions.js';
import { KIND_SOURCE_DIR, recipeHash } from './recipe.js';

export interface ImageBuildContext {
  /** `<cache>/kind`: debs cache and scratch folders live here. */
  kindDir: string;
  logsDir: string;
  progress: Progress;
  /** Called with the seconds a step took when it had work to do (for the toolchain's timings). */
  record?: (step: string, seconds: number) => void;
}

/** What kind's base image carries, from Debian instead of source builds (containerd 1.6, runc 1.1, CNI plugins 1.1). */
export const NODE_PACKAGES = [
  'systemd', 'systemd-sysv', 'conntrack', 'iptables', 'nftables', 'iproute2', 'ethtool', 'util-linux', 'mount',
  'kmod', 'libseccomp2', 'pigz', 'fuse-overlayfs', 'nfs-common', 'open-iscsi', 'e2fsprogs', 'bash', 'ca-certificates',
  'curl', 'jq', 'procps', 'containerd', 'runc', 'containernetworking-plugins',
];
const NETBASE_PACKAGES = ['iptables', 'nftables', 'conntrack', 'iproute2', 'kmod'];

/** Files removed from every rootfs: documentation, locales, apt lists, logs. */
const TRIM = 'rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/apt/archives/*.deb /usr/share/doc/* /usr/share/man/* /usr/share/info/* /usr/share/locale/* /var/log/*.log /var/log/apt/*';

/** The kind node base image: systemd as PID 1, containerd, our entrypoint, units and configs. */
export async function ensureNodeBaseImage(ctx: ImageBuildContext, crictl: string): Promise<string> {
  const recipe = recipeHash(['node-base', DEBIAN_SUITE, ...NODE_PACKAGES, { dir: join(KIND_SOURCE_DIR, 'node-files') }, readFileSync(crictl).length.toString()]);
  const tag = `${IMAGE_REPO}/kind-base:${DEBIAN_SUITE}-${recipe}`;
  if (await imageIsCurrent(tag, recipe)) return tag;
  const log = join(ctx.logsDir, 'kind-base-image.log');
  ctx.progress(`building the node base image ${tag} (debootstrap ${DEBIAN_SUITE}; log: ${log})`);
  const started = Date.now();
  await withWorkDir(ctx.kindDir, 'base', async (work) => {
    const rootfs = join(work, 'rootfs');
    await debootstrap(rootfs, NODE_PACKAGES, ctx, log);
    cpSync(join(KIND_SOURCE_DIR, 'node-files'), rootfs, { recursive: true });
    copyFileSync(crictl, join(rootfs, 'usr/local/bin/crictl'));
    ctx.progress('  node base: configuring systemd units, CNI plugins and containerd');
    await runPipeline('configuring the node rootfs', `chroot ${sh(rootfs)} /bin/bash -euo pipefail -c ${sh(CONFIGURE_NODE)}`, log);
    await importRootfs(rootfs, tag, recipe, ['ENV container=docker', 'STOPSIGNAL SIGRTMIN+3', 'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]'], work, log);
  });
  ctx.record?.('base-image', secondsSince(started));
  ctx.progress(`  node base image built in ${secondsSince(started)} s`);
  return tag;
}

/** Debian minbase with iptables/nftables and our backend-selecting iptables wrapper. */
export async function ensureNetBaseImage(ctx: ImageBuildContext): Promise<string> {
  const recipe = recipeHash(['net-base', DEBIAN_SUITE, ...NETBASE_PACKAGES, { dir: join(KIND_SOURCE_DIR, 'image-files') }]);
  const tag = `${IMAGE_REPO}/kind-netbase:${DEBIAN_SUITE}-${recipe}`;
  if (await imageIsCurrent(tag, recipe)) return tag;
  const log = join(ctx.logsDir, 'kind-netbase-image.log');
  ctx.progress(`building the iptables base image ${tag} (log: ${log})`);
  const started = Date.now();
  await withWorkDir(ctx.kindDir, 'netbase', async (work) => {
    const rootfs = join(work, 'rootfs');
    await debootstrap(rootfs, NETBASE_PACKAGES, ctx, log);
    copyFileSync(join(KIND_SOURCE_DIR, 'image-files', 'iptables-select'), join(rootfs, 'usr/sbin/iptables-select'));
    await runPipeline('configuring the iptables base rootfs', `chroot ${sh(rootfs)} /bin/bash -euo pipefail -c ${sh(CONFIGURE_NETBASE)}`, log);
    await importRootfs(rootfs, tag, recipe, [], work, log);
  });
  ctx.record?.('netbase-image', secondsSince(started));
  ctx.progress(`  iptables base image built in ${secondsSince(started)} s`);
  return tag;
}

// What kind's base Dockerfile does after installing packages, for our Debian-packaged parts.
const CONFIGURE_NODE = `
rm -f /lib/systemd/system/multi-user.target.wants/* /etc/systemd/system/*.wants/* \\
  /lib/systemd/system/local-fs.target.wants/* /lib/systemd/system/sockets.target.wants/*udev* \\
  /lib/systemd/system/sockets.target.wants/*initctl* /lib/systemd/system/basic.target.wants/*
echo ReadKMsg=no >>/etc/systemd/journald.conf
ln -sf /lib/systemd/systemd /sbin/init
systemctl enable containerd.service kubelet.service rollcall-undo-cgroups-hack.service
systemctl mask systemd-binfmt.service
mkdir -p /etc/kubernetes/manifests /opt/cni/bin /kind/manifests /var/lib/kubelet
for p in /usr/lib/cni/*; do ln -sf "$p" /opt/cni/bin/; done
ctr oci spec | jq 'del(.process.rlimits)' >/etc/containerd/cri-base.json
chmod 0755 /kind /kind/bin /kind/bin/* /usr/local/bin/entrypoint /usr/local/bin/crictl
${TRIM}
`;

const CONFIGURE_NETBASE = `
chmod 0755 /usr/sbin/iptables-select
for t in iptables iptables-save iptables-restore ip6tables ip6tables-save ip6tables-restore; do
  ln -sf /usr/sbin/iptables-select /etc/alternatives/$t
done
${TRIM}
`;

async function debootstrap(rootfs: string, packages: string[], ctx: ImageBuildContext, log: string): Promise<void> {
  const found = await execa('sh', ['-c', 'command -v debootstrap'], { reject: false });
  if (found.exitCode !== 0) throw new InfraError('debootstrap is not installed; it builds the kind node image (on Debian: apt-get install debootstrap)');
  const debs = join(ctx.kindDir, 'debs');
  mkdirSync(debs, { recursive: true });
  ctx.progress(`  debootstrap ${DEBIAN_SUITE} with ${packages.length} packages`);
  await runPipeline(
    `debootstrap ${DEBIAN_SUITE}`,
    `debootstrap --variant=minbase --cache-dir=${sh(debs)} --include=${packages.join(',')} ${DEBIAN_SUITE} ${sh(rootfs)} ${DEBIAN_MIRROR}`,
    log,
  );
}

/** `docker import` of the rootfs, then a classic build adding what import cannot (STOPSIGNAL, LABEL). */
async function importRootfs(rootfs: string, tag: string, recipe: string, lines: string[], work: string, log: string): Promise<void> {
  const imported = `${tag}-rootfs`;
  await runPipeline(`importing ${tag}`, `tar -C ${sh(rootfs)} --numeric-owner -cf - . | docker import - ${sh(imported)}`, log);
  const dockerfile = [`FROM ${imported}`, 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', ...lines, `LABEL ${RECIPE_LABEL}=${recipe}`].join('\n');
  const context = join(work, 'context');
  mkdirSync(context, { recursive: true });
  await runPipeline(`building ${tag}`, `printf '%s\\n' ${sh(dockerfile)} | docker build -q -t ${sh(tag)} -f - ${sh(context)}`, log);
  await dockerStep(`untagging ${imported}`, ['image', 'rm', imported], log);
}

/** A scratch folder under `<cache>/kind/work`, removed afterwards even when a step failed. */
export async function withWorkDir<T>(kindDir: string, name: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = join(kindDir, 'work', `${name}-${process.pid}`);
  await removeWorkDir(dir);
  mkdirSync(dir, { recursive: true });
  try {
    return await fn(dir);
  } finally {
    await removeWorkDir(dir);
  }
}

/** debootstrap mounts /proc and /sys inside the rootfs; an interrupted run leaves them mounted. */
async function removeWorkDir(dir: string): Promise<void> {
  if (!existsSync(dir)) return;
  const mounts = readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[1] ?? '')
    .filter((m) => m.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const m of mounts) await execa('umount', ['-l', m], { reject: false });
  rmSync(dir, { recursive: true, force: true });
}

export function secondsSince(t: number): number {
  return Math.round((Date.now() - t) / 1000);
}
