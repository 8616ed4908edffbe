// Reading what a `rollcall run` left: its report, and any cluster processes or records it did not clean up.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunReport } from '../../src/report/report-model.js';
import { listRecords } from '../../src/providers/registry.js';
import { processesMentioning } from '../../src/util/processes.js';
import { testToolchain } from './kwok-fixture.js';

/** The report.json of the newest run written to `reportDir`. */
export function readReport(reportDir: string): RunReport {
  return JSON.parse(readFileSync(join(reportDir, 'latest', 'report.json'), 'utf8')) as RunReport;
}

/** Cluster processes and records before a run, to compare with afterwards. */
export async function baseline(): Promise<{ procs: Set<number>; records: number }> {
  const tc = await testToolchain();
  return { procs: new Set(processesMentioning(`${tc.cache.kwokWorkdir}/clusters/`)), records: listRecords(tc.cache.registry).length };
}

/** Cluster processes and records that appeared since `before`: both must be none after a run. */
export async function leftovers(before: { procs: Set<number>; records: number }): Promise<{ processes: number[]; records: number }> {
  const tc = await testToolchain();
  return {
    processes: processesMentioning(`${tc.cache.kwokWorkdir}/clusters/`).filter((p) => !before.procs.has(p)),
    records: listRecords(tc.cache.registry).length - before.records,
  };
}
