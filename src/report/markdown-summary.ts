// The Markdown summary appended to $GITHUB_STEP_SUMMARY: verdict, one row per scenario, failed
// assertions and timings. Cluster strings are escaped so they cannot inject Markdown or HTML.
import type { RunReport } from './report-model.js';
import { isoSpanMs } from './format.js';
import { formatMs } from '../util/duration.js';
import { failureMessage } from './junit-report.js';
import { verdictSummary } from './html-report.js';

const ICON: Record<string, string> = { passed: '✅', failed: '❌', error: '💥', skipped: '⏭️' };

/** Escapes text for a Markdown table cell (pipes, newlines, HTML, emphasis and link syntax). */
export function mdCell(text: string): string {
  return text
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|#!])/g, '\\$1')
    .replace(/\r?\n/g, ' ');
}

/** The Markdown summary of a run. */
export function renderMarkdownSummary(run: RunReport, reportDir?: string): string {
  const lines = [
    `## rollcall: ${ICON[run.verdict] ?? ''} ${run.verdict.toUpperCase()}`,
    '',
    `${mdCell(verdictSummary(run))} · provider ${mdCell(run.provider)} · Kubernetes ${mdCell(run.kubernetesVersion)} · ${formatMs(isoSpanMs(run.startedAt, run.endedAt))}`,
    '',
    '| verdict | scenario | took | why |',
    '|---|---|---:|---|',
    ...run.scenarios.map((s) => `| ${ICON[s.verdict] ?? ''} ${s.verdict} | ${mdCell(s.name)} | ${formatMs(s.durationMs)} | ${s.verdict === 'passed' ? '' : mdCell(failureMessage(s))} |`),
  ];
  const timings = run.scenarios.flatMap((s) => s.timings.map((t) => ({ s, t })));
  if (timings.length) {
    lines.push('', '| scenario | timing | measured | threshold |', '|---|---|---:|---:|');
    for (const { s, t } of timings) lines.push(`| ${mdCell(s.name)} | ${t.verdict === 'failed' ? '❌ ' : ''}${mdCell(t.name)} | ${formatMs(t.ms)} | ${t.thresholdMs !== undefined ? formatMs(t.thresholdMs) : ''} |`);
  }
  if (reportDir) lines.push('', `Report: \`${reportDir.replace(/`/g, "'")}/index.html\``);
  return `${lines.join('\n')}\n\n`;
}
