// Makes sure a Docker daemon answers; starts one by hand (no systemd here) when none runs, and stops only that one.
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { spawn } from 'node:child_process';
import { execa } from 'execa';
import { InfraError } from '../../util/errors.js';
import { acquireLock } from '../../util/file-lock.js';
import { commandLine, isRunning } from '../../util/processes.js';
import type { Progress } from '../../util/progress.js';
import { cacheLayout, cacheRoot } from '../cache-dir.js';
import { kindCacheDir } from './kind-components.js';
import { KIND_SOURCE_DIR } from './recipe.js';

export interface DockerHandle {
  /** True when this handle started dockerd. */
  readonly started: boolean;
  /**
   * Gives this handle's lease back. dockerd stops when rollcall started it (in this process or
   * another) and no other live process holds a lease: a test file or `--jobs` run that started it
   * never stops it under another one. Safe to call twice.
   */
  stop(): Promise<void>;
}

const CAP_SYS_RESOURCE = 24;
const WRAPPER_RUNTIME = 'runc-nosysres';

/** Where the leases, the pid of the dockerd rollcall started, and the lock that orders them live. */
function daemonFiles(root: string) {
  const dir = kindCacheDir(cacheLayout(root));
  return { root, dir, leases: join(dir, 'docker-leases'), started: join(dir, 'dockerd.pid'), lock: join(dir, 'docker.lock') };
}

let leaseSeq = 0;
/** This process's leases, with the files of the cache each was taken in. */
const heldLeases = new Map<string, ReturnType<typeof daemonFiles>>();

/** Returns once `docker info` answers. Starts dockerd when it is not running; every handle holds a lease on it. */
export async function ensureDocker(progress: Progress, opts: { cacheRoot?: string; timeoutMs?: number } = {}): Promise<DockerHandle> {
  const files = daemonFiles(opts.cacheRoot ?? cacheRoot());
  mkdirSync(files.leases, { recursive: true });
  // One process at a time decides whether to start dockerd, so two never start it at once.
  const unlock = await acquireLock(files.lock);
  const lease = join(files.leases, `${process.pid}-${++leaseSeq}`);
  writeFileSync(lease, '');
  heldLeases.set(lease, files);
  if (heldLeases.size === 1) process.once('exit', onExit);
  let started = false;
  let failure: unknown;
  try {
    const info = await dockerInfo();
    if (info) checkPrivilegedWorks(info);
    else {
      await startDockerd(progress, files, opts.timeoutMs ?? 60_000);
      started = true;
    }
  } catch (err) {
    failure = err;
  } finally {
    unlock();
  }
  if (failure !== undefined) {
    // A daemon that started but never answered is not left behind.
    dropLease(lease);
    await stopIfUnused(files);
    throw failure;
  }
  let stopped = false;
  return {
    started,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      dropLease(lease);
      await stopIfUnused(files);
    },
  };
}

function dropLease(lease: string): void {
  heldLeases.delete(lease);
  rmSync(lease, { force: true });
  if (heldLeases.size === 0) process.removeListener('exit', onExit);
}

/** Leases of live processes, other than the dead ones a killed run left (removed on the way). */
function liveLeases(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => {
    const pid = Number(f.split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && isRunning(pid)) return true;
    rmSync(join(dir, f), { force: true });
    return false;
  });
}

/** The dockerd rollcall started, if it still runs (a reused pid of another program does not count). */
function startedDockerd(startedFile: string): number | undefined {
  if (!existsSync(startedFile)) return undefined;
  const pid = Number(readFileSync(startedFile, 'utf8'));
  if (Number.isInteger(pid) && pid > 0 && isRunning(pid) && (commandLine(pid) ?? '').includes('dockerd')) return pid;
  rmSync(startedFile, { force: true });
  return undefined;
}

/**
 * Stops the dockerd rollcall started once no live process holds a lease on it; returns its pid if it
 * stopped it. `rollcall gc` calls it too, for a daemon a killed run left.
 */
export async function stopIfUnused(files: { leases: string; started: string; lock: string }): Promise<number | undefined> {
  if (!existsSync(files.started)) return undefined; // rollcall started no dockerd here
  const unlock = await acquireLock(files.lock);
  try {
    if (liveLeases(files.leases).length > 0) return undefined;
    const pid = startedDockerd(files.started);
    if (pid === undefined) return undefined;
    try { process.kill(pid, 'SIGTERM'); } catch { return undefined; }
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && isRunning(pid)) await sleep(200);
    if (isRunning(pid)) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    rmSync(files.started, { force: true });
    return pid;
  } finally {
    unlock();
  }
}

/** `rollcall gc`: stops a dockerd that rollcall started and that no live process uses any more. */
export function reclaimDocker(root: string = cacheRoot()): Promise<number | undefined> {
  return stopIfUnused(daemonFiles(root));
}

// Ctrl-C or a crash: give our leases back, and stop the daemon if nobody else uses it (no time to wait).
function onExit(): void {
  const caches = new Map([...heldLeases.values()].map((f) => [f.dir, f]));
  for (const lease of heldLeases.keys()) rmSync(lease, { force: true });
  heldLeases.clear();
  for (const files of caches.values()) {
    if (liveLeases(files.leases).length > 0) continue;
    const pid = startedDockerd(files.started);
    if (pid !== undefined) try { process.kill(pid, 'SIGTERM'); } catch { /* already gone */ }
  }
}

async function startDockerd(progress: Progress, files: ReturnType<typeof daemonFiles>, timeoutMs: number): Promise<void> {
  const dockerd = await which('dockerd');
  if (!dockerd) {
    throw new InfraError('Docker is not running and dockerd is not installed: install Docker (on Debian: apt-get install docker.io) or start your Docker daemon');
  }
  if (process.getuid?.() !== 0) {
    throw new InfraError('Docker is not running, and starting dockerd needs root: start your Docker daemon (e.g. systemctl start docker) and retry');
  }
  const logFile = join(cacheLayout(files.root).logs, 'dockerd.log');
  mkdirSync(dirname(logFile), { recursive: true });
  const args: string[] = [];
  if (!hasCapability(CAP_SYS_RESOURCE)) {
    const wrapper = await installRuncWrapper(files.dir);
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
  if (child.pid) writeFileSync(files.started, String(child.pid));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== undefined && child.exitCode !== null) break;
    if (await dockerInfo()) {
      progress(`dockerd is up (pid ${child.pid})`);
      return;
    }
    await sleep(500);
  }
  throw new InfraError(`dockerd did not answer within ${Math.round(timeoutMs / 1000)} s; see ${logFile}`);
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
