// Faults a new user met in the runner: a crash inside scenario code, a scenario that leaves
// handles open, t.log lines that went nowhere, and undo failures that were swallowed.
import { describe, expect, it } from 'vitest';
import { rollcall } from '../support/cli.js';
import { baseline, leftovers, readReport } from '../support/runs.js';
import { tempDir } from '../support/temp-dir.js';

const FAULTS = 'test/fixtures/scenarios/faults';

describe('runner faults', () => {
  it('a crash inside scenario code (an unhandled child process error) fails that scenario, cleans up, and the next one runs', async () => {
    const before = await baseline();
    const reportDir = tempDir('rollcall-faults-');
    const r = await rollcall(['run', `${FAULTS}/crash-in-child-process.ts`, `${FAULTS}/after-crash.ts`, '--report-dir', reportDir]);
    // A crash is an error of that scenario (exit 2), reported as such, not a dead rollcall.
    expect(r.exitCode, r.all).toBe(2);
    const [crashed, next] = readReport(reportDir).scenarios;
    expect(crashed!.verdict).toBe('error');
    expect(crashed!.error).toBe("uncaught error in the scenario's code: spawn /nonexistent/rollcall-no-such-binary ENOENT");
    expect(r.stdout).not.toMatch(/still running after the crash/);
    // Its undo ran: the taint it put on worker-1 was removed before its cluster went away.
    expect(crashed!.cleanup.find((c) => c.what.startsWith('untaint worker-1 rollcall.test/before-crash'))).toEqual(expect.objectContaining({ ok: true }));
    expect(next!.name).toBe('the scenario after the crash');
    expect(next!.verdict).toBe('passed');
    expect(await leftovers(before)).toEqual({ processes: [], records: 0 });
  });

  it('exits with its code after the summary when a scenario left a timer and a server open, naming the scenario', async () => {
    const reportDir = tempDir('rollcall-faults-');
    // Without the fix the process never exits; the timeout turns that into a failure.
    const r = await rollcall(['run', `${FAULTS}/leaves-handles-open.ts`, '--report-dir', reportDir], { timeout: 120_000 });
    expect(r.timedOut, r.all).toBe(false);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout).toMatch(/rollcall: PASSED 1 scenario/);
    expect(r.stderr).toMatch(/rollcall: warning: scenario "leaves a timer and a server open" left (?=.*1 TCPServerWrap)(?=.*1 Timeout).* open; exiting anyway/);
  });

  it('shows t.log lines in the terminal and in the report action log', async () => {
    const reportDir = tempDir('rollcall-faults-');
    const r = await rollcall(['run', `${FAULTS}/leaves-handles-open.ts`, '--report-dir', reportDir], { timeout: 120_000 });
    expect(r.stdout).toMatch(/^ {4}· left an interval and a listening server open$/m);
    const [s] = readReport(reportDir).scenarios;
    expect(s!.actions).toContainEqual(expect.objectContaining({ kind: 'log', description: 'left an interval and a listening server open' }));
  });

  it('records an undo the API server refuses as a failed cleanup, shows it, and still runs the other undos', async () => {
    const reportDir = tempDir('rollcall-faults-');
    const r = await rollcall(['run', `${FAULTS}/undo-refused.ts`, '--report-dir', reportDir]);
    const [s] = readReport(reportDir).scenarios;
    const untaint = s!.cleanup.find((c) => c.what === 'untaint worker-1 rollcall.test/sticky:NoSchedule');
    expect(untaint).toEqual({ what: 'untaint worker-1 rollcall.test/sticky:NoSchedule', ok: false, error: expect.stringMatching(/^nodes "worker-1" is forbidden: ValidatingAdmissionPolicy 'rollcall-test-sticky-taint' .*denied request: the rollcall.test\/sticky taint cannot be removed$/) });
    expect(r.stdout).toMatch(/! cleanup failed: untaint worker-1 rollcall.test\/sticky:NoSchedule: nodes "worker-1" is forbidden/);
    // The cluster-scoped objects it applied were deleted afterwards, in reverse order.
    const deletes = s!.cleanup.filter((c) => c.what.startsWith('delete ValidatingAdmissionPolicy'));
    expect(deletes).toEqual([
      { what: 'delete ValidatingAdmissionPolicyBinding rollcall-test-sticky-taint', ok: true },
      { what: 'delete ValidatingAdmissionPolicy rollcall-test-sticky-taint', ok: true },
    ]);
  });
});
