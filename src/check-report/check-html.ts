// index.html of a check: verdict, one row per DaemonSet, then per DaemonSet its findings and per-node coverage.
// Every cluster string goes through the `html` template (src/report/html-escape.ts); the page shell is the run report's.
import type { CheckReport, DaemonSetCheck, Finding } from '../check/check-model.js';
import { html, type SafeHtml } from '../report/html-escape.js';
import { renderPage } from '../report/html-page.js';
import { formatSeconds, rolloutLine, severityCounts } from './terminal-table.js';

/** A coloured severity label; the text carries the meaning. */
function badge(severity: string): SafeHtml {
  return html`<span class="v v-${severity}">${severity.toUpperCase()}</span>`;
}

function findingsTable(findings: Finding[]): SafeHtml {
  if (!findings.length) return html`<p class="muted">No findings.</p>`;
  const rows = findings.map((f) => html`<tr class="${f.severity === 'error' ? 'failed' : f.severity}" data-check="${f.check}"><td>${badge(f.severity)}</td><td class="mono">${f.check}</td><td>${f.message}<ul class="evidence">${f.evidence.map((e) => html`<li class="mono">${e}</li>`)}</ul></td><td>${f.fix}</td></tr>`);
  return html`<table class="findings"><thead><tr><th>severity</th><th>check</th><th>finding and evidence</th><th>fix</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function coverageTable(d: DaemonSetCheck, index: number): SafeHtml {
  const rows = d.coverage.map((c) => html`<tr class="${c.eligible && !c.availableNow ? 'failed' : ''}" data-node="${c.node}"><td class="mono">${c.node}</td><td>${c.eligible ? 'eligible' : c.keepsExistingPod ? 'no (an existing pod may stay)' : 'no'}</td><td>${c.reasons.join('; ')}</td><td>${c.pods}</td></tr>`);
  const id = `coverage-${index}`;
  return html`<input class="filter" type="search" placeholder="filter nodes" data-filter="${id}" hidden>
<table class="coverage" id="${id}"><thead><tr><th>node</th><th>should run</th><th>why not</th><th>daemon pods now</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function daemonSetSection(d: DaemonSetCheck, index: number): SafeHtml {
  const c = severityCounts(d.findings);
  const eligible = d.coverage.filter((x) => x.eligible);
  const r = d.rollout;
  const open = c.error > 0 || c.warning > 0;
  return html`<details class="scenario" id="ds-${index}"${open ? html` open` : ''}><summary>${d.daemonSet} · ${c.error} errors, ${c.warning} warnings</summary>
<p>${eligible.length} of ${d.coverage.length} nodes eligible, ${eligible.filter((x) => x.availableNow).length} with an available pod now.
Rollout: <b>${rolloutLine(d)}</b>${r.strategy === 'RollingUpdate' ? html` (desired ${r.desired}, status says ${r.statusDesired}; ${r.extraPodsAtOnce} extra pods at once; ${formatSeconds(r.secondsPerWave)} per wave)` : ''}.</p>
<p class="muted">Assumed: ${r.assumption}.</p>
<h3>Findings</h3>${findingsTable(d.findings)}
<details class="more"${eligible.some((x) => !x.availableNow) || d.coverage.length <= 50 ? html` open` : ''}><summary>Coverage per node (${d.coverage.length})</summary>${coverageTable(d, index)}</details>
</details>`;
}

/** The whole index.html of a check. */
export function renderCheckHtml(report: CheckReport): string {
  const all = [...report.daemonSets.flatMap((d) => d.findings), ...report.manifestFindings];
  const c = severityCounts(all);
  const verdict = report.failed ? 'failed' : 'passed';
  const rows = report.daemonSets.map((d, i) => {
    const k = severityCounts(d.findings);
    const eligible = d.coverage.filter((x) => x.eligible);
    return html`<tr class="${k.error ? 'failed' : k.warning ? 'warning' : ''}"><td><a href="#ds-${i}">${d.daemonSet}</a></td><td class="num">${eligible.length}/${d.coverage.length}</td><td class="num">${eligible.filter((x) => x.availableNow).length}/${eligible.length}</td><td class="num">${k.error}</td><td class="num">${k.warning}</td><td>${rolloutLine(d)}</td></tr>`;
  });
  const manifests = report.manifestFiles.length ? html`<h2>Manifests</h2><p class="muted">${report.manifestFiles.length} files from --manifests checked for apiVersions removed in ${report.serverVersion}${report.targetVersion ? html` or v${report.targetVersion}` : ''}.</p>${findingsTable(report.manifestFindings)}` : html``;
  const body = html`<header class="verdict-banner bg-${verdict}" id="verdict" data-verdict="${verdict}">
<h1>${verdict.toUpperCase()}</h1>
<p>${c.error} errors, ${c.warning} warnings, ${c.info} info · fails on ${report.failOn} · ${report.daemonSets.length} DaemonSets on ${report.nodeCount} nodes</p>
</header>
<p class="run-meta">twin <b>${report.twinName}</b> from ${report.source} · captured ${report.capturedAt} · Kubernetes <b>${report.serverVersion}</b>${report.targetVersion ? html` · target <b>v${report.targetVersion}</b>` : ''}</p>
<h2>DaemonSets</h2>
<table class="scenario-summary"><thead><tr><th>DaemonSet</th><th class="num">eligible</th><th class="num">available now</th><th class="num">errors</th><th class="num">warnings</th><th>rollout</th></tr></thead><tbody>${rows}</tbody></table>
${report.daemonSets.map((d, i) => daemonSetSection(d, i))}
${manifests}
<footer class="muted"><p>Checks: ${report.checks.join(', ')}${report.manifestFiles.length ? ', removed-api' : ''}. Rollout times assume a pod is Ready ${report.assumedReadySeconds} s after it is created. The model is check.json (schema ${report.schemaVersion}).</p></footer>`;
  return renderPage(`${verdict.toUpperCase()} · rollcall check ${report.twinName}`, body);
}
