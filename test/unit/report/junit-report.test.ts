import { describe, expect, it } from 'vitest';
import { renderJunit, xmlEscape } from '../../../src/report/junit-report.js';
import { HOSTILE, failingScenario, passingScenario, runReport } from './fixtures.js';

/** A tiny well-formedness check: balanced tags, quoted attributes, no raw '<' or stray '&' in text. */
function checkWellFormed(xml: string): string[] {
  const errors: string[] = [];
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<|&(?!(?:amp|lt|gt|quot|apos|#\d+);)/g;
  let m: RegExpExecArray | null;
  while ((m = tag.exec(body))) {
    if (!m[2]) { errors.push(`stray ${m[0]} at ${m.index}`); continue; }
    if (m[1]) { if (stack.pop() !== m[2]) errors.push(`unbalanced </${m[2]}>`); } else if (!m[4]) stack.push(m[2]);
  }
  if (stack.length) errors.push(`unclosed ${stack.join(',')}`);
  return errors;
}

describe('junit.xml', () => {
  const run = runReport([passingScenario(), failingScenario(), { ...passingScenario(), name: 'skipped one', verdict: 'skipped', error: 'provider kwok cannot pause nodes' }, { ...passingScenario(), name: 'broken', verdict: 'error', error: 'cluster did not start: etcd exited 1' }]);
  const xml = renderJunit(run);

  it('is well-formed XML with one testcase per scenario and suite counts', () => {
    expect(checkWellFormed(xml)).toEqual([]);
    expect(xml.match(/<testcase /g)).toHaveLength(4);
    expect(xml).toMatch(/<testsuites name="rollcall" tests="4" failures="1" errors="1" skipped="1"/);
    expect(xml).toContain('classname="scenarios/rolling-update-completes.ts"');
  });

  it('carries the observed text in the failure message, and expected vs observed in its body', () => {
    const failure = /<failure message="([^"]*)" type="AssertionFailure">([^<]*)<\/failure>/.exec(xml);
    expect(failure).not.toBeNull();
    expect(failure![1]).toContain('unavailable within budget: 2 nodes without an available pod: worker-1 (agent-bad-0 CrashLoopBackOff)');
    expect(failure![2]).toContain('expected: at most 1 node without an available pod (maxUnavailable 1)');
    expect(failure![2]).toContain('timing halt detected: 7.2s &gt; threshold 5.0s');
    expect(xml).toMatch(/<error message="cluster did not start: etcd exited 1"/);
    expect(xml).toMatch(/<skipped message="provider kwok cannot pause nodes"\/>/);
  });

  it('lists the steps in system-out', () => {
    expect(xml).toMatch(/<system-out>step PASSED  apply DaemonSet \[0ms \.\. 1\.4s\]\nstep FAILED  set bad image/);
  });

  it('escapes markup and drops characters XML cannot carry', () => {
    expect(xml).not.toContain(HOSTILE);
    expect(xml).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(xmlEscape('a\u0001b\u001bc\uFFFEd\uD800e')).toBe('a\uFFFDb\uFFFDc\uFFFDd\uFFFDe');
    expect(xmlEscape('line1\nline2\t"q"', true)).toBe('line1&#10;line2&#9;&quot;q&quot;');
    expect(xmlEscape('😀')).toBe('😀');
  });
});

describe('junit.xml durations', () => {
  it('formats a failed timing for people, not as raw float milliseconds', () => {
    const s = failingScenario();
    s.timings = [{ name: 'fix -> covered', ms: 310.60669499999494, thresholdMs: 250, verdict: 'failed', from: 'rollback', to: 'covered' }];
    s.assertions = [];
    const xml = renderJunit(runReport([s]));
    expect(xml).toContain('timing fix -&gt; covered: 311ms &gt; threshold 250ms (rollback -&gt; covered)');
    expect(xml).not.toMatch(/310\.6066/);
  });
});
