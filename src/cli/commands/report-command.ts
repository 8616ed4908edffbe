// `rollcall report DIR`: re-renders a run folder's index.html and junit.xml from its report.json
// (after an upgrade of rollcall, or on a report copied from CI), and the history page beside it.
import type { CommandModule } from 'yargs';
import { stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../../util/errors.js';
import { LATEST, latestRunDir, listRuns, rerenderRunFolder, writeHistoryIndex } from '../../report/write-report.js';

interface ReportArgs {
  dir: string;
}

/** True if `path` exists and is a file. */
async function isFile(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}

/** Re-renders `target`: a run folder, its report.json, or a reports folder (then every run in it). */
export async function renderReports(target: string, log: (line: string) => void): Promise<void> {
  let runDir = basename(target) === 'report.json' ? dirname(target) : target;
  // `latest` may be a text file naming the run where the filesystem has no symlinks.
  if (basename(runDir) === LATEST && (await isFile(runDir))) runDir = (await latestRunDir(dirname(runDir))) ?? runDir;
  if (await isFile(join(runDir, 'report.json'))) {
    log(`rendered ${await rerenderRunFolder(runDir)}`);
    return;
  }
  const runs = await listRuns(runDir);
  if (!runs.length) throw new UsageError(`${target}: no report.json here, and no run folders with one (expected a folder written by \`rollcall run\`)`);
  for (const r of runs) if (r.report) log(`rendered ${await rerenderRunFolder(join(runDir, r.dir), { history: false })}`);
  log(`rendered ${await writeHistoryIndex(runDir)}`);
}

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report <dir>',
  describe: 'Re-render index.html and junit.xml from report.json (a run folder, or a reports folder for every run in it)',
  builder: (y) => y.positional('dir', { type: 'string', demandOption: true, describe: 'a run folder such as reports/latest, or reports/' }) as never,
  handler: async (args) => {
    await renderReports(args.dir, (line) => process.stderr.write(`rollcall: ${line}\n`));
  },
};
