// .ci/run builds Kubernetes 1.35.4 (rehearse's --against) and then the kind toolchain in the
// background while the kwok tests run (vitest.config.ts runs the tests that need them last).
// ROLLCALL_BACKGROUND_SETUP names the folder where each build writes its exit code when it ends
// (`kubernetes-1.35.4.rc`, `kind.rc`, beside `setup.log`); a test waits here for the one it needs.
// Unset (a developer's `npm test`), there is nothing to wait for: the tests find the toolchains
// built, or build them, or say why they skip.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const LIMIT_MS = 60 * 60_000;

export async function backgroundSetupDone(build: 'kubernetes-1.35.4' | 'kind'): Promise<void> {
  const dir = process.env.ROLLCALL_BACKGROUND_SETUP;
  if (!dir) return;
  const file = join(dir, `${build}.rc`);
  const deadline = Date.now() + LIMIT_MS;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`the background build of ${build} did not finish within ${LIMIT_MS / 60_000} min (no ${file})`);
    await sleep(2000);
  }
  const code = readFileSync(file, 'utf8').trim();
  if (code !== '0') throw new Error(`the background build of ${build} failed (exit ${code}); see ${join(dir, 'setup.log')}`);
}
