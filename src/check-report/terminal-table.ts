// The terminal view of a check: one table row per DaemonSet, then each finding with its evidence and fix.
import type { CheckReport, DaemonSetCheck, Finding, Severity } from '../check/check-model.js';

const LABEL: Record<Severity, string> = { error: 'ERROR', warning: 'WARN', info: 'info' };

/** Seconds as `45 s`, `3 min`, `1.5 h`. */
export function formatSeconds(s: number): string {
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

/** The one-line summary of a DaemonSet's rollout arithmetic. */
export function rolloutLine(d: DaemonSetCheck): string {
  const r = d.rollout;
  if (r.strategy === 'OnDelete') return 'OnDelete: no rollout';
  const per = r.maxSurge > 0 ? `maxSurge ${r.maxSurge}` : `maxUnavailable ${r.maxUnavailable}`;
  return `${per}: ${r.nodesDownAtOnce} down at once, ${r.waves} wave${r.waves === 1 ? '' : 's'}, ~${formatSeconds(r.estimateSeconds)} (worst ${formatSeconds(r.worstCaseSeconds)})`;
}

/** How many findings of each severity. */
export function severityCounts(findings: Finding[]): Record<Severity, number> {
  const c: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) c[f.severity]++;
  return c;
}

// Pads cells to column widths.
function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd());
}

/** The whole terminal report, plain text (no colour codes, so it reads the same in CI logs). */
export function renderCheckTable(report: CheckReport, reportDir?: string): string {
  const lines: string[] = [];
  const target = report.targetVersion ? `, target v${report.targetVersion.replace(/^v/, '')}` : '';
  lines.push(`rollcall check: ${report.source} (captured ${report.capturedAt}, Kubernetes ${report.serverVersion}${target}, ${report.nodeCount} nodes, ${report.daemonSets.length} DaemonSets)`, '');
  const rows = [['DAEMONSET', 'ELIGIBLE', 'AVAILABLE NOW', 'ERR', 'WARN', 'ROLLOUT']];
  for (const d of report.daemonSets) {
    const eligible = d.coverage.filter((c) => c.eligible);
    const c = severityCounts(d.findings);
    rows.push([d.daemonSet, `${eligible.length}/${d.coverage.length}`, `${eligible.filter((x) => x.availableNow).length}/${eligible.length}`, String(c.error), String(c.warning), rolloutLine(d)]);
  }
  lines.push(...table(rows));
  for (const d of report.daemonSets) {
    lines.push('', `${d.daemonSet}`);
    const out = d.coverage.filter((c) => !c.eligible);
    if (out.length) lines.push(`  not eligible: ${out.map((c) => `${c.node} (${c.reasons.join(', ')})`).join('; ')}`);
    const gaps = d.coverage.filter((c) => c.eligible && !c.availableNow);
    if (gaps.length) lines.push(`  eligible, no available pod now: ${gaps.map((c) => `${c.node} (${c.pods})`).join('; ')}`);
    if (!d.findings.length) lines.push('  no findings');
    for (const f of d.findings) lines.push(...findingLines(f));
  }
  if (report.manifestFindings.length || report.manifestFiles.length) {
    lines.push('', `manifests (${report.manifestFiles.length} files)`);
    if (!report.manifestFindings.length) lines.push('  no removed apiVersions');
    for (const f of report.manifestFindings) lines.push(...findingLines(f));
  }
  const all = [...report.daemonSets.flatMap((d) => d.findings), ...report.manifestFindings];
  const c = severityCounts(all);
  lines.push('', `${report.failed ? 'FAILED' : 'PASSED'} (--fail-on ${report.failOn}): ${c.error} errors, ${c.warning} warnings, ${c.info} info`);
  lines.push(`rollout time assumes a pod is Ready ${report.assumedReadySeconds} s after creation, plus minReadySeconds`);
  if (reportDir) lines.push(`report: ${reportDir}/index.html (check.json, junit.xml)`);
  // eslint-disable-next-line no-control-regex
  return `${lines.join('\n').replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '\uFFFD')}\n`; // no terminal escapes from cluster strings
}

// A finding: severity, check and message, then its evidence and fix, indented.
function findingLines(f: Finding): string[] {
  return [`  ${LABEL[f.severity].padEnd(5)} ${f.check}: ${f.message}`, ...f.evidence.map((e) => `          ${e}`), `          fix: ${f.fix}`];
}
