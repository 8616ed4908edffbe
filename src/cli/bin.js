#!/usr/bin/env node
// Entry point for `rollcall`: registers tsx (users' scenarios are .ts files), then runs the CLI:
// the compiled dist/cli/main.js in an installed package, ./main.ts in a checkout (no dist/ there).
import { existsSync } from 'node:fs';
import { register } from 'tsx/esm/api';
import { register as registerCjs } from 'tsx/cjs/api';

register();
registerCjs(); // a .ts scenario under a package.json without "type": "module" is CommonJS
const built = new URL('../../dist/cli/main.js', import.meta.url);
const { main } = await import(existsSync(built) ? built.href : './main.ts').catch((err) => {
  // Should a dependency ever bring in undici 8 (Node 22.19+), say what to do instead of a stack trace.
  if (!/[\\/]undici[\\/]/.test(String(err?.stack))) throw err;
  process.stderr.write(`rollcall: error: on Node before 22.19 (this is ${process.version}) add "overrides": { "undici": "7.30.2" } to package.json and run npm install again (a dependency pulled in undici 8, which needs Node 22.19+)\n`);
  process.exit(2);
});
process.exitCode = await main(process.argv.slice(2));
