import { afterEach, describe, expect, it, vi } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TerminalReporter } from '../../../src/report/terminal-reporter.js';
import { HOSTILE, failingScenario, passingScenario, runReport } from './fixtures.js';
import { tempDir } from '../../support/temp-dir.js';

/** A reporter writing into a string, with a clock the test moves. */
function reporter(isTTY: boolean, env: NodeJS.ProcessEnv, tickMs = 0) {
  let out = '';
  let now = 0;
  const stream = { write: (chunk: string) => ((out += chunk), true) } as unknown as NodeJS.WritableStream;
  const r = new TerminalReporter({ stream, isTTY, env, now: () => now, tickMs });
  return { r, out: () => out, advance: (ms: number) => (now += ms) };
}

/** Drives one failing scenario through the reporter, as the runner would. */
function drive(t: ReturnType<typeof reporter>) {
  const s = failingScenario();
  t.r.scenarioStart('halts', 'scenarios/halt.ts');
  t.r.stepStart('halts', 'apply DaemonSet');
  t.advance(1400);
  t.r.stepEnd('halts', 'apply DaemonSet', 'passed', 1400);
  t.r.stepStart('halts', 'set bad image');
  t.advance(7500);
  t.r.timing('halts', s.timings[0]!);
  t.r.stepEnd('halts', 'set bad image', 'failed', 7500, 'rollout did not halt\n\x1b[2J within budget');
  t.r.scenarioEnd(s);
}

const ANSI_COLOUR = /\x1b\[\d+m/;

describe('TerminalReporter', () => {
  afterEach(() => vi.useRealTimers());

  it('writes plain lines in CI: no carriage returns, no escape codes, one line per step start and end', () => {
    const t = reporter(true, { CI: 'true' });
    drive(t);
    const out = t.out();
    expect(out).not.toContain('\r');
    expect(out).not.toContain('\x1b');
    expect(out).toContain('▶ halts (scenarios/halt.ts)\n  → apply DaemonSet\n  ✓ apply DaemonSet 1.4s\n  → set bad image\n');
    expect(out).toContain('    ✗ timing halt detected: 7.2s (threshold 5.0s)\n');
    expect(out).toContain('  ✗ set bad image 7.5s rollout did not halt ?[2J within budget\n');
    expect(out).toMatch(/FAILED crash-looping image halts the rollout <img[^\n]* 12\.0s: unavailable within budget: 2 nodes/);
    expect(out).toContain('      expected: at most 1 node without an available pod (maxUnavailable 1)\n      observed: 2 nodes');
  });

  it('writes plain lines when the output is not a TTY, even without CI', () => {
    const t = reporter(false, {});
    drive(t);
    expect(t.out()).not.toContain('\r');
    expect(t.out()).not.toMatch(ANSI_COLOUR);
  });

  it('on a TTY redraws one live line per step, in colour, and ends it with the verdict', () => {
    const t = reporter(true, {});
    drive(t);
    const out = t.out();
    expect(out).toMatch(/\r\x1b\[2K {2}\x1b\[36m⠋\x1b\[0m apply DaemonSet \x1b\[90m0ms\x1b\[0m/);
    expect(out).toContain('\r\x1b[2K  \x1b[32m✓\x1b[0m apply DaemonSet \x1b[90m1.4s\x1b[0m\n');
    expect(out).not.toContain('→');
    // The timing line is printed above the live line, which is then redrawn.
    expect(out).toMatch(/timing halt detected: 7\.2s \(threshold 5\.0s\)\n\r\x1b\[2K {2}\x1b\[36m.\x1b\[0m set bad image/);
  });

  it('ticks the live line with the elapsed time', () => {
    vi.useFakeTimers();
    const t = reporter(true, {}, 1000);
    t.r.stepStart('s', 'wait for rollout');
    t.advance(3000);
    vi.advanceTimersByTime(1000);
    expect(t.out()).toMatch(/wait for rollout \x1b\[90m3\.0s/);
    t.r.stepEnd('s', 'wait for rollout', 'passed', 3000);
    const before = t.out();
    vi.advanceTimersByTime(5000);
    expect(t.out()).toBe(before);
  });

  it('honours NO_COLOR: live line kept, colour codes gone', () => {
    const t = reporter(true, { NO_COLOR: '1' });
    drive(t);
    expect(t.out()).toContain('\r\x1b[2K');
    expect(t.out()).not.toMatch(ANSI_COLOUR);
  });

  it('appends a Markdown summary to $GITHUB_STEP_SUMMARY, escaping cluster strings', async () => {
    const dir = tempDir('rollcall-gh-');
    const summary = join(dir, 'summary.md');
    await writeFile(summary, '# earlier step\n');
    const t = reporter(false, { CI: 'true', GITHUB_STEP_SUMMARY: summary });
    const run = runReport([passingScenario(), { ...failingScenario(), name: `a | b ${HOSTILE}` }]);
    await t.r.runEnd(run, 'reports/20260301-020000-ab12');
    const md = await readFile(summary, 'utf8');
    expect(md.startsWith('# earlier step\n## rollcall: ❌ FAILED\n')).toBe(true);
    expect(md).toContain('| ✅ passed | rolling update completes | 12.0s |  |');
    expect(md).toContain('| ❌ failed | a \\| b &lt;img src=x onerror=alert(1)&gt; | 12.0s | unavailable within budget: 2 nodes');
    expect(md).toContain('| rolling update completes | rollout duration | 4.5s | 30.0s |');
    expect(md).toContain('Report: `reports/20260301-020000-ab12/index.html`');
    expect(md).not.toContain(HOSTILE);
    expect(t.out()).toContain('rollcall: FAILED 2 scenarios: 1 failed, 1 passed in 30.0s\nreport: reports/20260301-020000-ab12/index.html\n');
  });

  it('does not write a summary when $GITHUB_STEP_SUMMARY is unset, and warns instead of failing when it cannot', async () => {
    const writes: string[] = [];
    const stream = { write: (c: string) => (writes.push(c), true) } as unknown as NodeJS.WritableStream;
    const appendFile = vi.fn(async () => {});
    await new TerminalReporter({ stream, isTTY: false, env: {}, now: () => 0, appendFile }).runEnd(runReport([passingScenario()]), 'r');
    expect(appendFile).not.toHaveBeenCalled();
    await new TerminalReporter({ stream, isTTY: false, env: { GITHUB_STEP_SUMMARY: '/nonexistent/dir/summary.md' }, now: () => 0 }).runEnd(runReport([passingScenario()]), 'r');
    expect(writes.join('')).toMatch(/warning: could not append to GITHUB_STEP_SUMMARY \(\/nonexistent\/dir\/summary\.md\)/);
  });
});
