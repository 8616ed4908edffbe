// junit.xml of a check: one <testcase> per DaemonSet x check (classname = the DaemonSet), failing when a
// finding reaches --fail-on; lower findings go to <system-out>, so JUnit and the exit code agree.
import { atLeast, type CheckReport, type Finding } from '../check/check-model.js';
import { xmlEscape } from '../report/junit-report.js';

interface Case {
  classname: string;
  name: string;
  findings: Finding[];
}

// A finding as the body of <failure> or a line of <system-out>.
function detail(f: Finding): string {
  return [`${f.severity}: ${f.message}`, ...f.evidence.map((e) => `  ${e}`), `  fix: ${f.fix}`].join('\n');
}

function testcase(c: Case, report: CheckReport): string {
  const failing = c.findings.filter((f) => atLeast(f.severity, report.failOn));
  const rest = c.findings.filter((f) => !atLeast(f.severity, report.failOn));
  let body = '';
  if (failing.length) body += `      <failure message="${xmlEscape(failing[0]!.message, true)}" type="${xmlEscape(failing[0]!.severity, true)}">${xmlEscape(failing.map(detail).join('\n\n'))}</failure>\n`;
  if (rest.length) body += `      <system-out>${xmlEscape(rest.map(detail).join('\n\n'))}</system-out>\n`;
  return `    <testcase name="${xmlEscape(c.name, true)}" classname="${xmlEscape(c.classname, true)}" time="0.000">\n${body}    </testcase>\n`;
}

/** The whole junit.xml of a check. */
export function renderCheckJunit(report: CheckReport): string {
  const cases: Case[] = report.daemonSets.flatMap((d) => report.checks.map((check) => ({ classname: d.daemonSet, name: check, findings: d.findings.filter((f) => f.check === check) })));
  for (const file of report.manifestFiles) cases.push({ classname: file, name: 'removed-api', findings: report.manifestFindings.filter((f) => f.subject === file) });
  const failures = cases.filter((c) => c.findings.some((f) => atLeast(f.severity, report.failOn))).length;
  const counts = `tests="${cases.length}" failures="${failures}" errors="0" skipped="0" time="0.000"`;
  const props = [['source', report.source], ['serverVersion', report.serverVersion], ['failOn', report.failOn], ['capturedAt', report.capturedAt]]
    .map(([k, v]) => `      <property name="${xmlEscape(k, true)}" value="${xmlEscape(v, true)}"/>\n`).join('');
  return '<?xml version="1.0" encoding="UTF-8"?>\n'
    + `<testsuites name="rollcall check" ${counts}>\n`
    + `  <testsuite name="${xmlEscape(`rollcall check ${report.twinName}`, true)}" ${counts} timestamp="${xmlEscape(report.capturedAt, true)}">\n`
    + `    <properties>\n${props}    </properties>\n`
    + cases.map((c) => testcase(c, report)).join('')
    + '  </testsuite>\n</testsuites>\n';
}
