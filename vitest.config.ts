import { defineConfig } from 'vitest/config';

// Integration tests start real control planes: run files one at a time on a 2-core machine, and give
// cluster work minutes, not seconds. Three groups, one after another: everything on kwok first, then
// rehearse (it needs a second Kubernetes version) and then kind, so .ci/run can build those two
// toolchains in the background while the kwok tests run (test/support/background-setup.ts).
const serial = { fileParallelism: false, testTimeout: 180_000, hookTimeout: 180_000 };
const REHEARSE = 'test/integration/rehearse.test.ts';

export default defineConfig({
  test: {
    projects: [
      { test: { ...serial, name: 'kwok', include: ['test/**/*.test.ts'], exclude: ['test/kind/**', REHEARSE], sequence: { groupOrder: 0 } } },
      { test: { ...serial, name: 'rehearse', include: [REHEARSE], sequence: { groupOrder: 1 } } },
      { test: { ...serial, name: 'kind', include: ['test/kind/**/*.test.ts'], sequence: { groupOrder: 2 } } },
    ],
  },
});
