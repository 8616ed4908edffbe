// Content hashes that decide whether a cached image is still current: a changed file or version rebuilds it.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { packageFile } from '../../util/package-root.js';
import { KIND_RECIPE } from './kind-versions.js';

/** The kind recipe's source folder (node-files/, image-files/, go-stubs/), shipped as is in the package. */
export const KIND_SOURCE_DIR = packageFile('src', 'toolchain', 'kind');

/** Short sha256 of strings and of every file (path, mode and content) under the given folders. */
export function recipeHash(parts: Array<string | { dir: string }>): string {
  const h = createHash('sha256');
  h.update(`recipe:${KIND_RECIPE}\n`);
  for (const part of parts) {
    if (typeof part === 'string') {
      h.update(`s:${part}\n`);
      continue;
    }
    for (const file of listFiles(part.dir)) {
      const st = statSync(file);
      h.update(`f:${relative(part.dir, file)}:${(st.mode & 0o111) !== 0 ? 'x' : '-'}\n`);
      h.update(readFileSync(file));
    }
  }
  return h.digest('hex').slice(0, 12);
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(p));
    else if (entry.isFile()) out.push(p);
  }
  return out;
}
