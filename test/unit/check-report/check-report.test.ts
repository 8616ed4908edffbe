import { describe, expect, it } from 'vitest';
import { checkTwin } from '../../../src/check/check-twin.js';
import { renderCheckHtml } from '../../../src/check-report/check-html.js';
import { renderCheckJunit } from '../../../src/check-report/check-junit.js';
import { renderCheckTable } from '../../../src/check-report/terminal-table.js';
import { coveredEverywhere, twin, twinDs, twinNode } from '../check/fixtures.js';

const HOSTILE = '<img src=x onerror=alert(1)>';
const nodes = [twinNode('a'), twinNode('b', { taints: [{ key: 'evil', value: HOSTILE, effect: 'NoSchedule' }] })];
const report = (failOn: 'warning' | 'error' = 'error') => checkTwin(twin(nodes, [
  coveredEverywhere(twinDs('agent', { pod: { priorityClassName: undefined } }), nodes.slice(0, 1)),
  twinDs('picky', { pod: { nodeSelector: { pool: HOSTILE } } }),
]), { source: 'unit.yaml', failOn });

describe('check reports', () => {
  it('HTML escapes every cluster string and shows each finding and node reason', () => {
    const page = renderCheckHtml(report());
    expect(page).not.toContain('<img');
    expect(page).toContain('taint evil=&lt;img src=x onerror=alert(1)&gt;:NoSchedule not tolerated');
    expect(page).toContain('data-check="priority-class"');
    expect(page).toContain('data-verdict="passed"');
    expect(page).toMatch(/<tr class="" data-node="a"><td class="mono">a<\/td><td>eligible<\/td>/);
  });

  it('JUnit has one testcase per DaemonSet x check, failing only at --fail-on', () => {
    const r = report();
    const xml = renderCheckJunit(r);
    expect(xml.match(/<testcase /g)).toHaveLength(2 * r.checks.length);
    expect(xml).toContain('failures="0"');
    expect(xml).toMatch(/<testcase name="priority-class" classname="ops\/agent" time="0.000">\n\s+<system-out>warning: priorityClassName is not set/);
    const strict = renderCheckJunit(report('warning'));
    expect(strict).toMatch(/failures="2"/); // agent priority-class, picky no-eligible-node
    expect(strict).toMatch(/<testcase name="no-eligible-node" classname="ops\/picky" time="0.000">\n\s+<failure message="no node should run it/);
  });

  it('the terminal table gives one row per DaemonSet and the verdict last', () => {
    const text = renderCheckTable(report(), '/r');
    expect(text).toContain('ops/agent  1/2       1/1            0    1     maxUnavailable 1: 1 down at once, 1 wave, ~10 s (worst 40 s)');
    expect(text).toContain('  not eligible: a (nodeSelector pool=<img src=x onerror=alert(1)> does not match); b (');
    expect(renderCheckTable(checkTwin(twin([twinNode('x\u001b[31m')], []), { source: 'u' }))).not.toContain('\u001b'); // no terminal escapes from the cluster
    expect(text.trimEnd().split('\n').slice(-3)).toEqual([
      'PASSED (--fail-on error): 0 errors, 2 warnings, 1 info',
      'rollout time assumes a pod is Ready 10 s after creation, plus minReadySeconds',
      'report: /r/index.html (check.json, junit.xml)',
    ]);
  });
});
