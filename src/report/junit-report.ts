// junit.xml: one <testcase> per scenario (classname = scenario file), failures carrying what was
// observed, steps in <system-out>. Plain XML 1.0 that Jenkins, GitLab and GitHub reporters read.
import type { RunReport, ScenarioReport } from './report-model.js';
import { countVerdicts, isoSpanMs } from './format.js';
import { formatMs } from '../util/duration.js';

/** Escapes text or an attribute value for XML 1.0, replacing characters XML cannot carry. */
export function xmlEscape(value: unknown, attribute = false): string {
  let s = String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    // Lone surrogates, C0 controls other than tab/newline/CR, and U+FFFE/U+FFFF are not XML characters.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  if (attribute) s = s.replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
  return s;
}

/** Seconds with millisecond precision, as JUnit's `time` attribute wants. */
function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/** The one-line failure message: the first failed assertion's observation, a failed timing, or the error. */
export function failureMessage(s: ScenarioReport): string {
  const a = s.assertions.find((x) => x.verdict === 'failed');
  if (a) return `${a.name}: ${a.observed}`;
  const t = s.timings.find((x) => x.verdict === 'failed');
  if (t) return `timing ${t.name} took ${formatMs(t.ms)}, threshold ${t.thresholdMs === undefined ? '?' : formatMs(t.thresholdMs)}`;
  const st = s.steps.find((x) => x.verdict === 'failed' || x.verdict === 'error');
  return s.error ?? (st ? `step ${st.name}: ${st.error ?? st.verdict}` : `scenario ${s.verdict}`);
}

/** The body of a <failure>: every failed assertion with expected vs observed, problems, failed timings. */
function failureDetail(s: ScenarioReport): string {
  const lines: string[] = [];
  if (s.error) lines.push(s.error);
  for (const a of s.assertions.filter((x) => x.verdict === 'failed')) {
    lines.push(`assertion ${a.name}${a.step ? ` (step ${a.step})` : ''} at ${formatMs(a.atMs)}`, `  expected: ${a.expected}`, `  observed: ${a.observed}`);
    for (const p of a.problems) lines.push(`  - ${p}`);
    for (const n of a.nodes.filter((x) => !x.ok)) lines.push(`  node ${n.node}: expected ${n.expected}, observed ${n.observed}`);
  }
  for (const t of s.timings.filter((x) => x.verdict === 'failed')) lines.push(`timing ${t.name}: ${formatMs(t.ms)} > threshold ${t.thresholdMs === undefined ? '?' : formatMs(t.thresholdMs)} (${t.from} -> ${t.to})`);
  return lines.join('\n');
}

/** <system-out>: the steps with verdict and times, then timings. */
function systemOut(s: ScenarioReport): string {
  const lines = s.steps.map((st) => `step ${st.verdict.toUpperCase().padEnd(7)} ${st.name} [${formatMs(st.startMs)} .. ${formatMs(st.endMs)}]${st.error ? ` ${st.error}` : ''}`);
  for (const t of s.timings) lines.push(`timing ${t.name}: ${formatMs(t.ms)}${t.thresholdMs !== undefined ? ` (threshold ${formatMs(t.thresholdMs)})` : ''} ${t.verdict}`);
  return lines.join('\n');
}

/** One <testcase> element. */
function testcase(s: ScenarioReport): string {
  const attrs = `name="${xmlEscape(s.name, true)}" classname="${xmlEscape(s.file, true)}" time="${seconds(s.durationMs)}"`;
  let body = '';
  if (s.verdict === 'failed') body += `      <failure message="${xmlEscape(failureMessage(s), true)}" type="AssertionFailure">${xmlEscape(failureDetail(s))}</failure>\n`;
  if (s.verdict === 'error') body += `      <error message="${xmlEscape(failureMessage(s), true)}" type="Error">${xmlEscape(failureDetail(s))}</error>\n`;
  if (s.verdict === 'skipped') body += `      <skipped message="${xmlEscape(s.error ?? 'skipped', true)}"/>\n`;
  body += `      <system-out>${xmlEscape(systemOut(s))}</system-out>\n`;
  return `    <testcase ${attrs}>\n${body}    </testcase>\n`;
}

/** The whole junit.xml for a run. */
export function renderJunit(run: RunReport): string {
  const c = countVerdicts(run.scenarios.map((s) => s.verdict));
  const time = seconds(isoSpanMs(run.startedAt, run.endedAt));
  const counts = `tests="${run.scenarios.length}" failures="${c.failed}" errors="${c.error}" skipped="${c.skipped}" time="${time}"`;
  const props = [
    ['runId', run.runId], ['provider', run.provider], ['kubernetesVersion', run.kubernetesVersion],
    ['rollcallVersion', run.rollcallVersion], ['command', run.command],
  ].map(([k, v]) => `      <property name="${xmlEscape(k, true)}" value="${xmlEscape(v, true)}"/>\n`).join('');
  return '<?xml version="1.0" encoding="UTF-8"?>\n'
    + `<testsuites name="rollcall" ${counts}>\n`
    + `  <testsuite name="${xmlEscape(`rollcall ${run.runId}`, true)}" ${counts} timestamp="${xmlEscape(run.startedAt, true)}">\n`
    + `    <properties>\n${props}    </properties>\n`
    + run.scenarios.map(testcase).join('')
    + '  </testsuite>\n</testsuites>\n';
}
