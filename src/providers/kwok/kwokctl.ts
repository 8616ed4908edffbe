// Runs kwokctl against rollcall's own workdir, with local binaries only (nothing is downloaded).
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { InfraError } from '../../util/errors.js';
import { acquireLock } from '../../util/file-lock.js';
import { packageFile } from '../../util/package-root.js';
import { commandLine, killAll, processesMentioning, waitGone } from '../../util/processes.js';
import type { Toolchain } from '../../toolchain/toolchain.js';

export const STAGES_FILE = packageFile('src', 'providers', 'kwok', 'stages.yaml');
/** The kwok controller's own settings (lease and stage workers). */
export const KWOK_CONTROLLER_FILE = packageFile('src', 'providers', 'kwok', 'kwok-controller.yaml');

/** Folder kwokctl keeps a cluster in (kubeconfig.yaml, pki, logs, pids, etcd data). */
export function clusterDir(tc: Toolchain, name: string): string {
  return join(tc.cache.kwokWorkdir, 'clusters', name);
}

function env(tc: Toolchain): Record<string, string> {
  return { KWOK_WORKDIR: tc.cache.kwokWorkdir, KWOK_KUBECTL_BINARY: tc.kubectl };
}

/** How the control plane's client rate limits are set: see ClusterSpec.apiLimits. */
export type ApiLimits = 'lifted' | 'production';

/** Starts the control plane. Throws an InfraError pointing at the log when kwokctl fails. */
export async function kwokctlCreate(tc: Toolchain, name: string, logFile: string, signal?: AbortSignal, extraArgs: string[] = [], apiLimits: ApiLimits = 'lifted'): Promise<void> {
  mkdirSync(dirname(logFile), { recursive: true });
  const args = [
    'create', 'cluster', '--name', name, '--runtime', 'binary',
    '--kube-apiserver-binary', tc.kubeApiserver,
    '--kube-controller-manager-binary', tc.kubeControllerManager,
    '--kube-scheduler-binary', tc.kubeScheduler,
    '--kwok-controller-binary', tc.kwok,
    '--etcd-binary', tc.etcd,
    // Do not touch ~/.kube/config: the cluster's kubeconfig lives in its own folder.
    '--kubeconfig=',
    // Real-kubelet timings (node-monitor-period 5s, grace 40s) instead of kwok's 5x slower ones.
    '--heartbeat-factor', '1',
    // Lifted: client QPS 5000 and no API priority and fairness, so nothing but CPU bounds a run.
    // Production: the components' own defaults (controller-manager QPS 20, scheduler 50, APF on).
    ...(apiLimits === 'lifted' ? ['--disable-qps-limits'] : []),
    '--wait', '90s',
    '-c', STAGES_FILE,
    '-c', KWOK_CONTROLLER_FILE,
    ...extraArgs.flatMap((a) => ['--extra-args', a]),
  ];
  appendFileSync(logFile, `$ kwokctl ${args.join(' ')}\n`);
  // kwokctl picks free ports by scanning down from 32767 and skipping those recorded by other
  // clusters in the workdir, so two creations at once pick the same ports: one at a time.
  mkdirSync(tc.cache.kwokWorkdir, { recursive: true });
  const release = await acquireLock(join(tc.cache.kwokWorkdir, 'create.lock'), 180_000, signal);
  const r = await execa(tc.kwokctl, args, {
    env: env(tc),
    reject: false,
    stdin: 'ignore',
    stdout: { file: logFile, append: true },
    stderr: { file: logFile, append: true },
    cancelSignal: signal,
    forceKillAfterDelay: 2000,
    cleanup: true,
  }).finally(release);
  if (r.isCanceled) throw new InfraError(`creating cluster ${name} was interrupted`);
  if (r.failed) {
    const why = lastError(logFile);
    throw new InfraError(`kwokctl could not start cluster ${name}${why ? `: ${why}` : ''} (log: ${logFile})`);
  }
}

/** Stops the cluster's processes and removes its folder. Never throws for an absent cluster. */
export async function kwokctlDelete(tc: Toolchain, name: string): Promise<void> {
  const dir = clusterDir(tc, name);
  // A `kwokctl create` whose rollcall was SIGKILLed goes on starting components: stop it first, or
  // it starts them after they were stopped here. Its command line names the cluster, not its folder.
  const creators = kwokctlProcesses(tc, name);
  killAll(creators);
  await waitGone(creators);
  // The cluster's processes, identified before anything is stopped (a dying process's command
  // line reads empty, so it could not be recognised afterwards).
  const before = new Set(processesMentioning(`${dir}/`));
  const pids = readPids(dir).filter((p) => before.has(p));
  // Without kwokctl (a cache where it was never built, or removed) the pid-based stop below does
  // the whole job: nothing is built just to delete.
  if (existsSync(dir) && existsSync(tc.kwokctl)) {
    await execa(tc.kwokctl, ['delete', 'cluster', '--name', name, '--kubeconfig', join(dir, 'no-such-kubeconfig')], {
      env: env(tc),
      reject: false,
      stdin: 'ignore',
      timeout: 60_000,
    });
  }
  // Belt and braces: whatever kwokctl did not stop (it was killed mid-create, say) is stopped here;
  // only processes whose command line names this cluster's folder, so a reused pid is never hit.
  const ours = processesMentioning(`${dir}/`);
  killAll(ours);
  const left = await waitGone([...new Set([...before, ...pids, ...ours])]);
  rmSync(dir, { recursive: true, force: true });
  if (left.length) throw new InfraError(`cluster ${name}: processes ${left.join(', ')} did not stop`);
}

/** kwokctl processes (of this cache's kwokctl) working on the cluster `name`. */
function kwokctlProcesses(tc: Toolchain, name: string): number[] {
  return processesMentioning(`${tc.kwokctl} `).filter((pid) => commandLine(pid)?.includes(` --name ${name} `));
}

/** Pids of the components kwokctl started (from its pids/ folder). */
export function readPids(dir: string): number[] {
  const pidsDir = join(dir, 'pids');
  if (!existsSync(pidsDir)) return [];
  return readdirSync(pidsDir).flatMap((f) => {
    const pid = Number(readFileSync(join(pidsDir, f), 'utf8').trim());
    return Number.isInteger(pid) && pid > 1 ? [pid] : [];
  });
}

/** The last error kwokctl logged, as one line, if any. */
function lastError(logFile: string): string | undefined {
  try {
    const lines = readFileSync(logFile, 'utf8').trim().split('\n').reverse();
    for (const line of lines) {
      try {
        const j = JSON.parse(line) as { level?: string; msg?: string; err?: string };
        if (j.level === 'ERROR') return [j.msg, j.err].filter(Boolean).join(': ');
      } catch {
        if (/error/i.test(line)) return line.slice(0, 300);
      }
    }
  } catch {
    /* no log */
  }
  return undefined;
}
