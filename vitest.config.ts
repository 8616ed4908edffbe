import { defineConfig } from 'vitest/config';
import { LongestFirst } from './test/support/sequencer.js';

// Integration tests start real control planes and give cluster work minutes, not seconds. They wait
// on Kubernetes far more than they compute (one file at a time kept 2 cores about 36 % busy), so most
// files share the machine. Two groups, one after the other (none is 0: vitest moves serial files of
// group 0 to the very end):
//   1 `exclusive`: tests that restart control-plane components (whose ports a cluster created meanwhile
//     can take) or SIGKILL runs and count every cluster process left: one at a time, alone;
//   2 `kwok`, `rehearse` (needs a second Kubernetes version) and `kind` (needs the kind toolchain):
//     ROLLCALL_TEST_WORKERS files at a time (3 by default), longest first (test/support/sequencer.ts).
//     These files only count what they started themselves (clusters by name, processes by run or
//     by their own empty cache). The kill storm cannot join them: its SIGKILLed runs' clusters wait
//     for its own gc at the end, and another file's gc would reclaim them first; with cluster records
//     of its own it would also leave kwokctl's shared workdir, whose lock and port list keep
//     clusters started at once off each other's ports (tried: a node of another file's cluster never
//     became Ready).
//     .ci/run builds kind and Kubernetes 1.35.4 in the background meanwhile; a file that needs one
//     waits for it (test/support/background-setup.ts).
const timeouts = { testTimeout: 180_000, hookTimeout: 180_000 };
const EXCLUSIVE = ['control-plane', 'kill-storm'].map((f) => `test/integration/${f}.test.ts`);
const REHEARSE = 'test/integration/rehearse.test.ts';
const workers = Math.max(1, Number(process.env.ROLLCALL_TEST_WORKERS ?? 3) || 1);
const shared = { ...timeouts, fileParallelism: workers > 1, maxWorkers: workers, sequence: { groupOrder: 2 } };

export default defineConfig({
  test: {
    sequence: { sequencer: LongestFirst },
    projects: [
      { test: { ...timeouts, name: 'exclusive', include: EXCLUSIVE, fileParallelism: false, sequence: { groupOrder: 1 } } },
      { test: { ...shared, name: 'kwok', include: ['test/**/*.test.ts'], exclude: ['test/kind/**', REHEARSE, ...EXCLUSIVE] } },
      { test: { ...shared, name: 'rehearse', include: [REHEARSE] } },
      { test: { ...shared, name: 'kind', include: ['test/kind/**/*.test.ts'] } },
    ],
  },
});
