// index.html of a rehearsal: the DaemonSet x step matrix per version on top, check's prediction beside what happened,
// then the version diff and what the copy leaves out. Every cluster string goes through src/report/html-escape.ts.
import type { DaemonSetRehearsal, RehearsalReport, StepOutcome } from '../rehearse/rehearsal-model.js';
import { html, joinHtml, type SafeHtml } from '../report/html-escape.js';
import { renderPage, verdictBadge } from '../report/html-page.js';

const secs = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);

function cell(o: StepOutcome | undefined, href: string): SafeHtml {
  if (!o) return html`<td class="muted">not run</td>`;
  const timings = o.timings.map((t) => html`<div class="mono">${t.name}: ${secs(t.ms)}</div>`);
  const uncovered = o.uncovered?.length ? html`<div>uncovered: ${o.uncovered.map((u) => u.node).join(', ')}</div>` : '';
  const reason = o.reason ? html`<div class="${o.verdict === 'skipped' ? 'muted' : 'problem'}">${o.reason.length > 300 ? `${o.reason.slice(0, 297)}...` : o.reason}</div>` : '';
  const notes = o.notes.map((n) => html`<div class="muted">${n}</div>`);
  return html`<td class="cell-${o.verdict}" data-verdict="${o.verdict}"><a href="${href}">${verdictBadge(o.verdict)}</a>${uncovered}${reason}${timings}${notes}</td>`;
}

function predictionCell(d: DaemonSetRehearsal): SafeHtml {
  const runs = d.prediction.filter((p) => p.expect === 'runs').length;
  const none = d.prediction.filter((p) => p.expect === 'no pod');
  const pending = d.prediction.filter((p) => p.expect === 'pending');
  const errors = d.findings.filter((f) => f.severity === 'error');
  return html`<td><div>${runs} nodes run it</div>${none.length ? html`<div>no pod on ${none.map((p) => p.node).join(', ')}</div>` : ''}${pending.length ? html`<div class="problem">cannot start on ${pending.map((p) => `${p.node} (${p.why})`).join(', ')}</div>` : ''}${errors.map((f) => html`<div class="problem">${f.check}: ${f.message}</div>`)}</td>`;
}

function matrix(r: RehearsalReport, version: string): SafeHtml {
  const head = joinHtml(r.steps.map((s) => html`<th title="${s.title}">${s.id}</th>`));
  const rows = r.daemonSets.map((d) => {
    const run = d.runs[version];
    const cells = r.steps.map((s) => cell(run?.steps[s.id], run?.detail ?? '#'));
    return html`<tr data-daemonset="${d.id}"><th class="mono"><a href="${run?.detail ?? '#'}">${d.id}</a><div class="muted">${d.strategy}${run ? `, ${secs(run.durationMs)}` : ''}</div></th>${predictionCell(d)}${cells}</tr>`;
  });
  return html`<table class="matrix" data-version="${version}"><thead><tr><th>DaemonSet</th><th>check predicted</th>${head}</tr></thead><tbody>${rows}</tbody></table>`;
}

function diffSection(r: RehearsalReport): SafeHtml {
  if (!r.diff) return html`<p class="muted">One version only: pass --against to compare with the version you run now.</p>`;
  const [a, b] = r.versions;
  const rows = r.diff.differences.map((d) => html`<tr data-kind="${d.kind}"><td class="mono">${d.daemonSet}</td><td>${d.step ?? ''}</td><td>${d.kind}</td><td>${d.message}</td></tr>`);
  return html`<p>${a?.version} (target) against ${b?.version} (current). Threshold: ${r.diff.threshold}.</p>
${rows.length ? html`<table class="diff"><thead><tr><th>DaemonSet</th><th>step</th><th>what</th><th>difference</th></tr></thead><tbody>${rows}</tbody></table>` : html`<p>No difference beyond noise: same verdicts, timings within the threshold, the same events.</p>`}`;
}

/** The whole index.html of a rehearsal. */
export function renderRehearsalHtml(r: RehearsalReport): string {
  const versions = r.versions.map((v) => html`<h2 id="matrix-${v.version}">${v.version} (${v.role}) ${verdictBadge(v.verdict)} <span class="muted">${secs(v.durationMs)} of scenarios, <a href="runs/${v.version}/index.html">details</a></span></h2>${matrix(r, v.version)}`);
  const pools = r.pools.map((p) => html`<li class="mono">${p.name}: ${p.kept.length} of ${p.total} nodes (${p.combinations} label/taint combinations): ${p.kept.join(', ')}</li>`);
  const body = html`<style>.matrix td,.matrix th{font-size:12.5px}.cell-failed{background:#fff5f5}.cell-error{background:#fff1e6}.cell-skipped{background:var(--soft)}</style>
<header class="verdict-banner bg-${r.verdict}" id="verdict" data-verdict="${r.verdict}"><h1>Rehearsal ${r.verdict.toUpperCase()}</h1>
<p>${r.twinName} (captured ${r.capturedAt}, ${r.serverVersion}) on ${r.versions.map((v) => v.version).join(' and ')}</p></header>
<p>Source: <span class="mono">${r.source}</span>. Copy: ${r.pools.reduce((a, p) => a + p.kept.length, 0)} of ${r.twinNodeCount} nodes, at most ${r.maxNodesPerPool} per pool, every label/taint combination kept.</p>
${versions}
<h2 id="diff">Version diff</h2>${diffSection(r)}
<h2>Pools of the copy</h2><ul>${pools}</ul>
<h2>What the copy does not reproduce</h2><ul>${r.notes.map((n) => html`<li>${n}</li>`)}</ul>`;
  return renderPage(`rollcall rehearse: ${r.twinName}`, body);
}
