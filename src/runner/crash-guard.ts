// Errors that escape scenario code (an 'error' event nobody listens to, a throw in a timer, a
// rejected promise nobody awaits) fail the scenario they came from instead of killing rollcall
// with its clusters still running. The async context tells which scenario a crash belongs to.
import { AsyncLocalStorage } from 'node:async_hooks';

type CrashHandler = (err: unknown) => void;

/** Routes uncaught exceptions and unhandled rejections to the scenario whose code caused them. */
export class CrashGuard {
  private readonly owner = new AsyncLocalStorage<CrashHandler>();
  private readonly active = new Set<CrashHandler>();
  private readonly onCrash = (err: unknown) => this.route(err);

  /** @param log where crashes outside any scenario are reported */
  constructor(private readonly log: (line: string) => void) {}

  /** Starts catching (idempotent); `dispose` stops. */
  install(): this {
    if (!process.listeners('uncaughtException').includes(this.onCrash)) {
      process.on('uncaughtException', this.onCrash);
      process.on('unhandledRejection', this.onCrash);
    }
    return this;
  }

  dispose(): void {
    process.off('uncaughtException', this.onCrash);
    process.off('unhandledRejection', this.onCrash);
  }

  /** Runs `fn`; a crash from anything it started, now or later, goes to `handler`. */
  run<T>(handler: CrashHandler, fn: () => T): T {
    this.active.add(handler);
    return this.owner.run(handler, fn);
  }

  /** The scenario ended: later crashes from its leftovers are only logged. */
  release(handler: CrashHandler): void {
    this.active.delete(handler);
  }

  private route(err: unknown): void {
    const handler = this.owner.getStore();
    if (handler) return handler(err);
    // No async context (e.g. a crash inside a native callback): blame whatever is running.
    if (this.active.size) for (const h of this.active) h(err);
    else this.log(`uncaught error outside any scenario: ${err instanceof Error ? err.message : String(err)}`);
  }
}
