// A cross-process lock (a folder created atomically), with stale locks of dead processes taken over.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isRunning } from './processes.js';

/** Waits until this process holds the lock at `path`; returns the release function. */
export async function acquireLock(path: string, timeoutMs = 120_000, signal?: AbortSignal): Promise<() => void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    signal?.throwIfAborted();
    try {
      mkdirSync(path);
      writeFileSync(join(path, 'pid'), String(process.pid));
      return () => rmSync(path, { recursive: true, force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let owner = NaN;
    try {
      owner = Number(readFileSync(join(path, 'pid'), 'utf8'));
    } catch {
      /* being created or released right now */
    }
    if (Number.isInteger(owner) && owner > 0 && !isRunning(owner)) rmSync(path, { recursive: true, force: true });
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for lock ${path} (held by pid ${owner})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
