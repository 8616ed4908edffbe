// reports/index.html: every run newest first with its verdict, each scenario's verdict across
// recent runs, and a trend line per timing over the last runs.
import type { RunReport } from './report-model.js';
import { isoSpanMs } from './format.js';
import { formatMs } from '../util/duration.js';
import { html, joinHtml, type SafeHtml } from './html-escape.js';
import { renderPage, verdictBadge } from './html-page.js';
import { verdictSummary } from './html-report.js';
import { renderSparkline, type TrendPoint } from './svg-sparkline.js';

export const TREND_RUNS = 20;

export interface HistoryEntry {
  /** The run folder's name, relative to the history page. */
  dir: string;
  report?: RunReport;
  /** Why report.json could not be read, when it could not. */
  problem?: string;
}

/** Timing series keyed by "scenario / timing", oldest run first, over the given runs. */
export function timingTrends(runsNewestFirst: RunReport[], limit = TREND_RUNS): Map<string, TrendPoint[]> {
  const trends = new Map<string, TrendPoint[]>();
  for (const run of runsNewestFirst.slice(0, limit).reverse()) {
    for (const s of run.scenarios) {
      for (const t of s.timings) {
        const key = `${s.name} / ${t.name}`;
        const list = trends.get(key) ?? [];
        list.push({ runId: run.runId, ms: t.ms, thresholdMs: t.thresholdMs, verdict: t.verdict });
        trends.set(key, list);
      }
    }
  }
  return trends;
}

/** Median of a non-empty list. */
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The trends table. */
function renderTrends(runs: RunReport[]): SafeHtml {
  const trends = timingTrends(runs);
  if (!trends.size) return html`<p class="muted">No timings recorded yet.</p>`;
  const rows = [...trends].sort(([a], [b]) => a.localeCompare(b)).map(([key, pts]) => {
    const ms = pts.map((p) => p.ms);
    const last = pts.at(-1)!;
    return html`<tr class="${last.verdict}"><td>${key}</td><td>${renderSparkline(pts, key)}</td><td class="num">${formatMs(last.ms)}</td><td class="num">${formatMs(Math.min(...ms))}</td><td class="num">${formatMs(median(ms))}</td><td class="num">${formatMs(Math.max(...ms))}</td><td class="num">${last.thresholdMs !== undefined ? formatMs(last.thresholdMs) : '—'}</td></tr>`;
  });
  return html`<table class="trends"><thead><tr><th>scenario / timing</th><th>last ${TREND_RUNS} runs</th><th class="num">last</th><th class="num">min</th><th class="num">median</th><th class="num">max</th><th class="num">threshold</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** Each scenario's verdicts over the recent runs (oldest left), as letters that also print in grey. */
function renderScenarioHistory(runs: RunReport[]): SafeHtml {
  const recent = runs.slice(0, TREND_RUNS).reverse();
  const names = [...new Set(recent.flatMap((r) => r.scenarios.map((s) => s.name)))].sort();
  if (!names.length) return html``;
  const rows = names.map((n) => html`<tr><td>${n}</td><td>${joinHtml(recent.map((r) => {
    const s = r.scenarios.find((x) => x.name === n);
    return s ? html`<span class="v v-${s.verdict} cell" title="${r.runId}: ${s.verdict}">${s.verdict[0]!.toUpperCase()}</span>` : html`<span class="v cell muted" title="${r.runId}: not run">·</span>`;
  }), ' ')}</td></tr>`);
  return html`<table class="scenario-history"><thead><tr><th>scenario</th><th>verdict per run (oldest → newest)</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** The runs table, newest first; each run links to its own index.html. */
function renderRuns(entries: HistoryEntry[]): SafeHtml {
  const rows = entries.map((e) => {
    const r = e.report;
    if (!r) return html`<tr class="error"><td>${verdictBadge('error')}</td><td class="mono">${e.dir}</td><td colspan="4" class="problem">${e.problem ?? 'no report.json'}</td></tr>`;
    return html`<tr class="${r.verdict}"><td>${verdictBadge(r.verdict)}</td><td class="mono"><a href="${encodeURIComponent(e.dir)}/index.html">${r.runId}</a></td><td>${r.startedAt}</td><td class="num">${formatMs(isoSpanMs(r.startedAt, r.endedAt))}</td><td>${r.provider} · ${r.kubernetesVersion}</td><td>${verdictSummary(r)}</td></tr>`;
  });
  return html`<table class="runs"><thead><tr><th>verdict</th><th>run</th><th>started</th><th class="num">took</th><th>cluster</th><th>scenarios</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** The whole history page, given run folders newest first. */
export function renderHistoryHtml(entries: HistoryEntry[]): string {
  const runs = entries.flatMap((e) => (e.report ? [e.report] : []));
  const newest = runs[0];
  const head = newest
    ? html`<header class="verdict-banner bg-${newest.verdict}" data-verdict="${newest.verdict}"><h1>Latest run: ${newest.verdict.toUpperCase()}</h1><p>${verdictSummary(newest)} · run ${newest.runId} · ${runs.length} runs recorded</p></header>`
    : html`<header class="verdict-banner bg-skipped"><h1>No runs yet</h1></header>`;
  return renderPage('rollcall run history', html`${head}<h2>Runs</h2>${renderRuns(entries)}<h2>Scenarios across runs</h2>${renderScenarioHistory(runs)}<h2>Timing trends</h2>${renderTrends(runs)}`);
}
