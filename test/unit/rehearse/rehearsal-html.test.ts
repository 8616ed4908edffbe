import { describe, expect, it } from 'vitest';
import type { RehearsalReport } from '../../../src/rehearse/rehearsal-model.js';
import { renderRehearsalHtml } from '../../../src/rehearse-report/rehearsal-html.js';
import { renderRehearsalTable } from '../../../src/rehearse-report/rehearsal-table.js';
import { BATTERY } from '../../../src/rehearse/battery/rehearsal-scenario.js';

const HOSTILE = '<img src=x onerror=alert(1)>';
const steps = Object.fromEntries(BATTERY.map((s) => [s.id, { verdict: 'skipped' as const, reason: 'n/a', durationMs: 0, timings: [], notes: [] }]));
const run = (verdict: 'passed' | 'failed') => ({
  verdict, detail: 'runs/v1.36.3/index.html#scenario-0', durationMs: 60_000, events: [], staleReads: 0,
  steps: { ...steps, coverage: { verdict: 'passed' as const, durationMs: 1, timings: [{ name: 'applied -> coverage as predicted', ms: 800 }], notes: [], uncovered: [{ node: `gpu-${HOSTILE}`, observed: 'taint' }] },
    'rolling-update': { verdict, reason: `surge pod ${HOSTILE} unschedulable\u001b[2J`, durationMs: 1, timings: [], notes: [`eviction refused ${HOSTILE}`] } },
});
const report: RehearsalReport = {
  schemaVersion: 1, source: `twin-${HOSTILE}.yaml`, twinName: HOSTILE, capturedAt: '2025-06-01T12:00:00Z', serverVersion: 'v1.36.3',
  startedAt: '', endedAt: '', verdict: 'failed', maxNodesPerPool: 2, twinNodeCount: 500,
  versions: [{ version: 'v1.36.3', role: 'target', durationMs: 60_000, verdict: 'failed' }, { version: 'v1.35.4', role: 'current', durationMs: 50_000, verdict: 'passed' }],
  pools: [{ name: `pool=${HOSTILE}`, total: 100, combinations: 1, kept: ['a', 'b'] }],
  steps: BATTERY.map((s) => ({ id: s.id, title: s.title })),
  daemonSets: [{ id: `ops/${HOSTILE}`, strategy: 'RollingUpdate', findings: [{ check: 'host-port-surge', severity: 'error', message: HOSTILE }],
    prediction: [{ node: 'a', expect: 'runs', why: 'eligible' }, { node: `gpu-${HOSTILE}`, expect: 'no pod', why: 'taint' }],
    runs: { 'v1.36.3': run('failed'), 'v1.35.4': run('passed') } }],
  diff: { threshold: 'a timing differs when ...', differences: [{ daemonSet: `ops/${HOSTILE}`, step: 'rolling-update', kind: 'verdict', message: `v1.36.3: failed (${HOSTILE})` }] },
  notes: ['kwok plays the kubelets'],
};

describe('rehearsal reports', () => {
  it('HTML: a matrix per version, prediction beside outcome, links to the detail, every cluster string escaped', () => {
    const page = renderRehearsalHtml(report);
    expect(page).not.toContain('<img');
    expect(page.match(/<table class="matrix" data-version="v1\.3[56]\.\d">/g)).toHaveLength(2);
    expect(page).toContain('<td class="cell-failed" data-verdict="failed"><a href="runs/v1.36.3/index.html#scenario-0">');
    expect(page).toContain('uncovered: gpu-&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('no pod on gpu-&lt;img');
    expect(page).toContain('id="diff"');
    expect(page).toContain('<tr data-kind="verdict">');
    expect(page).toContain('2 of 500 nodes, at most 2 per pool');
  });

  it('terminal: one grid per version, failures with their reason, no control characters', () => {
    const text = renderRehearsalTable(report, '/r/index.html');
    expect(text).toContain('v1.36.3 (target): FAILED');
    expect(text).toMatch(/ops\/<img src=x onerror=alert\(1\)>\s+ok\s+FAIL\s+-/);
    expect(text).toContain('rolling-update: surge pod <img src=x onerror=alert(1)> unschedulable?[2J');
    expect(text).not.toContain('\u001b');
    expect(text).toContain('differences (a timing differs when ...): 1');
  });
});
