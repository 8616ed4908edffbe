// Reading what a `rollcall run` left: its report, and any cluster processes or records it did not clean up.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunReport } from '../../src/report/report-model.js';
import { listRecords } from '../../src/providers/registry.js';
import { commandLine, processesMentioning } from '../../src/util/processes.js';
import { startedPids } from './cli.js';
import { testToolchain } from './kwok-fixture.js';

/** The report.json of the newest run written to `reportDir`. */
export function readReport(reportDir: string): RunReport {
  return JSON.parse(readFileSync(join(reportDir, 'latest', 'report.json'), 'utf8')) as RunReport;
}

/** Cluster processes before a run, and which rollcall runs started since count as ours. */
export async function baseline(): Promise<{ procs: Set<number>; since: number }> {
  const tc = await testToolchain();
  return { procs: new Set(processesMentioning(`${tc.cache.kwokWorkdir}/clusters/`)), since: startedPids.length };
}

/**
 * What the runs started since `before` left: cluster records they own, and cluster processes that
 * appeared since (but those of clusters another live run has recorded, e.g. a parallel test).
 * Both must be none after a run.
 */
export async function leftovers(before: { procs: Set<number>; since: number }): Promise<{ processes: number[]; records: number }> {
  const tc = await testToolchain();
  const ours = new Set(startedPids.slice(before.since));
  const records = listRecords(tc.cache.registry);
  const othersDirs = records.filter((r) => !ours.has(r.ownerPid)).flatMap((r) => r.dirs ?? []);
  return {
    processes: processesMentioning(`${tc.cache.kwokWorkdir}/clusters/`)
      .filter((p) => !before.procs.has(p))
      .filter((p) => !othersDirs.some((d) => commandLine(p)?.includes(`${d}/`))),
    records: records.filter((r) => ours.has(r.ownerPid)).length,
  };
}
