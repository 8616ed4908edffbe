import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { renderRunHtml } from '../../../src/report/html-report.js';
import { renderHistoryHtml } from '../../../src/report/history-page.js';
import { esc, html } from '../../../src/report/html-escape.js';
import { HOSTILE, HOSTILE_NODE, HOSTILE_SENTINELS, failingScenario, largeScenario, passingScenario, runReport } from './fixtures.js';

const failingRun = runReport([passingScenario(), failingScenario()]);
const page = renderRunHtml(failingRun);

/** Start tags in the page (text was escaped, so every raw '<x' is markup we wrote). */
function startTags(doc: string): string[] {
  return [...doc.matchAll(/<([a-zA-Z][\w-]*)([^>]*)>/g)].map((m) => m[0]);
}

describe('index.html of a run', () => {
  it('puts the verdict first: the body opens with the run verdict and counts', () => {
    const body = page.slice(page.indexOf('<body>') + 6).trimStart();
    expect(body.startsWith('<header class="verdict-banner bg-failed" id="verdict" data-verdict="failed">\n<h1>FAILED</h1>')).toBe(true);
    expect(body.indexOf('2 scenarios: 1 failed, 1 passed')).toBeLessThan(body.indexOf('<h2'));
    expect(page).toMatch(/<title>FAILED · rollcall 20260301-020000-ab12<\/title>/);
  });

  it('shows each scenario with steps, assertions (expected vs observed), timings against thresholds, and the reproduce command', () => {
    expect(page).toContain('<pre class="command"><code>rollcall run scenarios/ --provider kwok --seed 42</code></pre>');
    expect(page).toMatch(/<details class="scenario scenario-failed" id="scenario-1" data-verdict="failed" open>/);
    expect(page).toMatch(/<details class="scenario scenario-passed" id="scenario-0" data-verdict="passed">/);
    expect(page).toContain('<td>at most 1 node without an available pod (maxUnavailable 1)</td>');
    expect(page).toContain('<td class="mono">worker-1</td><td>available pod</td><td>agent-bad-0 CrashLoopBackOff (3 restarts)</td>');
    expect(page).toMatch(/<td>halt detected<\/td><td class="num">7\.2s<\/td><td class="num">5\.0s<\/td>/);
    expect(page).toContain('set image v2 and wait for rollout');
  });

  it('on failure, shows the last observed state per node, open', () => {
    expect(page).toMatch(/<details class="more nodes-at-end" open><summary>Last observed state per node \(3 nodes\)<\/summary>/);
    expect(page).toMatch(/<td class="mono">node-&lt;img src=x onerror=alert\(1\)&gt;<\/td><td>NotReady<\/td><td>cordoned<\/td>/);
  });

  it('draws a coverage chart with desired, available and updated, and per-node swimlanes with action markers', () => {
    expect(page.match(/<svg class="coverage-chart"/g)).toHaveLength(2);
    for (const k of ['desired', 'available', 'updated']) expect(page).toMatch(new RegExp(`<polyline class="series series-${k}" points="[\\d.]+,[\\d.]+ `));
    expect(page).toMatch(/<svg class="swimlanes" [^>]*data-lanes="3"/);
    expect(page).toContain('<g class="lane" data-node="node-&lt;img src=x onerror=alert(1)&gt;">');
    expect(page).toMatch(/class="pod pod-failing"><title>pod agent-bad-0 on worker-1: failing, revision 2, CrashLoopBackOff, 3 restarts/);
    expect(page).toMatch(/class="node-notready"/);
    expect(page).toMatch(/<path class="action-mark"[^>]*><title>2\. 3\.0s node\.fail: stop heartbeats<\/title>/);
  });

  it('marks watch gaps on the coverage chart, so a flat line is not mistaken for calm', () => {
    const s = passingScenario();
    s.timeline.push({ atMs: 4000, kind: 'Gap', type: 'GAP', name: 'pods', summary: { reason: '410 Gone: relisted' } });
    expect(renderRunHtml(runReport([s]))).toMatch(/<g class="gap"><title>4\.0s watch gap on pods: 410 Gone: relisted<\/title><line /);
  });

  it('lists warning events before normal ones, and pod failure reasons', () => {
    const warnings = page.indexOf('<h4>2 warnings</h4>');
    expect(warnings).toBeGreaterThan(0);
    expect(page.indexOf('Back-off restarting failed container')).toBeGreaterThan(warnings);
    expect(page.indexOf('Back-off restarting failed container')).toBeLessThan(page.indexOf('<summary>2 normal events</summary>'));
    expect(page).toMatch(/<table class="failure-reasons">.*<td><b>CrashLoopBackOff<\/b><\/td><td class="num">1<\/td>/s);
  });

  it('escapes every hostile cluster string: no tag or event handler from the data survives', () => {
    expect(page).not.toContain(HOSTILE);
    for (const s of HOSTILE_SENTINELS) expect(page).not.toContain(s);
    expect(page).toContain(esc(HOSTILE_NODE));
    expect(page).toContain(`role=${esc(HOSTILE)}`); // the hostile label value
    const tags = startTags(page);
    expect(tags.filter((t) => /\son[a-z]+\s*=/i.test(t.replace(/"[^"]*"/g, '""')))).toEqual([]);
    expect(tags.filter((t) => /^<(img|iframe|object|embed)\b/i.test(t))).toEqual([]);
    expect(page.match(/<script/g)).toHaveLength(1);
  });

  it('loads nothing from anywhere: no URL, a CSP that allows only its own script by hash', () => {
    expect(page).not.toMatch(/https?:\/\//);
    expect(page).not.toMatch(/\s(src|href)="(?!#|data:)/);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)![1]!.replace(/&#39;/g, "'");
    expect(csp).toMatch(/^default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-[A-Za-z0-9+/=]+'; img-src data:/);
    const script = /<script>([\s\S]*?)<\/script>/.exec(page)![1]!;
    expect(csp).toContain(`'sha256-${createHash('sha256').update(script).digest('base64')}'`);
  });

  it('has print styles and works without script (collapsible detail is <details>)', () => {
    expect(page).toContain('@media print');
    expect(page).toMatch(/<input class="filter" [^>]*hidden>/);
  });

  it('renders a 1,000-node run as aggregated lanes, compactly, with per-node detail collapsed', () => {
    const big = renderRunHtml(runReport([largeScenario(1000)]));
    expect(big.length).toBeLessThan(600_000);
    expect(big).toMatch(/<svg class="swimlanes aggregate-lanes" [^>]*data-lanes="aggregate" data-nodes="1000"/);
    expect(big).toMatch(/<polygon class="area pod-ready-old"/);
    expect(big).not.toMatch(/<svg class="swimlanes" [^>]*data-lanes="1000"/);
    // Only the nodes that went NotReady or had a failing pod get their own lane, inside a closed <details>.
    expect(big).toMatch(/<details class="more"><summary>Per-node lanes for 5 nodes that deviated[^<]*<\/summary><svg class="swimlanes" [^>]*data-lanes="5"/);
    expect(big).toMatch(/<details class="more nodes-at-end"><summary>State per node at the end \(1000 nodes\)/);
    expect(big).toContain('Showing 200 of 300 events; report.json has them all.');
  });
});

describe('html templates', () => {
  it('escape every interpolation, including attributes, unless it is already markup', () => {
    const v = `"'><b>&`;
    expect(html`<a title="${v}">${v}</a>`.value).toBe('<a title="&quot;&#39;&gt;&lt;b&gt;&amp;">&quot;&#39;&gt;&lt;b&gt;&amp;</a>');
    expect(html`<p>${html`<b>${v}</b>`}</p>`.value).toBe('<p><b>&quot;&#39;&gt;&lt;b&gt;&amp;</b></p>');
    expect(esc('a\u0000b')).toBe('a\uFFFDb');
  });
});

describe('history page', () => {
  it('lists runs newest first with verdicts and a trend line per timing', () => {
    const older = runReport([passingScenario()], { runId: 'run-1', startedAt: '2026-03-01T00:00:00Z' });
    const failing = runReport([failingScenario()], { runId: 'run-2', startedAt: '2026-03-02T00:00:00Z' });
    const newer = runReport([{ ...passingScenario(), timings: [{ ...passingScenario().timings[0]!, ms: 6000 }] }], { runId: 'run-3', startedAt: '2026-03-03T00:00:00Z' });
    const doc = renderHistoryHtml([newer, failing, older].map((r) => ({ dir: r.runId, report: r })).concat([{ dir: 'broken', problem: 'not valid JSON' } as never]));
    expect(doc).toMatch(/<h1>Latest run: PASSED<\/h1>/);
    expect(doc.indexOf('>run-3</a>')).toBeLessThan(doc.indexOf('>run-2</a>'));
    expect(doc.indexOf('>run-2</a>')).toBeLessThan(doc.indexOf('>run-1</a>'));
    expect(doc).toContain('<a href="run-2/index.html">run-2</a>');
    expect(doc).toMatch(/<td class="mono">broken<\/td><td colspan="4" class="problem">not valid JSON<\/td>/);
    expect(doc).toMatch(/<tr class="passed"><td>rolling update completes \/ rollout duration<\/td><td><svg class="sparkline" [^>]*data-points="2">/);
    expect(doc).toMatch(/<title>run-1: 4\.5s \(threshold 30\.0s\)<\/title>.*<title>run-3: 6\.0s/s);
    expect(doc).not.toContain(HOSTILE);
    expect(doc).not.toMatch(/https?:\/\//);
  });
});
