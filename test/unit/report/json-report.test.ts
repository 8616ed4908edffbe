import { describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseRunReport, readRunReport, serializeRunReport } from '../../../src/report/json-report.js';
import { UsageError } from '../../../src/util/errors.js';
import { failingScenario, passingScenario, runReport } from './fixtures.js';
import { tempDir } from '../../support/temp-dir.js';

describe('report.json', () => {
  it('round-trips the model unchanged, with the documented field names', async () => {
    const run = runReport([passingScenario(), failingScenario()]);
    const dir = tempDir('rollcall-json-');
    await writeFile(join(dir, 'report.json'), serializeRunReport(run));
    const back = await readRunReport(join(dir, 'report.json'));
    expect(back).toEqual(run);
    const json = JSON.parse(serializeRunReport(run));
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['schemaVersion', 'runId', 'startedAt', 'endedAt', 'provider', 'kubernetesVersion', 'scenarios']));
    expect(json.scenarios[1]).toMatchObject({ name: expect.any(String), file: expect.any(String), verdict: 'failed' });
    expect(json.scenarios[1].assertions[1]).toMatchObject({ name: 'unavailable within budget', verdict: 'failed', expected: expect.any(String), observed: expect.any(String) });
    expect(json.scenarios[1].timings[0]).toEqual(expect.objectContaining({ name: 'halt detected', ms: 7200, thresholdMs: 5000 }));
  });

  it.each([
    ['not json {', /bad\.json: not valid JSON/],
    ['[]', /bad\.json: not a rollcall report \(expected a JSON object\)/],
    ['{"runId":"x"}', /bad\.json: not a rollcall report \(no schemaVersion\)/],
    ['{"schemaVersion":2}', /bad\.json: report schemaVersion 2 is not supported \(this rollcall reads 1\)/],
  ])('rejects %s with a UsageError naming the file', (text, message) => {
    expect(() => parseRunReport(text, 'bad.json')).toThrow(UsageError);
    expect(() => parseRunReport(text, 'bad.json')).toThrow(message);
  });

  it('names the first field that does not fit the schema', () => {
    const run = runReport([passingScenario()]) as unknown as { scenarios: Array<Record<string, unknown>> };
    run.scenarios[0]!.verdict = 'green';
    expect(() => parseRunReport(JSON.stringify(run), 'r.json')).toThrow(/r\.json: invalid report: scenarios\[0\]\.verdict: expected one of passed, failed, error, skipped/);
    const run2 = runReport([passingScenario()]) as unknown as { scenarios: Array<{ timings: unknown[] }> };
    run2.scenarios[0]!.timings = [{ name: 'x', ms: 'fast' }];
    expect(() => parseRunReport(JSON.stringify(run2), 'r.json')).toThrow(/scenarios\[0\]\.timings\[0\]/);
  });

  it('says which file it could not read', async () => {
    await expect(readRunReport('/nonexistent/report.json')).rejects.toThrow(/\/nonexistent\/report\.json: cannot read the report \(ENOENT\)/);
    await expect(readRunReport('/nonexistent/report.json')).rejects.toBeInstanceOf(UsageError);
  });
});
