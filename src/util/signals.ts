// Ctrl-C, SIGTERM and SIGHUP: abort the work in progress, run its cleanup, then exit 128+signo.
import { constants } from 'node:os';
import { InfraError } from './errors.js';

/** What is cleaned up at the first signal (a CleanupStack, or anything that can wind work down). */
export interface SignalCleanup {
  runAll(): Promise<unknown>;
}

/** The handle of one piece of work guarded against signals. */
export interface SignalGuard {
  /** Aborted at the first signal; pass it to whatever can stop early. */
  readonly signal: AbortSignal;
  /** The signal that arrived, if any. */
  readonly interrupted: NodeJS.Signals | undefined;
  /** Throws if a signal arrived: call between steps of work that cannot take an AbortSignal. */
  check(): void;
  /** Ends the guard (call when the work is done). Once a signal arrived, the exit still follows. */
  dispose(): void;
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

interface Guarded {
  controller: AbortController;
  cleanup: SignalCleanup;
  log: (line: string) => void;
}

/** Guards in the order they were installed: work started inside guarded work nests. */
const active: Guarded[] = [];
let received: NodeJS.Signals | undefined;
let count = 0;

function onSignal(sig: NodeJS.Signals): void {
  count++;
  const code = 128 + (constants.signals[sig] ?? 0);
  if (count === 1) {
    received = sig;
    const guards = [...active].reverse();
    guards.at(-1)?.log(`${sig} received: stopping and cleaning up (press Ctrl-C twice more to exit at once)`);
    for (const g of guards) g.controller.abort(new InfraError(`interrupted by ${sig}`));
    // Newest first, like the cleanup stacks themselves: inner work may use what outer work set up.
    void (async () => {
      for (const g of guards) await g.cleanup.runAll().catch(() => {});
    })().finally(() => process.exit(code));
  } else if (count >= 3) {
    // The second is ignored so that cleanup can finish; a third means the user really wants out.
    process.exit(code);
  }
}

/**
 * Guards work against SIGINT/SIGTERM/SIGHUP. The first signal aborts `signal`, runs `cleanup`
 * and exits with 128+signo; a second is ignored (cleanup must finish); a third exits at once.
 * Guards nest: one set of process handlers serves them all, and the first signal aborts every
 * active guard and runs their cleanups newest first.
 *
 * @example
 * const guard = guardSignals(cleanup, progress);
 * try { await work(guard.signal); } finally { guard.dispose(); }
 */
export function guardSignals(cleanup: SignalCleanup, log: (line: string) => void): SignalGuard {
  const g: Guarded = { controller: new AbortController(), cleanup, log };
  // A guard made after a signal arrived (during cleanup) starts aborted: no new work now.
  if (received) g.controller.abort(new InfraError(`interrupted by ${received}`));
  if (!active.length && !count) for (const s of SIGNALS) process.on(s, onSignal);
  active.push(g);
  return {
    signal: g.controller.signal,
    get interrupted() {
      return g.controller.signal.aborted ? received : undefined;
    },
    check() {
      g.controller.signal.throwIfAborted();
    },
    dispose() {
      const i = active.indexOf(g);
      if (i >= 0) active.splice(i, 1);
      // After a signal the handlers stay until the exit, so that the count goes on.
      if (!active.length && !count) for (const s of SIGNALS) process.off(s, onSignal);
    },
  };
}
