// Assertions with expected versus observed; on failure their problems, the nodes that did not
// match, and the last observed state of every node.
import type { AssertionReport, NodeState, ScenarioReport } from './report-model.js';
import { formatMs } from '../util/duration.js';
import { html, joinHtml, type SafeHtml } from './html-escape.js';
import { verdictBadge } from './html-page.js';

const NODE_ROWS_SHOWN = 50;

/** Problems and mismatching nodes of one failed assertion. */
function failureDetail(a: AssertionReport): SafeHtml {
  const bad = a.nodes.filter((n) => !n.ok);
  const problems = a.problems.length ? html`<ul class="problem">${a.problems.map((p) => html`<li>${p}</li>`)}</ul>` : html``;
  if (!bad.length) return problems;
  const rows = (list: typeof bad) => list.map((n) => html`<tr><td class="mono">${n.node}</td><td>${n.expected}</td><td>${n.observed}</td></tr>`);
  const head = html`<thead><tr><th>node</th><th>expected</th><th>observed</th></tr></thead>`;
  const shown = html`<table class="assertion-nodes">${head}<tbody>${rows(bad.slice(0, NODE_ROWS_SHOWN))}</tbody></table>`;
  const rest = bad.length > NODE_ROWS_SHOWN
    ? html`<details class="more"><summary>${bad.length - NODE_ROWS_SHOWN} more nodes that did not match</summary><table>${head}<tbody>${rows(bad.slice(NODE_ROWS_SHOWN))}</tbody></table></details>`
    : '';
  return html`${problems}${shown}${rest}`;
}

/** The assertions table; failed ones first, each followed by its detail. */
export function renderAssertions(s: ScenarioReport): SafeHtml {
  if (!s.assertions.length) return html`<p class="muted">No assertions were recorded.</p>`;
  const ordered = [...s.assertions].sort((a, b) => (a.verdict === b.verdict ? 0 : a.verdict === 'failed' ? -1 : 1));
  const rows = ordered.map((a) => {
    const detail = a.verdict === 'failed' ? html`<tr class="failed detail"><td></td><td colspan="4">${failureDetail(a)}</td></tr>` : '';
    return html`<tr class="${a.verdict}"><td>${verdictBadge(a.verdict)}</td><td>${a.name}${a.step ? html`<div class="muted">step ${a.step} · ${formatMs(a.atMs)}</div>` : ''}</td><td>${a.expected}</td><td>${a.observed}</td></tr>${detail}`;
  });
  return html`<table class="assertions"><thead><tr><th>verdict</th><th>assertion</th><th>expected</th><th>observed</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** Labels as `key=value` text. */
function labelText(labels: Record<string, string> | undefined): string {
  return Object.entries(labels ?? {}).map(([k, v]) => `${k}=${v}`).join(', ');
}

/** The last observed state per node, as a filterable table (the filter needs JS; the table does not). */
export function renderFinalNodes(nodes: NodeState[], id: string): SafeHtml {
  if (!nodes.length) return html`<p class="muted">No node state was recorded.</p>`;
  const rows = nodes.map((n) => html`<tr class="${n.ready === 'True' ? '' : 'failed'}"><td class="mono">${n.node}</td><td>${n.ready === 'True' ? 'Ready' : n.ready === 'False' ? 'NotReady' : n.ready}</td><td>${n.unschedulable ? 'cordoned' : ''}</td><td>${n.taints.join(', ')}</td><td class="mono">${n.pods.join(', ')}</td><td>${labelText(n.labels)}</td></tr>`);
  return html`<input class="filter" type="search" placeholder="filter nodes" data-filter="${id}" hidden>
<table class="final-nodes" id="${id}"><thead><tr><th>node</th><th>ready</th><th>cordon</th><th>taints</th><th>pods</th><th>labels</th></tr></thead><tbody>${joinHtml(rows)}</tbody></table>`;
}
