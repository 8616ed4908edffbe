// Finds files that ship beside the code (stages.yaml, the kind recipe, package.json), from src/ or dist/.

import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/**
 * This module is src/util/package-root.ts in a checkout and dist/util/package-root.js in an
 * installed package: either way the package root is two folders up. Non-TS assets are shipped from
 * src/ (see "files" in package.json), so one path works for both.
 */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Absolute path of a file inside the rollcall package.
 *
 * @example
 * packageFile('src', 'providers', 'kwok', 'stages.yaml');
 */
export function packageFile(...segments: string[]): string {
  return join(PACKAGE_ROOT, ...segments);
}
