// Finding and stopping processes by what their command line mentions (Linux /proc).
import { readdirSync, readFileSync } from 'node:fs';

/** Pids of processes whose command line contains `needle` (never this process). */
export function processesMentioning(needle: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const e of entries) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    if (commandLine(Number(e))?.includes(needle)) out.push(Number(e));
  }
  return out;
}

/** The pid's command line, arguments joined by spaces; undefined once it has exited. */
export function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return undefined;
  }
}

/** SIGKILLs each pid, ignoring those already gone. */
export function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

/**
 * True while the pid exists and is not a zombie (a zombie has already released everything). The
 * one liveness check: owners of records and locks, cluster components, build leftovers.
 */
export function isRunning(pid: number): boolean {
  // 0 and negative pids name process groups to kill(2): never a process of ours.
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return processState(pid) !== 'Z';
}

/** The kernel's state letter for a pid (R, S, D, T when stopped by a signal, Z), from /proc/<pid>/stat. */
export function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return undefined;
  }
}

/**
 * Waits until every thread of `pid` has exited. A Go program's main thread can show as a zombie
 * while its other threads still close its listeners, so "not running" is not yet "port free".
 */
export async function waitThreadsGone(pid: number | undefined, timeoutMs = 15_000): Promise<void> {
  if (pid === undefined) return;
  const deadline = Date.now() + timeoutMs;
  const alive = () => {
    try {
      return readdirSync(`/proc/${pid}/task`).some((t) => {
        try {
          const stat = readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8');
          return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
        } catch {
          return false;
        }
      });
    } catch {
      return false;
    }
  };
  while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}

/** Waits until none of the pids is running; returns those still running at the deadline. */
export async function waitGone(pids: number[], timeoutMs = 10_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = pids.filter(isRunning);
    if (!left.length || Date.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 50));
  }
}
