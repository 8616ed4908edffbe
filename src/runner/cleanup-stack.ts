// Undo actions registered when a resource is created, run last-in-first-out, best effort.
import { apiMessage } from '../kube/kube-client.js';

export interface CleanupEntry {
  what: string;
  run: () => Promise<void> | void;
}

export interface CleanupOutcome {
  what: string;
  ok: boolean;
  error?: string;
}

export class CleanupStack {
  private entries: CleanupEntry[] = [];
  private running?: Promise<CleanupOutcome[]>;

  /** Registers an undo; returns a function that removes it again (when the resource was already released). */
  push(what: string, run: CleanupEntry['run']): () => void {
    const entry = { what, run };
    this.entries.push(entry);
    return () => {
      this.entries = this.entries.filter((e) => e !== entry);
    };
  }

  get size(): number {
    return this.entries.length;
  }

  /** Runs every entry, newest first. A failing entry never stops the others. Idempotent while running. */
  runAll(): Promise<CleanupOutcome[]> {
    this.running ??= (async () => {
      const outcomes: CleanupOutcome[] = [];
      while (this.entries.length) {
        const entry = this.entries.pop()!;
        try {
          await entry.run();
          outcomes.push({ what: entry.what, ok: true });
        } catch (err) {
          // The API server's own reason (e.g. an admission denial), not client-node's dump of the response.
          outcomes.push({ what: entry.what, ok: false, error: apiMessage(err) });
        }
      }
      this.running = undefined;
      return outcomes;
    })();
    return this.running;
  }
}
