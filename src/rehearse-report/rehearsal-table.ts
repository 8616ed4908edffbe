// The terminal summary of a rehearsal: per version a DaemonSet x step grid of verdicts, then the differences.
import type { RehearsalReport } from '../rehearse/rehearsal-model.js';

const MARK: Record<string, string> = { passed: 'ok', failed: 'FAIL', error: 'ERR', skipped: '-' };

// Cluster strings reach a terminal: no control characters (an escape sequence could rewrite the screen).
// eslint-disable-next-line no-control-regex
const plain = (s: string) => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');

/** Plain text, one grid per version; `dir` is where the HTML went. */
export function renderRehearsalTable(r: RehearsalReport, index: string): string {
  const lines: string[] = [];
  const width = Math.max(9, ...r.daemonSets.map((d) => plain(d.id).length));
  for (const v of r.versions) {
    lines.push('', `${v.version} (${v.role}): ${v.verdict.toUpperCase()}`);
    lines.push(`  ${'DaemonSet'.padEnd(width)}  ${r.steps.map((s) => s.id.padEnd(16)).join('')}`);
    for (const d of r.daemonSets) {
      const run = d.runs[v.version];
      lines.push(`  ${plain(d.id).padEnd(width)}  ${r.steps.map((s) => (MARK[run?.steps[s.id]?.verdict ?? ''] ?? '?').padEnd(16)).join('')}`);
      for (const s of r.steps) {
        const o = run?.steps[s.id];
        if (o && (o.verdict === 'failed' || o.verdict === 'error')) lines.push(`    ${s.id}: ${plain(o.reason ?? '').slice(0, 240)}`);
      }
    }
  }
  if (r.diff) {
    lines.push('', `differences (${r.diff.threshold}): ${r.diff.differences.length}`);
    for (const d of r.diff.differences.slice(0, 40)) lines.push(`  ${plain(d.daemonSet)}${d.step ? ` ${d.step}` : ''} [${d.kind}]: ${plain(d.message).slice(0, 240)}`);
    if (r.diff.differences.length > 40) lines.push(`  ... ${r.diff.differences.length - 40} more in the report`);
  }
  lines.push('', `report: ${index}`, '');
  return lines.join('\n');
}
