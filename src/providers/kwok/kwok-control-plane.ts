// The control-plane processes of a kwok cluster, restarted and frozen as a crashing or hanging
// static pod would be. kwokctl's binary runtime (sigs.k8s.io/kwok pkg/utils/exec ForkExec) starts
// each component detached (setsid) in the cluster folder and keeps pids/<name>.pid, cmdline/<name>
// (its argv, NUL-separated) and logs/<name>.log; kwokctl has no per-component restart, so a restart
// here starts the same argv the same way and rewrites the pid file (kwokctl delete stops it by it).
import { spawn } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeClient } from '../../kube/kube-client.js';
import { apiGet, rawGet } from '../../kube/raw-get.js';
import { InfraError } from '../../util/errors.js';
import { formatMs } from '../../util/duration.js';
import { isRunning, processState, waitGone, waitThreadsGone } from '../../util/processes.js';
import { sleep } from '../../util/sleep.js';
import type { ControlPlaneComponent, ControlPlaneProcesses, ControlPlaneWait } from '../cluster.js';

/** How long a SIGTERMed component may take to exit before it is SIGKILLed. */
const TERM_GRACE_MS = 15_000;
/** Each probe's own deadline: a frozen server answers nothing. */
const PROBE_TIMEOUT_MS = 2000;
const POLL_MS = 250;
/** A component that keeps exiting during one settle is started this often, then reported. */
const MAX_REVIVALS = 3;
/** Components that hold a lease in kube-system while they work (leader election, on by default). */
const LEADER_ELECTED: readonly string[] = ['kube-controller-manager', 'kube-scheduler'];

export class KwokControlPlane implements ControlPlaneProcesses {
  constructor(private readonly dir: string, private readonly kube: () => KubeClient) {}

  async restart(component: ControlPlaneComponent, wait: ControlPlaneWait): Promise<void> {
    this.rememberCommandLines();
    const deadline = Date.now() + wait.timeoutMs;
    const pid = this.pid(component);
    if (pid !== undefined && isRunning(pid)) await stop(pid);
    await waitThreadsGone(pid);
    const startedAt = this.start(component, 'restarted by rollcall');
    const seen = await this.serving(component, startedAt, deadline, wait.signal);
    if (seen === EXITED) throw new InfraError(`${component} exited right after its restart: ${this.lastLogLine(component)} (log: ${this.logFile(component)})`);
    if (seen !== true) throw this.deadline(component, 'its restart', wait.timeoutMs, seen);
  }

  async pause(component: ControlPlaneComponent): Promise<number> {
    this.rememberCommandLines();
    const pid = this.pid(component);
    if (pid === undefined || !isRunning(pid)) throw new InfraError(`${component} is not running (pid file ${this.pidFile(component)}), so it cannot be paused`);
    process.kill(pid, 'SIGSTOP');
    const until = Date.now() + 5000;
    while (processState(pid) !== 'T' && Date.now() < until) await sleep(20);
    if (processState(pid) !== 'T') throw new InfraError(`${component} (pid ${pid}) did not stop after SIGSTOP (state ${processState(pid) ?? 'gone'})`);
    return pid;
  }

  resume(component: ControlPlaneComponent): void {
    // By the pid file: the component's current process, the one a pause stopped.
    const pid = this.pid(component);
    if (pid !== undefined && processState(pid) === 'T') process.kill(pid, 'SIGCONT');
  }

  async settle(sinceEpochMs: number, wait: ControlPlaneWait): Promise<string[]> {
    this.rememberCommandLines();
    const deadline = Date.now() + wait.timeoutMs;
    const notes: string[] = [];
    // etcd first: nothing else can serve without it; kwok's own controller has no probe, only a process.
    for (const component of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', ...this.others()]) {
      let since = sinceEpochMs;
      for (let revived = 0; ; revived++) {
        const seen = await this.serving(component, since, deadline, wait.signal);
        if (seen === true) break;
        if (seen !== EXITED) throw this.deadline(component, `the fault ended (${new Date(sinceEpochMs).toISOString()})`, wait.timeoutMs, seen);
        if (revived === MAX_REVIVALS) throw new InfraError(`${component} exited ${revived + 1} times after the fault: ${this.lastLogLine(component)} (log: ${this.logFile(component)})`);
        notes.push(`${component} had exited (${this.lastLogLine(component)}); started it again, as the kubelet restarts a static pod`);
        // Its listeners close with its last thread; then back off a little more each time, as the kubelet does.
        await waitThreadsGone(this.pid(component));
        await sleep(500 * 2 ** revived);
        since = this.start(component, 'started again by rollcall after it exited');
      }
    }
    return notes;
  }

