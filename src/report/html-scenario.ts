// One scenario's section of index.html: verdict first, then what failed, how it unfolded over
// time, and the raw evidence (events, failure reasons, last node states) collapsed when large.
import type { ScenarioReport } from './report-model.js';
import { formatMs } from '../util/duration.js';
import { html, type SafeHtml } from './html-escape.js';
import { verdictBadge } from './html-page.js';
import { renderAssertions, renderFinalNodes } from './html-assertions.js';
import { renderTimings } from './html-timings.js';
import { renderEvents, renderFailureReasons } from './html-events.js';
import { renderCoverageCharts } from './svg-coverage-chart.js';
import { renderNodeLanes, PER_NODE_LANE_LIMIT } from './html-lanes.js';

/** The steps table. */
function renderSteps(s: ScenarioReport): SafeHtml {
  if (!s.steps.length) return html`<p class="muted">No steps ran.</p>`;
  const rows = s.steps.map((st) => html`<tr class="${st.verdict}"><td>${verdictBadge(st.verdict)}</td><td>${st.name}${st.error ? html`<div class="problem">${st.error}</div>` : ''}</td><td class="num">${formatMs(st.startMs)}</td><td class="num">${formatMs(st.endMs)}</td><td class="num">${formatMs(st.endMs - st.startMs)}</td></tr>`);
  return html`<table class="steps"><thead><tr><th>verdict</th><th>step</th><th class="num">start</th><th class="num">end</th><th class="num">took</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** rollcall's actions, numbered like the markers on the charts. */
function renderActions(s: ScenarioReport): SafeHtml {
  if (!s.actions.length) return html`<p class="muted">rollcall took no actions on the cluster.</p>`;
  return html`<ol class="actions">${s.actions.map((a) => html`<li><span class="mono">${formatMs(a.atMs)}</span> <b>${a.kind}</b> ${a.description}${a.target ? html` <span class="muted">on ${a.target}</span>` : ''}</li>`)}</ol>`;
}

/** Spans nothing was observed in: what the charts and verdicts around them could not see. */
function renderGaps(s: ScenarioReport): SafeHtml {
  if (!s.gaps?.length) return html``;
  const rows = s.gaps.map((g) => html`<li><span class="mono">${formatMs(g.fromMs)} to ${g.toMs === undefined ? 'the end' : formatMs(g.toMs)}</span> (${g.toMs === undefined ? 'open' : formatMs(g.toMs - g.fromMs)}) <b>${g.reason}</b> <span class="muted">watches: ${g.watches.join(', ')}</span></li>`);
  return html`<h3>Not observed</h3><ul class="gaps">${rows}</ul>`;
}

/** Undo actions and whether they worked. */
function renderCleanup(s: ScenarioReport): SafeHtml {
  if (!s.cleanup.length) return html``;
  return html`<details class="more"><summary>Cleanup: ${s.cleanup.filter((c) => !c.ok).length} of ${s.cleanup.length} failed</summary><ul>${s.cleanup.map((c) => html`<li>${c.ok ? 'ok' : 'FAILED'}: ${c.what}${c.error ? html` <span class="problem">${c.error}</span>` : ''}</li>`)}</ul></details>`;
}

/** Last observed node states: shown open for a failed scenario on a small cluster, collapsed otherwise. */
function renderNodesAtEnd(s: ScenarioReport, index: number): SafeHtml {
  const open = s.verdict !== 'passed' && s.finalNodes.length <= PER_NODE_LANE_LIMIT;
  const label = s.verdict === 'passed' ? 'State per node at the end' : 'Last observed state per node';
  return html`<details class="more nodes-at-end"${open ? html` open` : ''}><summary>${label} (${s.finalNodes.length} nodes)</summary>${renderFinalNodes(s.finalNodes, `nodes-${index}`)}</details>`;
}

/** The full section for one scenario; failed and errored scenarios (or a run's only one) start expanded. */
export function renderScenario(s: ScenarioReport, index: number, expand = false): SafeHtml {
  const open = expand || s.verdict === 'failed' || s.verdict === 'error';
  const meta = [`${s.file}`, formatMs(s.durationMs), `cluster ${s.cluster.name} (${s.cluster.nodeCount} nodes)`, `namespace ${s.namespace}`, ...(s.tags.length ? [`tags ${s.tags.join(', ')}`] : [])];
  return html`<details class="scenario scenario-${s.verdict}" id="scenario-${index}" data-verdict="${s.verdict}"${open ? html` open` : ''}>
<summary>${verdictBadge(s.verdict)} ${s.name} <span class="muted">${formatMs(s.durationMs)}</span></summary>
${s.error ? html`<p class="problem scenario-error"><b>${s.verdict === 'error' ? 'Error' : 'Failed'}:</b> ${s.error}</p>` : ''}
<p class="muted">${meta.join(' · ')}${s.description ? html`<br>${s.description}` : ''}</p>
<h3>Assertions</h3>${renderAssertions(s)}
<h3>Steps</h3>${renderSteps(s)}
<h3>Timings</h3>${renderTimings(s.timings)}
<h3>Coverage over time</h3>${renderCoverageCharts(s)}
<h3>Nodes over time</h3>${renderNodeLanes(s)}
<h3>What rollcall did</h3>${renderActions(s)}
${renderGaps(s)}
<h3>Pod failure reasons</h3>${renderFailureReasons(s)}
<h3>Events</h3>${renderEvents(s)}
${renderNodesAtEnd(s, index)}
${renderCleanup(s)}
</details>`;
}
