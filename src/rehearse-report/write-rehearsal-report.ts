// Writes a rehearsal's folder top: rehearsal.json (the model) and index.html (the matrix), each checked for credentials.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RehearsalReport } from '../rehearse/rehearsal-model.js';
import { assertNoSecrets, redact } from '../report/redact.js';
import { renderRehearsalHtml } from './rehearsal-html.js';

/** A folder name for a rehearsal started at `now`: rehearse-20250601-120000. */
export function rehearsalFolderName(now: Date): string {
  return `rehearse-${now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-')}`;
}

/** Writes rehearsal.json and index.html into `dir` (the per-version runs are already under runs/); returns index.html's path. */
export async function writeRehearsalReport(report: RehearsalReport, dir: string): Promise<string> {
  const safe = redact(report);
  await mkdir(dir, { recursive: true });
  for (const [name, text] of [['rehearsal.json', `${JSON.stringify(safe, null, 2)}\n`], ['index.html', renderRehearsalHtml(safe)]] as const) {
    assertNoSecrets(text, join(dir, name));
    await writeFile(join(dir, name), text, 'utf8');
  }
  return join(dir, 'index.html');
}
