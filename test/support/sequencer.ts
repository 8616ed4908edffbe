// The order in which `npm test` starts its files. vitest.config.ts runs most files in one group, a few
// at a time; a group takes as long as its slowest worker, so the longest files start first (longest
// processing time first). A file's length is what vitest measured last time (its cache), or, on a
// clean clone, the rough figure below measured in CI.
//
// Under .ci/run (ROLLCALL_BACKGROUND_SETUP), kind and Kubernetes 1.35.4 are built in the background
// while the tests run, and the files that need them wait for that build at import. Where the cache
// does not hold the toolchain yet (a cold run), the build takes many minutes: those files start last,
// so the others do not queue behind a waiting worker. Warm, the build takes seconds and they are just
// long files.
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { cacheLayout, cacheRoot } from '../../src/toolchain/cache-dir.js';
import { kubernetesBuiltSpec } from '../../src/toolchain/components.js';
import { isBuilt } from '../../src/toolchain/go-component.js';
import { readKindToolchain } from '../../src/toolchain/kind/setup-kind.js';

/** Seconds per file in a warm CI run (2 cores, three files at a time, December 2026); a file not listed counts as 5 s. */
const ROUGH_SECONDS: Record<string, number> = {
  'test/integration/scenarios.test.ts': 440,
  'test/integration/record-replay.test.ts': 390,
  'test/integration/rehearse.test.ts': 350,
  'test/kind/kind-run.test.ts': 260,
  'test/integration/package.test.ts': 230,
  'test/integration/cli.test.ts': 210,
  'test/integration/kill-storm.test.ts': 200,
  'test/kind/kind-bad-images.test.ts': 170,
  'test/integration/kwok-provider.test.ts': 125,
  'test/integration/bad-inputs.test.ts': 125,
  'test/kind/kind-cluster.test.ts': 110,
  'test/integration/runner-faults.test.ts': 95,
  'test/integration/check.test.ts': 95,
  'test/integration/scenario-api.test.ts': 75,
  'test/integration/init-command.test.ts': 70,
  'test/integration/existing-journal.test.ts': 70,
  'test/integration/existing-provider.test.ts': 55,
  'test/integration/cli-without-toolchain.test.ts': 40,
  'test/browser/real-run-browser.test.ts': 40,
  'test/integration/capabilities.test.ts': 30,
  'test/browser/report-browser.test.ts': 25,
};

/** Which background build a file waits for, by its path. */
function needs(file: string): 'kind' | 'kubernetes-1.35.4' | undefined {
  if (file.startsWith('test/kind/')) return 'kind';
  if (file === 'test/integration/rehearse.test.ts') return 'kubernetes-1.35.4';
  return undefined;
}

export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const coldBuilds = new Set<string>();
    if (process.env.ROLLCALL_BACKGROUND_SETUP) {
      if (!readKindToolchain()) coldBuilds.add('kind');
      if (!(await isBuilt(kubernetesBuiltSpec('1.35.4', cacheLayout(cacheRoot()))))) coldBuilds.add('kubernetes-1.35.4');
    }
    const key = (spec: TestSpecification) => {
      const file = relative(root, spec.moduleId);
      const measured = this.ctx.cache.getFileTestResults(`${spec.project.name}:${file}`)?.duration;
      const build = needs(file);
      return {
        group: spec.project.config.sequence.groupOrder,
        waits: build !== undefined && coldBuilds.has(build) ? 1 : 0,
        seconds: measured !== undefined ? measured / 1000 : (ROUGH_SECONDS[file] ?? 5),
      };
    };
    const keys = new Map(files.map((f) => [f, key(f)]));
    return [...files].sort((a, b) => {
      const ka = keys.get(a)!;
      const kb = keys.get(b)!;
      return ka.group - kb.group || ka.waits - kb.waits || kb.seconds - ka.seconds;
    });
  }
}
