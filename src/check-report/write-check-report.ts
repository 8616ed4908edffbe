// Writes a check's folder: check.json (the model), index.html and junit.xml, each checked for credentials.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CheckReport } from '../check/check-model.js';
import { assertNoSecrets, redact } from '../report/redact.js';
import { renderCheckHtml } from './check-html.js';
import { renderCheckJunit } from './check-junit.js';

/** A folder name for a check run at `now`: check-20250601-120000. */
export function checkFolderName(now: Date): string {
  return `check-${now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-')}`;
}

/** Writes the three files into `dir` (created) and returns it. */
export async function writeCheckReport(report: CheckReport, dir: string): Promise<string> {
  const safe = redact(report);
  await mkdir(dir, { recursive: true });
  const files: Array<[string, string]> = [
    ['check.json', `${JSON.stringify(safe, null, 2)}\n`],
    ['index.html', renderCheckHtml(safe)],
    ['junit.xml', renderCheckJunit(safe)],
  ];
  for (const [name, text] of files) {
    assertNoSecrets(text, join(dir, name));
    await writeFile(join(dir, name), text, 'utf8');
  }
  return dir;
}
