import { defineConfig } from 'vitest/config';

// Integration tests start real control planes and give cluster work minutes, not seconds. Groups run
// one after another, lowest first (none is 0: vitest moves serial files of group 0 to the very end):
//   1 `kwok`: unit tests and the kwok integration tests, ROLLCALL_TEST_WORKERS files at a time (1 by
//     default; these files only count what they started themselves, so two can share the machine);
//   2 `exclusive`: tests that restart control-plane components (whose ports a cluster created meanwhile
//     can take), SIGKILL runs, or work with an empty cache: one at a time, alone;
//   3 `rehearse`: needs a second Kubernetes version; 4 `kind`: needs the kind toolchain. .ci/run builds
//     both in the background while groups 1 and 2 run (test/support/background-setup.ts).
const serial = { fileParallelism: false, testTimeout: 180_000, hookTimeout: 180_000 };
const EXCLUSIVE = ['control-plane', 'kill-storm', 'bad-inputs', 'cli-without-toolchain'].map((f) => `test/integration/${f}.test.ts`);
const REHEARSE = 'test/integration/rehearse.test.ts';
const workers = Math.max(1, Number(process.env.ROLLCALL_TEST_WORKERS ?? 1) || 1);

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...serial, name: 'kwok', include: ['test/**/*.test.ts'], exclude: ['test/kind/**', REHEARSE, ...EXCLUSIVE],
          fileParallelism: workers > 1, maxWorkers: workers, sequence: { groupOrder: 1 },
        },
      },
      { test: { ...serial, name: 'exclusive', include: EXCLUSIVE, sequence: { groupOrder: 2 } } },
      { test: { ...serial, name: 'rehearse', include: [REHEARSE], sequence: { groupOrder: 3 } } },
      { test: { ...serial, name: 'kind', include: ['test/kind/**/*.test.ts'], sequence: { groupOrder: 4 } } },
    ],
  },
});
