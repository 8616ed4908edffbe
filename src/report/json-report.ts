// report.json: the model serialised as is, and read back with a schema check that names the file
// and the first bad field, so `rollcall report` fails with one clear line on a foreign file.
import { readFile } from 'node:fs/promises';
import { UsageError } from '../util/errors.js';
import { REPORT_SCHEMA_VERSION, type RunReport } from './report-model.js';

const VERDICTS = ['passed', 'failed', 'error', 'skipped'];

/**
 * The text of report.json: stable field order (the model's), one line (a 1,000-node run is
 * megabytes; `jq .` shows it indented), trailing newline.
 */
export function serializeRunReport(report: RunReport): string {
  return `${JSON.stringify(report)}\n`;
}

/** Reads and validates a report.json; throws UsageError naming the file on any problem. */
export async function readRunReport(path: string): Promise<RunReport> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`${path}: cannot read the report (${code ?? String(err)})`, { cause: err });
  }
  return parseRunReport(text, path);
}

/** Parses and validates report.json text; `file` is only used in error messages. */
export function parseRunReport(text: string, file: string): RunReport {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file}: not valid JSON (${(err as Error).message})`, { cause: err });
  }
  if (!isObject(data)) throw new UsageError(`${file}: not a rollcall report (expected a JSON object)`);
  if (!('schemaVersion' in data)) throw new UsageError(`${file}: not a rollcall report (no schemaVersion)`);
  if (data.schemaVersion !== REPORT_SCHEMA_VERSION) {
    throw new UsageError(`${file}: report schemaVersion ${JSON.stringify(data.schemaVersion)} is not supported (this rollcall reads ${REPORT_SCHEMA_VERSION})`);
  }
  const problem = findProblem(data);
  if (problem) throw new UsageError(`${file}: invalid report: ${problem}`);
  return data as unknown as RunReport;
}

/** Returns the first shape problem ("scenarios[1].verdict: expected one of ..."), or undefined. */
function findProblem(run: Record<string, unknown>): string | undefined {
  for (const k of ['runId', 'startedAt', 'endedAt', 'provider', 'command']) if (typeof run[k] !== 'string') return `${k}: expected a string`;
  if (!VERDICTS.includes(run.verdict as string)) return `verdict: expected one of ${VERDICTS.join(', ')}`;
  if (!Array.isArray(run.scenarios)) return 'scenarios: expected an array';
  for (const [i, s] of run.scenarios.entries()) {
    const at = `scenarios[${i}]`;
    if (!isObject(s)) return `${at}: expected an object`;
    for (const k of ['name', 'file']) if (typeof s[k] !== 'string') return `${at}.${k}: expected a string`;
    if (!VERDICTS.includes(s.verdict as string)) return `${at}.verdict: expected one of ${VERDICTS.join(', ')}`;
    if (typeof s.durationMs !== 'number') return `${at}.durationMs: expected a number`;
    for (const k of ['steps', 'assertions', 'timings', 'actions', 'timeline', 'events', 'finalNodes']) {
      if (!Array.isArray(s[k])) return `${at}.${k}: expected an array`;
    }
    for (const [j, t] of (s.timings as unknown[]).entries()) {
      if (!isObject(t) || typeof t.name !== 'string' || typeof t.ms !== 'number') return `${at}.timings[${j}]: expected { name: string, ms: number }`;
    }
    for (const [j, a] of (s.assertions as unknown[]).entries()) {
      if (!isObject(a) || typeof a.name !== 'string' || (a.verdict !== 'passed' && a.verdict !== 'failed')) {
        return `${at}.assertions[${j}]: expected { name: string, verdict: 'passed' | 'failed' }`;
      }
    }
  }
  return undefined;
}

/** True for a plain JSON object. */
function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
