// index.html of one run: the verdict first, the command that reproduces it, a scenario summary,
// then one section per scenario. A pure function of the model.
import type { RunReport } from './report-model.js';
import { countVerdicts, isoSpanMs } from './format.js';
import { formatMs } from '../util/duration.js';
import { html } from './html-escape.js';
import { renderPage, verdictBadge } from './html-page.js';
import { renderScenario } from './html-scenario.js';
import { failureMessage } from './junit-report.js';

/** One line saying how many scenarios ended how. */
export function verdictSummary(run: RunReport): string {
  const c = countVerdicts(run.scenarios.map((s) => s.verdict));
  const parts = (['failed', 'error', 'passed', 'skipped'] as const).filter((v) => c[v]).map((v) => `${c[v]} ${v}`);
  return `${run.scenarios.length} scenario${run.scenarios.length === 1 ? '' : 's'}: ${parts.join(', ') || 'none ran'}`;
}

/** Node count(s) across the run's clusters, e.g. "3" or "3–1000". */
function nodeCounts(run: RunReport): string {
  const n = run.scenarios.map((s) => s.cluster.nodeCount);
  if (!n.length) return '0';
  const lo = Math.min(...n);
  const hi = Math.max(...n);
  return lo === hi ? String(lo) : `${lo}–${hi}`;
}

/** The whole index.html for a run. */
export function renderRunHtml(run: RunReport): string {
  const took = formatMs(isoSpanMs(run.startedAt, run.endedAt));
  const summaryRows = run.scenarios.map((s, i) => html`<tr class="${s.verdict}"><td>${verdictBadge(s.verdict)}</td><td><a href="#scenario-${i}">${s.name}</a></td><td class="mono">${s.file}</td><td class="num">${formatMs(s.durationMs)}</td><td>${s.verdict === 'passed' || s.verdict === 'skipped' ? (s.error ?? '') : failureMessage(s)}</td></tr>`);
  const body = html`<header class="verdict-banner bg-${run.verdict}" id="verdict" data-verdict="${run.verdict}">
<h1>${run.verdict.toUpperCase()}</h1>
<p>${verdictSummary(run)} · run ${run.runId}</p>
</header>
<p class="run-meta">provider <b>${run.provider}</b> · Kubernetes <b>${run.kubernetesVersion}</b> · nodes <b>${nodeCounts(run)}</b> · ${run.startedAt} → ${run.endedAt} (${took}) · rollcall ${run.rollcallVersion}</p>
<h2>Reproduce</h2>
<pre class="command"><code>${run.command}</code></pre>
<h2>Scenarios</h2>
<table class="scenario-summary"><thead><tr><th>verdict</th><th>scenario</th><th>file</th><th class="num">took</th><th>why</th></tr></thead><tbody>${summaryRows}</tbody></table>
${run.scenarios.map((s, i) => renderScenario(s, i, run.scenarios.length === 1))}
<footer class="muted"><p>Rendered from report.json (schema ${run.schemaVersion}); re-render with <code>rollcall report DIR</code>. Timeline, events and node states in full are in report.json.</p></footer>`;
  return renderPage(`${run.verdict.toUpperCase()} · rollcall ${run.runId}`, body);
}
