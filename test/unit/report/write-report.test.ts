import { describe, expect, it } from 'vitest';
import { lstat, readFile, readdir, readlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { latestRunDir, writeRunReport } from '../../../src/report/write-report.js';
import { renderReports } from '../../../src/cli/commands/report-command.js';
import { serializeRunReport } from '../../../src/report/json-report.js';
import { UsageError } from '../../../src/util/errors.js';
import { FAKE_KEY_DATA, FAKE_TOKEN, failingScenario, passingScenario, runReport } from './fixtures.js';
import { tempDir as makeTempDir } from '../../support/temp-dir.js';

const tempDir = async () => makeTempDir('rollcall-reports-');

describe('writeRunReport', () => {
  it('writes report.json, junit.xml and index.html into <base>/<runId>, points latest at it, and writes the history page', async () => {
    const base = await tempDir();
    const run = runReport([passingScenario()]);
    const dir = await writeRunReport(run, base);
    expect(dir).toBe(join(base, run.runId));
    expect((await readdir(dir)).sort()).toEqual(['index.html', 'junit.xml', 'report.json']);
    expect(JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'))).toEqual(run);
    expect((await lstat(join(base, 'latest'))).isSymbolicLink()).toBe(true);
    expect(await readlink(join(base, 'latest'))).toBe(run.runId);
    expect(await readFile(join(base, 'latest', 'index.html'), 'utf8')).toMatch(/<h1>PASSED<\/h1>/);
    expect(await readFile(join(base, 'index.html'), 'utf8')).toContain(`<a href="${run.runId}/index.html">${run.runId}</a>`);
  });

  it('moves latest to the newest run and keeps every run in the history page, newest first', async () => {
    const base = await tempDir();
    await writeRunReport(runReport([passingScenario()], { runId: 'run-a', startedAt: '2026-03-01T00:00:00Z' }), base);
    await writeRunReport(runReport([failingScenario()], { runId: 'run-b', startedAt: '2026-03-02T00:00:00Z' }), base);
    expect(await latestRunDir(base)).toBe(join(base, 'run-b'));
    const history = await readFile(join(base, 'index.html'), 'utf8');
    expect(history).toMatch(/<h1>Latest run: FAILED<\/h1>/);
    expect(history.indexOf('>run-b</a>')).toBeGreaterThan(0);
    expect(history.indexOf('>run-b</a>')).toBeLessThan(history.indexOf('>run-a</a>'));
  });

  it('never writes a planted kubeconfig, token or private key into any file', async () => {
    const base = await tempDir();
    const run = runReport([failingScenario()], { command: `rollcall run scenarios/ --token ${FAKE_TOKEN}` });
    const dir = await writeRunReport(run, base);
    for (const file of ['report.json', 'junit.xml', 'index.html', '../index.html']) {
      const text = await readFile(join(dir, file), 'utf8');
      expect(text, file).not.toContain(FAKE_TOKEN);
      expect(text, file).not.toContain(FAKE_KEY_DATA.slice(0, 20));
      expect(text, file).not.toContain('BEGIN RSA PRIVATE KEY');
      expect(text, file).not.toContain('MIIEowIBAAKCAQEAsecretsecret');
    }
    const json = await readFile(join(dir, 'report.json'), 'utf8');
    expect(json).toContain('client-key-data: [REDACTED base64 PEM]');
    expect(json).toContain('Bearer [REDACTED]');
    expect(json).toContain('--token [REDACTED]');
    expect(run.scenarios[0]!.events.find((e) => e.reason === 'Leak')!.message).toContain(FAKE_TOKEN); // the caller's model is not mutated
  });

  it('refuses run ids that are not a plain folder name', async () => {
    const base = await tempDir();
    await expect(writeRunReport(runReport([], { runId: '../escape' }), base)).rejects.toBeInstanceOf(UsageError);
    await expect(writeRunReport(runReport([], { runId: 'latest' }), base)).rejects.toThrow(/cannot be a report folder name/);
  });
});

describe('rollcall report DIR', () => {
  it('re-renders index.html and junit.xml of a run folder from report.json and refreshes the history page', async () => {
    const base = await tempDir();
    const dir = await writeRunReport(runReport([passingScenario()]), base);
    const edited = runReport([failingScenario()]);
    await writeFile(join(dir, 'report.json'), serializeRunReport(edited));
    await writeFile(join(dir, 'index.html'), 'stale');
    const lines: string[] = [];
    await renderReports(join(base, 'latest'), (l) => lines.push(l));
    expect(await readFile(join(dir, 'index.html'), 'utf8')).toMatch(/<h1>FAILED<\/h1>/);
    expect(await readFile(join(dir, 'junit.xml'), 'utf8')).toContain('<failure message=');
    expect(await readFile(join(base, 'index.html'), 'utf8')).toMatch(/<h1>Latest run: FAILED<\/h1>/);
    expect(lines).toEqual([`rendered ${join(base, 'latest', 'index.html')}`]);
  });

  it('re-renders every run when given the reports folder', async () => {
    const base = await tempDir();
    await writeRunReport(runReport([passingScenario()], { runId: 'run-a' }), base);
    await writeRunReport(runReport([passingScenario()], { runId: 'run-b' }), base);
    const lines: string[] = [];
    await renderReports(base, (l) => lines.push(l));
    expect(lines).toHaveLength(3);
    expect(lines.at(-1)).toBe(`rendered ${join(base, 'index.html')}`);
  });

  it('fails with one line naming the file when report.json is not a report', async () => {
    const base = await tempDir();
    const dir = join(base, 'run-x');
    await writeRunReport(runReport([passingScenario()], { runId: 'run-x' }), base);
    await writeFile(join(dir, 'report.json'), '{"schemaVersion": 99}');
    await expect(renderReports(dir, () => {})).rejects.toThrow(`${join(dir, 'report.json')}: report schemaVersion 99 is not supported`);
    await expect(renderReports(join(base, 'nothing'), () => {})).rejects.toThrow(/no report\.json here/);
  });
});
