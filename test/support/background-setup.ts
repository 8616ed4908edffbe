// .ci/run builds the kind toolchain and rehearse's second Kubernetes version in the background while
// the kwok tests run (vitest.config.ts runs the tests that need them last). ROLLCALL_BACKGROUND_SETUP
// names the file that build writes its exit code to; those tests wait for it here. Unset (a developer's
// `npm test`), there is nothing to wait for: the tests find the toolchains built or say why they skip.
import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const LIMIT_MS = 60 * 60_000;

export async function backgroundSetupDone(): Promise<void> {
  const file = process.env.ROLLCALL_BACKGROUND_SETUP;
  if (!file) return;
  const deadline = Date.now() + LIMIT_MS;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`the background setup did not finish within ${LIMIT_MS / 60_000} min (no ${file})`);
    await sleep(2000);
  }
  const code = readFileSync(file, 'utf8').trim();
  if (code !== '0') throw new Error(`the background setup failed (exit ${code}); see ${file.replace(/\.rc$/, '.log')}`);
}
