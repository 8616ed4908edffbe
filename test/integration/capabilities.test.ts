// A scenario that needs an ability the provider lacks is reported skipped with the reason, in
// every report format, and the run still exits 0: declared (`requires`) or met mid-run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rollcall } from '../support/cli.js';
import { baseline, leftovers, readReport } from '../support/runs.js';
import { tempDir } from '../support/temp-dir.js';

describe('scenarios that need what the provider lacks', () => {
  it('are skipped with the reason on kwok (terminal, report.json, JUnit, HTML), and the run exits 0', async () => {
    const before = await baseline();
    const reportDir = tempDir('rollcall-reports-');
    const r = await rollcall(['run', 'test/fixtures/scenarios/needs', '--report-dir', reportDir], { env: { CI: 'true' } });
    expect(r.exitCode, r.all).toBe(0);
    const report = readReport(reportDir);
    const byName = new Map(report.scenarios.map((s) => [s.name, s]));
    const declared = byName.get('needs a registry to stop')!;
    expect(declared.verdict).toBe('skipped');
    expect(declared.error).toMatch(/^needs registry-outage \(provider kwok lacks it: kwok nodes pull no images/);
    // Skipped before a cluster was made for it.
    expect(declared.cluster.name).toBe('');
    const midRun = byName.get('slow registry without requires')!;
    expect(midRun.verdict).toBe('skipped');
    expect(midRun.error).toBe('provider kwok cannot push a "slow-registry" image: kwok nodes pull no images, so there is no registry to slow down or stop');
    expect(midRun.steps.map((s) => [s.name, s.verdict])).toEqual([['covered', 'passed'], ['pull through a slow registry', 'skipped']]);
    expect(r.stdout).toMatch(/^SKIPPED needs a registry to stop .*: needs registry-outage/m);
    expect(r.stdout).toMatch(/^SKIPPED slow registry without requires .*: provider kwok cannot push a "slow-registry" image/m);
    const junit = readFileSync(join(reportDir, 'latest', 'junit.xml'), 'utf8');
    expect(junit).toMatch(/skipped="2"/);
    expect(junit).toContain('<skipped message="needs registry-outage (provider kwok lacks it: kwok nodes pull no images');
    const html = readFileSync(join(reportDir, 'latest', 'index.html'), 'utf8');
    expect(html).toContain('provider kwok cannot push a &quot;slow-registry&quot; image');
    expect(await leftovers(before)).toEqual({ processes: [], records: 0 });
  }, 300_000);
});
