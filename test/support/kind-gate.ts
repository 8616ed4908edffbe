// Whether the kind tests run: they need what `rollcall setup --kind` built. Where CI asks for them
// (ROLLCALL_REQUIRE_KIND=1, set by .ci/run after running setup), a missing toolchain is a failure.
import { readKindToolchain, type KindToolchain } from '../../src/toolchain/kind/setup-kind.js';
import { backgroundSetupDone } from './background-setup.js';

/** The kind toolchain, or undefined (the caller skips, saying `KIND_SKIP_REASON`); waits for CI's background build. */
export async function kindToolchainForTests(): Promise<KindToolchain | undefined> {
  await backgroundSetupDone('kind');
  const tc = readKindToolchain();
  if (!tc && process.env.ROLLCALL_REQUIRE_KIND === '1') {
    throw new Error('ROLLCALL_REQUIRE_KIND=1 but the kind toolchain is not built: run `rollcall setup --kind` first');
  }
  return tc;
}

export const KIND_SKIP_REASON = 'skipped: the kind toolchain is not built (run `rollcall setup --kind` first)';
