// A cache of rollcall's own for one test file: the built binaries of the shared cache (linked, not
// copied), but its own cluster records, kwokctl workdir, logs and journals. Its `rollcall gc` then sees
// only its own runs, and other files' gc never reclaims what it left on purpose, so it can share the
// machine with them.
import { existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { cacheLayout, cacheRoot } from '../../src/toolchain/cache-dir.js';
import { tempDir } from './temp-dir.js';

/** Points this process (and every rollcall it starts) at a private cache; returns its root. */
export function usePrivateClusterState(): string {
  const shared = cacheRoot();
  const layout = cacheLayout(shared);
  const state = new Set([layout.registry, layout.kwokWorkdir, layout.logs, layout.journals].map((d) => d.slice(shared.length + 1)));
  const root = tempDir('rollcall-private-cache-');
  mkdirSync(shared, { recursive: true });
  for (const entry of readdirSync(shared)) {
    if (!state.has(entry) && existsSync(join(shared, entry))) symlinkSync(join(shared, entry), join(root, entry));
  }
  process.env.ROLLCALL_CACHE = root;
  return root;
}
