// Ctrl-C and SIGTERM: abort the work in progress, run the cleanup stack, then exit.
import type { CleanupStack } from './cleanup-stack.js';

export interface SignalGuard {
  signal: AbortSignal;
  /** Removes the handlers (call when the work is done). */
  dispose(): void;
}

/**
 * Installs SIGINT/SIGTERM/SIGHUP handlers that abort `signal` and run `cleanup`, then exit with
 * 128+signo. A second signal while cleaning up is ignored (cleanup must finish), a third exits.
 */
export function guardSignals(cleanup: CleanupStack, log: (line: string) => void): SignalGuard {
  const controller = new AbortController();
  let count = 0;
  const codes: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
  const handler = (sig: NodeJS.Signals) => {
    count++;
    if (count === 1) {
      log(`${sig} received: stopping and cleaning up (press Ctrl-C twice more to exit at once)`);
      controller.abort(new Error(`interrupted by ${sig}`));
      void cleanup.runAll().finally(() => process.exit(codes[sig] ?? 1));
    } else if (count >= 3) {
      process.exit(codes[sig] ?? 1);
    }
  };
  const sigs: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of sigs) process.on(s, handler);
  return {
    signal: controller.signal,
    dispose: () => {
      for (const s of sigs) process.off(s, handler);
    },
  };
}
