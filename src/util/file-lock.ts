// A cross-process lock (a folder created atomically), with stale locks of dead processes taken over.
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isRunning } from './processes.js';

/** A lock folder this old without a pid file was left by a holder killed while taking it. */
const ORPHAN_MS = 5000;

/** How long ago `path` was made (0 when it is gone). */
function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

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
    // A holder killed between creating the folder and writing its pid leaves a lock without one.
    else if (Number.isNaN(owner) && ageMs(path) > ORPHAN_MS) rmSync(path, { recursive: true, force: true });
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for lock ${path} (held by pid ${owner})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