  /** The component's pid from kwokctl's pid file, if it has one. */
  pid(component: string): number | undefined {
    try {
      const pid = Number(readFileSync(this.pidFile(component), 'utf8').trim());
      return Number.isInteger(pid) && pid > 1 ? pid : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * kwokctl (v0.8) keeps a pid file per component but not its command line: while each component
   * still runs, its argv is copied from /proc into cmdline/<name>, so it can be started again.
   */
  private rememberCommandLines(): void {
    mkdirSync(join(this.dir, 'cmdline'), { recursive: true });
    for (const f of readdirSync(join(this.dir, 'pids'))) {
      const component = f.replace(/\.pid$/, '');
      const file = join(this.dir, 'cmdline', component);
      const pid = this.pid(component);
      if (existsSync(file) || pid === undefined || !isRunning(pid)) continue;
      try {
        writeFileSync(file, readFileSync(`/proc/${pid}/cmdline`));
      } catch { /* it exited just now: settle starts it from what is kept, or says so */ }
    }
  }

  /** Components kwokctl started beyond the four (kwok's controller): only kept running. */
  private others(): string[] {
    const known = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'];
    try {
      return readdirSync(join(this.dir, 'cmdline')).filter((c) => !known.includes(c)).sort();
    } catch {
      return [];
    }
  }

  /** Starts the component with kwokctl's argv for it, detached like kwokctl does; returns when (epoch ms). */
  private start(component: string, why: string): number {
    const cmdlineFile = join(this.dir, 'cmdline', component);
    if (!existsSync(cmdlineFile)) throw new InfraError(`${component}: kwokctl left no command line at ${cmdlineFile}`);
    const argv = readFileSync(cmdlineFile, 'utf8').split('\0').filter((a) => a !== '');
    const log = this.logFile(component);
    // Appended, not truncated as kwokctl does: the log before the restart is evidence too.
    appendFileSync(log, `\n--- ${new Date().toISOString()} ${why} ---\n`);
    const fd = openSync(log, 'a');
    const startedAt = Date.now();
    try {
      const child = spawn(argv[0]!, argv.slice(1), { cwd: this.dir, detached: true, stdio: ['ignore', fd, fd] });
      child.unref();
      if (child.pid === undefined) throw new InfraError(`${component}: could not start ${argv[0]}`);
      // Spawn errors (ENOENT) arrive as an event; the pid check above already failed for them.
      child.on('error', () => {});
      writeFileSync(this.pidFile(component), String(child.pid));
    } finally {
      closeSync(fd);
    }
    return startedAt;
  }

  /**
   * Polls until the component serves (true), its process is gone (EXITED), or the deadline passes
   * (what the last probe saw). `since`: a leader-elected component must have renewed its lease since.
   */
  private async serving(component: string, since: number, deadline: number, signal?: AbortSignal): Promise<true | string | typeof EXITED> {
    let seen = 'not probed yet';
    for (;;) {
      signal?.throwIfAborted();
      const pid = this.pid(component);
      if (pid === undefined || !isRunning(pid)) return EXITED;
      const probe = await this.probe(component, since).catch((err: unknown) => (err instanceof Error ? err.message : String(err)));
      if (probe === true) return true;
      seen = probe;
      if (Date.now() >= deadline) return seen;
      await sleep(POLL_MS);
    }
  }

  /** One look at whether the component does its job; a string says what it saw instead. */
  private async probe(component: string, since: number): Promise<true | string> {
    const kubeconfig = this.kube().kubeconfig;
    const readyz = async (): Promise<true | string> => {
      const r = await apiGet(kubeconfig, '/readyz?verbose', PROBE_TIMEOUT_MS);
      return r.status === 200 || `kube-apiserver /readyz answered ${r.status}: ${failingChecks(r.body)}`;
    };
    const args = this.argv(component);
    switch (component) {
      case 'kube-apiserver':
        return readyz();
      case 'etcd': {
        const url = flag(args, 'advertise-client-urls')?.split(',')[0];
        if (url) {
          const r = await rawGet(`${url}/health`, PROBE_TIMEOUT_MS);
          if (!/"health":\s*"true"/.test(r.body)) return `etcd /health answered ${r.status}: ${r.body.trim().slice(0, 200)}`;
        }
        // etcd answering is not enough: the API server must reach it again.
        return readyz();
      }
      case 'kube-controller-manager':
      case 'kube-scheduler': {
        const port = flag(args, 'secure-port');
        if (port && port !== '0') {
          const r = await rawGet(`https://${flag(args, 'bind-address') ?? '127.0.0.1'}:${port}/healthz`, PROBE_TIMEOUT_MS);
          if (r.status !== 200) return `${component} /healthz answered ${r.status}: ${r.body.trim().slice(0, 200)}`;
        }
        if (!LEADER_ELECTED.includes(component) || flag(args, 'leader-elect') === 'false') return true;
        // A controller manager that serves /healthz but does not lead does nothing: its lease tells.
        const r = await apiGet(kubeconfig, `/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/${component}`, PROBE_TIMEOUT_MS);
        if (r.status !== 200) return `lease kube-system/${component}: ${r.status}`;
        const spec = (JSON.parse(r.body) as { spec?: { holderIdentity?: string; renewTime?: string } }).spec;
        const renewed = spec?.renewTime ? Date.parse(spec.renewTime) : NaN;
        if (!spec?.holderIdentity || !(renewed >= since)) {
          return `lease kube-system/${component} held by ${spec?.holderIdentity ?? 'nobody'}, last renewed ${Number.isNaN(renewed) ? 'never' : `${formatMs(since - renewed)} before ${new Date(since).toISOString()}`}`;
        }
        return true;
      }
      default:
        return true;
    }
  }

  private argv(component: string): string[] {
    try {
      return readFileSync(join(this.dir, 'cmdline', component), 'utf8').split('\0');
    } catch {
      return [];
    }
  }

  private pidFile(component: string): string {
    return join(this.dir, 'pids', `${component}.pid`);
  }

  private logFile(component: string): string {
    return join(this.dir, 'logs', `${component}.log`);
  }

  private lastLogLine(component: string): string {
    try {
      const lines = readFileSync(this.logFile(component), 'utf8').trim().split('\n');
      return (lines.at(-1) ?? '').slice(0, 300) || 'its log is empty';
    } catch {
      return 'no log';
    }
  }

  private deadline(component: string, after: string, timeoutMs: number, seen: string): InfraError {
    return new InfraError(`${component} did not serve again within ${formatMs(timeoutMs)} of ${after}: ${seen} (log: ${this.logFile(component)})`);
  }
}

const EXITED = Symbol('exited');

/** SIGTERM, then SIGKILL if it has not exited after the grace period. */
async function stop(pid: number): Promise<void> {
  process.kill(pid, 'SIGTERM');
  // A stopped process would keep the SIGTERM pending forever.
  process.kill(pid, 'SIGCONT');
  if (!(await waitGone([pid], TERM_GRACE_MS)).length) return;
  process.kill(pid, 'SIGKILL');
  if ((await waitGone([pid], 5000)).length) throw new InfraError(`pid ${pid} did not exit after SIGKILL`);
}

/** The value of `--name=value` (or `--name value`) in an argv. */
function flag(args: string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i]!.startsWith(`--${name}=`)) return args[i]!.slice(name.length + 3);
    if (args[i] === `--${name}`) return args[i + 1];
  }
  return undefined;
}

/** The failing lines of a verbose readyz answer ("[-]etcd failed: ..."), or its start. */
function failingChecks(body: string): string {
  const failing = body.split('\n').filter((l) => l.startsWith('[-]'));
  return (failing.length ? failing.join('; ') : body.trim()).slice(0, 300);
}
