// Writes a run's report folder (report.json, junit.xml, index.html), points `latest` at it and
// regenerates the history page. The only I/O in src/report; every file is redacted and checked.
import { lstat, mkdir, readdir, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../util/errors.js';
import type { RunReport } from './report-model.js';
import { readRunReport, serializeRunReport } from './json-report.js';
import { renderJunit } from './junit-report.js';
import { renderRunHtml } from './html-report.js';
import { renderHistoryHtml, type HistoryEntry } from './history-page.js';
import { assertNoSecrets, redact } from './redact.js';

export const LATEST = 'latest';

/** Rejects run ids that are not a plain folder name. */
function checkRunId(runId: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(runId) || runId === LATEST) {
    throw new UsageError(`run id ${JSON.stringify(runId)} cannot be a report folder name (use letters, digits, '.', '_', '-')`);
  }
}

/** Writes one file after checking that it carries no credential. */
async function writeChecked(path: string, text: string): Promise<void> {
  assertNoSecrets(text, path);
  await writeFile(path, text, 'utf8');
}

/** Writes `<baseDir>/<runId>/{report.json,junit.xml,index.html}`, updates `latest` and the history page; returns the run folder. */
export async function writeRunReport(report: RunReport, baseDir: string): Promise<string> {
  checkRunId(report.runId);
  const safe = redact(report);
  const runDir = join(baseDir, safe.runId);
  await mkdir(runDir, { recursive: true });
  await writeChecked(join(runDir, 'report.json'), serializeRunReport(safe));
  await writeRunPages(safe, runDir);
  await pointLatest(baseDir, safe.runId);
  await writeHistoryIndex(baseDir);
  return runDir;
}

/** (Re)renders index.html and junit.xml of a run folder from a model. */
async function writeRunPages(report: RunReport, runDir: string): Promise<void> {
  await writeChecked(join(runDir, 'junit.xml'), renderJunit(report));
  await writeChecked(join(runDir, 'index.html'), renderRunHtml(report));
}

/** `rollcall report DIR`: re-renders a run folder's HTML and JUnit from its report.json, then its parent's history page. */
export async function rerenderRunFolder(runDir: string, opts: { history?: boolean } = {}): Promise<string> {
  const report = redact(await readRunReport(join(runDir, 'report.json')));
  await writeRunPages(report, runDir);
  if (opts.history !== false) await writeHistoryIndex(dirname(resolve(runDir)));
  return join(runDir, 'index.html');
}

/** Points `<baseDir>/latest` at the run: a relative symlink, or a text file naming the run where symlinks fail. */
async function pointLatest(baseDir: string, runId: string): Promise<void> {
  const link = join(baseDir, LATEST);
  await rm(link, { recursive: true, force: true });
  try {
    await symlink(runId, link, 'dir');
  } catch {
    await writeFile(link, `${runId}\n`, 'utf8');
  }
}

/** Reads every run folder under baseDir (not `latest`), newest first; unreadable ones keep their problem. */
export async function listRuns(baseDir: string): Promise<HistoryEntry[]> {
  const names = await readdir(baseDir).catch(() => [] as string[]);
  const entries: HistoryEntry[] = [];
  for (const name of names) {
    if (name === LATEST || name.startsWith('.')) continue;
    const dir = join(baseDir, name);
    if (!(await stat(dir).then((s) => s.isDirectory(), () => false))) continue;
    if (!(await stat(join(dir, 'report.json')).then(() => true, () => false))) continue;
    try {
      entries.push({ dir: name, report: await readRunReport(join(dir, 'report.json')) });
    } catch (err) {
      entries.push({ dir: name, problem: (err as Error).message.replace(`${join(dir, 'report.json')}: `, '') });
    }
  }
  const time = (e: HistoryEntry) => Date.parse(e.report?.startedAt ?? '') || 0;
  return entries.sort((a, b) => time(b) - time(a) || b.dir.localeCompare(a.dir));
}

/** Regenerates `<baseDir>/index.html` from the run folders in it. */
export async function writeHistoryIndex(baseDir: string): Promise<string> {
  const runs = await listRuns(baseDir);
  const path = join(baseDir, 'index.html');
  await writeChecked(path, renderHistoryHtml(runs.map((e) => (e.report ? { ...e, report: redact(e.report) } : e))));
  return path;
}

/** The run folder `latest` points at, whether it is a symlink or a text file. */
export async function latestRunDir(baseDir: string): Promise<string | undefined> {
  const link = join(baseDir, LATEST);
  const st = await lstat(link).catch(() => undefined);
  if (!st) return undefined;
  if (st.isSymbolicLink()) return join(baseDir, basename(await readlink(link)));
  if (st.isFile()) return join(baseDir, (await readFile(link, 'utf8')).trim());
  return link;
}
