// A machine where nothing was built: an empty rollcall cache and no `go` on PATH. A command that
// reaches for the toolchain there fails at once, and anything it started would show in the cache.
import { existsSync, symlinkSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { tempDir } from './temp-dir.js';

let noGo: string | undefined;

/** PATH with every folder that holds `go` left out, and this `node` first. */
export function pathWithoutGo(): string {
  if (noGo === undefined) {
    const bin = tempDir('rollcall-bin-');
    symlinkSync(process.execPath, join(bin, 'node'));
    const dirs = (process.env.PATH ?? '').split(delimiter).filter((d) => d && !existsSync(join(d, 'go')));
    noGo = [bin, ...dirs].join(delimiter);
  }
  return noGo;
}

/** A fresh empty cache folder and the environment that points rollcall at it, without Go. */
export function coldEnv(): { cache: string; env: { ROLLCALL_CACHE: string; PATH: string } } {
  const cache = tempDir('rollcall-cold-cache-');
  return { cache, env: { ROLLCALL_CACHE: cache, PATH: pathWithoutGo() } };
}
