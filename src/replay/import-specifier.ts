// What a generated scenario imports rollcall's API from: 'rollcall' in a user's repository, where it is
// installed, or a relative path to src/index.js when the scenario is written inside this checkout.
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { PACKAGE_ROOT } from '../util/package-root.js';

/** `rollcall`, unless `scenarioFile` lies inside the rollcall checkout running now (then e.g. `../src/index.js`). */
export function importSpecifier(scenarioFile: string, root: string = PACKAGE_ROOT): string {
  const real = (p: string) => (existsSync(p) ? realpathSync(p) : resolve(p));
  const checkout = real(root);
  const dir = real(dirname(resolve(scenarioFile)));
  const inside = dir === checkout || dir.startsWith(checkout.endsWith(sep) ? checkout : `${checkout}${sep}`);
  // An installed package has dist/ and no src/index.ts: there, user files import the package by name.
  if (!inside || !existsSync(join(checkout, 'src', 'index.ts'))) return 'rollcall';
  const rel = relative(dir, join(checkout, 'src', 'index.js')).split(sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}
