// Ctrl-C during a long build: let the running step fail, clean up through the normal `finally`
// blocks (build container, scratch folders, the dockerd we started), then report the interruption.
import { InfraError } from '../../util/errors.js';
import type { Progress } from '../../util/progress.js';

export interface InterruptGuard {
  /** Throws if a signal arrived; call between steps. */
  check(): void;
  readonly interrupted: NodeJS.Signals | undefined;
  dispose(): void;
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Installs handlers only when nobody else handles these signals (the CLI's runner does its own
 * cleanup); otherwise returns a guard that never fires. A second signal exits at once.
 */
export function guardInterrupts(progress: Progress): InterruptGuard {
  let got: NodeJS.Signals | undefined;
  const handler = (sig: NodeJS.Signals) => {
    if (got) process.exit(130);
    got = sig;
    progress(`${sig} received: stopping after cleaning up (press Ctrl-C again to exit at once)`);
  };
  const mine = SIGNALS.filter((s) => process.listenerCount(s) === 0);
  for (const s of mine) process.on(s, handler);
  return {
    check() {
      if (got) throw new InfraError(`interrupted by ${got}`);
    },
    get interrupted() {
      return got;
    },
    dispose() {
      for (const s of mine) process.off(s, handler);
    },
  };
}
