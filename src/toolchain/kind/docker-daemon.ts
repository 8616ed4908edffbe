// Makes sure a Docker daemon answers; starts one by hand (no systemd here) when none runs, and stops only that one.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { spawn } from 'node:child_process';
import { execa } from 'execa';
import { InfraError } from '../../util/errors.js';
import { isRunning } from '../../util/processes.js';
import type { Progress } from '../../util/progress.js';
import { cacheLayout, cacheRoot } from '../cache-dir.js';
import { kindCacheDir } from './kind-components.js';
import { KIND_SOURCE_DIR } from './recipe.js';

export interface DockerHandle {
  /** True when this handle started dockerd (and so will stop it). */
  readonly started: boolean;
  /** Stops dockerd if we started it; a no-op otherwise. Safe to call twice. */
  stop(): Promise<void>;
}

const CAP_SYS_RESOURCE = 24;
const WRAPPER_RUNTIME = 'runc-nosysres';

/** Returns once `docker info` answers. Starts dockerd when it is not running. */
export async function ensureDocker(progress: Progress, opts: { cacheRoot?: string; timeoutMs?: number } = {}): Promise<DockerHandle> {
  const info = await dockerInfo();
  if (info) {
    checkPrivilegedWorks(info);
    return { started: false, stop: async () => {} };
  }
  const dockerd = await which('dockerd');
  if (!dockerd) {
    throw new InfraError('Docker is not running and dockerd is not installed: install Docker (on Debian: apt-get install docker.io) or start your Docker daemon');
  }
  if (process.getuid?.() !== 0) {
    throw new InfraError('Docker is not running, and starting dockerd needs root: start your Docker daemon (e.g. systemctl start docker) and retry');
  }
  const dir = kindCacheDir(cacheLayout(opts.cacheRoot ?? cacheRoot()));
  mkdirSync(dir, { recursive: true });
  const logFile = join(cacheLayout(opts.cacheRoot ?? cacheRoot()).logs, 'dockerd.log');
  mkdirSync(dirname(logFile), { recursive: true });
  const args: string[] = [];
  if (!hasCapability(CAP_SYS_RESOURCE)) {
    const wrapper = await installRuncWrapper(dir);
    args.push('--add-runtime', `${WRAPPER_RUNTIME}=${wrapper}`, '--default-runtime', WRAPPER_RUNTIME);
    progress(`this host's capability bounding set lacks CAP_SYS_RESOURCE: dockerd will use ${wrapper} so --privileged containers start`);
  }
  await ensureSystemdCgroupHierarchy(progress);
  progress(`starting dockerd (log: ${logFile})`);
  const fd = openSync(logFile, 'a');
  const child = spawn(dockerd, args, { detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  child.on('error', () => {});
  child.unref();
  const pid = child.pid;
  let stopped = false;
  // Ctrl-C or a crash: do not leave a daemon we started behind.
  const onExit = () => {
    if (!stopped && pid) try { process.kill(pid, 'SIGTERM'); } catch { /* already gone */ }
  };
  process.once('exit', onExit);
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', onExit);
    if (!pid) return;
    try { process.kill(pid, 'SIGTERM'); } catch { return; }
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && isRunning(pid)) await sleep(200);
    if (isRunning(pid)) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
  };
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== undefined && child.exitCode !== null) break;
    if (await dockerInfo()) {
      progress(`dockerd is up (pid ${pid})`);
      return { started: true, stop };
    }
    await sleep(500);
  }
  await stop();
  throw new InfraError(`dockerd did not answer within ${Math.round((opts.timeoutMs ?? 60_000) / 1000)} s; see ${logFile}`);
}

interface DockerInfo { ServerVersion?: string; DefaultRuntime?: string }

async function dockerInfo(): Promise<DockerInfo | undefined> {
  const r = await execa('docker', ['info', '--format', '{{json .}}'], { reject: false, timeout: 15_000 });
  if (r.exitCode !== 0) return undefined;
  try {
    const parsed = JSON.parse(r.stdout) as DockerInfo & { ServerErrors?: string[] };
    return parsed.ServerVersion ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** A running Docker < 23 without our wrapper cannot start kind's privileged nodes on this host. */
function checkPrivilegedWorks(info: DockerInfo): void {
  if (hasCapability(CAP_SYS_RESOURCE)) return;
  const major = Number(/^(\d+)/.exec(info.ServerVersion ?? '')?.[1] ?? '0');
  if (major >= 23 || info.DefaultRuntime === WRAPPER_RUNTIME) return;
  throw new InfraError(
    `the running Docker ${info.ServerVersion} cannot start --privileged containers on this host (CAP_SYS_RESOURCE is missing from the capability bounding set): stop it and let rollcall start dockerd, or run it with --add-runtime ${WRAPPER_RUNTIME}=<wrapper> --default-runtime ${WRAPPER_RUNTIME}`,
  );
}

/** Whether the capability is in this process's bounding set (inherited by everything we start). */
export function hasCapability(cap: number): boolean {
  const m = /^CapBnd:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
  if (!m) return true;
  return ((BigInt(`0x${m[1]}`) >> BigInt(cap)) & 1n) === 1n;
}

async function installRuncWrapper(dir: string): Promise<string> {
  const runc = await which('runc');
  if (!runc) throw new InfraError('runc is not installed (it comes with Docker: apt-get install docker.io)');
  if (!(await which('jq'))) throw new InfraError(`jq is needed by the runc wrapper for this host (apt-get install jq)`);
  const source = join(KIND_SOURCE_DIR, 'runc-nosysres.sh');
  const target = join(dir, WRAPPER_RUNTIME);
  writeFileSync(target, readFileSync(source, 'utf8').replace('@REAL_RUNC@', runc), { mode: 0o755 });
  return target;
}

/**
 * Nodes run systemd, which needs a `name=systemd` cgroup v1 hierarchy on the host; hosts that do
 * not run systemd themselves may lack it.
 */
async function ensureSystemdCgroupHierarchy(progress: Progress): Promise<void> {
  if (existsSync('/sys/fs/cgroup/cgroup.controllers')) return; // cgroup v2
  if (/\bname=systemd\b/.test(readFileSync('/proc/self/mountinfo', 'utf8'))) return;
  progress('mounting the name=systemd cgroup hierarchy (needed by systemd inside kind nodes)');
  mkdirSync('/sys/fs/cgroup/systemd', { recursive: true });
  const r = await execa('mount', ['-t', 'cgroup', '-o', 'none,name=systemd', 'cgroup', '/sys/fs/cgroup/systemd'], { reject: false });
  if (r.exitCode !== 0) throw new InfraError(`cannot mount the name=systemd cgroup hierarchy: ${r.stderr.trim()}`);
}

async function which(cmd: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/sbin'])) {
    if (dir && existsSync(join(dir, cmd))) return join(dir, cmd);
  }
  return undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
