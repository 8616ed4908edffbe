// What `rollcall setup --kind` needs from the host, checked (and installed from Debian when it can) before anything is built.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { InfraError } from '../../util/errors.js';
import type { Progress } from '../../util/progress.js';
import { hasCapability } from './docker-daemon.js';

/** Without it in the bounding set, Docker < 23 needs rollcall's runc wrapper (see docker-daemon.ts). */
const CAP_SYS_RESOURCE = 24;

/** One thing the host must provide, and the Debian package that provides it. */
export interface Prerequisite {
  /** What it is for, as the message says it. */
  what: string;
  /** The Debian package to install. */
  debianPackage: string;
}

/** What the checks could find on the host; injected so the decision is tested without a host. */
export interface HostFacts {
  /** Absolute path of a command on PATH (or /usr/sbin, /sbin), undefined when missing. */
  which(cmd: string): string | undefined;
  /** True when a Docker daemon already answers (a running Docker needs no dockerd of ours). */
  dockerAnswers: boolean;
  /** True when `/bin/busybox` exists and is statically linked. */
  staticBusybox: boolean;
  /** True when gcc can link a static binary (static glibc, libc6-dev). */
  staticLibc: boolean;
  /** True when dockerd will need the runc wrapper (the host lacks CAP_SYS_RESOURCE). */
  needsRuncWrapper: boolean;
}

/**
 * Every prerequisite the kind toolchain build lacks on this host, in the order the build would
 * meet them. Pure: `facts` says what the host has.
 */
export function missingKindPrerequisites(facts: HostFacts): Prerequisite[] {
  const missing: Prerequisite[] = [];
  const need = (ok: boolean, what: string, debianPackage: string) => {
    if (!ok && !missing.some((m) => m.debianPackage === debianPackage)) missing.push({ what, debianPackage });
  };
  need(!!facts.which('docker') && (facts.dockerAnswers || !!facts.which('dockerd')), 'Docker (docker and dockerd)', 'docker.io');
  // runc comes with docker.io; only the wrapper for hosts without CAP_SYS_RESOURCE calls it directly.
  if (facts.needsRuncWrapper && !facts.dockerAnswers) {
    need(!!facts.which('runc'), 'runc (for the runc wrapper this host needs)', 'docker.io');
    need(!!facts.which('jq'), 'jq (used by the runc wrapper this host needs)', 'jq');
  }
  need(!!facts.which('gcc'), 'gcc (flannel links with cgo; the pause image is C)', 'gcc');
  need(facts.staticLibc, 'static glibc (libc.a, for the static pause binary)', 'libc6-dev');
  need(!!facts.which('debootstrap'), 'debootstrap (builds the node image root filesystem)', 'debootstrap');
  need(facts.staticBusybox, 'a static /bin/busybox (the workload image)', 'busybox-static');
  return missing;
}

/** The one line that tells a user what to install. */
export function prerequisiteMessage(missing: Prerequisite[], why: string): string {
  const pkgs = missing.map((m) => m.debianPackage).join(' ');
  return `rollcall setup --kind needs ${missing.map((m) => m.what).join(', ')}${why}: install them first (on Debian/Ubuntu: apt-get install ${pkgs})`;
}

/**
 * Checks the host for everything the kind toolchain needs; as root with apt-get, installs what is
 * missing from Debian, otherwise fails with one line naming the packages. Runs before any build,
 * so a missing package is not found after minutes of compiling.
 */
export async function ensureKindPrerequisites(progress: Progress, facts?: HostFacts): Promise<void> {
  let missing = missingKindPrerequisites(facts ?? (await hostFacts()));
  if (missing.length === 0) return;
  const aptGet = which('apt-get');
  if (process.getuid?.() !== 0 || !aptGet) {
    throw new InfraError(prerequisiteMessage(missing, process.getuid?.() !== 0 ? ' (not root, so rollcall does not install them)' : ' (no apt-get here)'));
  }
  const pkgs = missing.map((m) => m.debianPackage);
  progress(`installing prerequisites of the kind toolchain from Debian: ${pkgs.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = await execa(aptGet, ['update', '-qq'], { reject: false, all: true, env });
  const install = update.exitCode === 0 ? await execa(aptGet, ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], { reject: false, all: true, env }) : update;
  if (install.exitCode !== 0) {
    throw new InfraError(`${prerequisiteMessage(missing, '')}; apt-get failed: ${install.all?.trim().split('\n').slice(-2).join(' | ') ?? 'no output'}`);
  }
  missing = missingKindPrerequisites(facts ?? (await hostFacts()));
  if (missing.length) throw new InfraError(prerequisiteMessage(missing, ' (still missing after apt-get install)'));
}

/** What this host has. */
export async function hostFacts(): Promise<HostFacts> {
  const docker = which('docker');
  const dockerAnswers = !!docker && (await execa(docker, ['info', '--format', '{{.ServerVersion}}'], { reject: false, timeout: 15_000 })).exitCode === 0;
  let staticLibc = false;
  if (which('gcc')) {
    const libc = (await execa('gcc', ['-print-file-name=libc.a'], { reject: false })).stdout.trim();
    staticLibc = libc.startsWith('/') && existsSync(libc);
  }
  const busybox = '/bin/busybox';
  // Debian's dynamic `busybox` package also installs /bin/busybox; only busybox-static is usable in a scratch image.
  const staticBusybox = existsSync(busybox) && !readFileSync(busybox).includes('/lib64/ld-linux');
  return { which, dockerAnswers, staticBusybox, staticLibc, needsRuncWrapper: !hasCapability(CAP_SYS_RESOURCE) };
}

function which(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/sbin'])) {
    if (dir && existsSync(join(dir, cmd))) return join(dir, cmd);
  }
  return undefined;
}
