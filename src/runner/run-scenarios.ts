// `rollcall run`: load scenarios, run each on its own throwaway cluster, write reports, decide the exit code.
import { randomBytes } from 'node:crypto';
import type { RunReport, ScenarioReport, Verdict } from '../report/report-model.js';
import { REPORT_SCHEMA_VERSION } from '../report/report-model.js';
import { UsageError } from '../util/errors.js';
import { CrashGuard } from './crash-guard.js';
import { findScenarioFiles, loadScenarios, type LoadedScenario } from './load-scenarios.js';
import { runScenario, type RunScenarioOptions } from './run-scenario.js';

/** What every scenario of the run shares (its cluster factory, cleanup, signal, output, kubectl), plus the selection. */
export interface RunOptions extends Omit<RunScenarioOptions, 'crashes'> {
  /** The scenarios to run, from selectScenarios. */
  scenarios: LoadedScenario[];
  provider: string;
  kubernetesVersion: string;
  /** How many scenarios run at once, each on its own cluster (default 1). */
  jobs?: number;
  command: string;
  rollcallVersion: string;
}

export interface RunResult {
  report: RunReport;
  exitCode: number;
  /** Scenarios that left timers or sockets open (they would keep the process from exiting). */
  handlesLeft: Array<{ scenario: string; handles: string[] }>;
}

/**
 * Loads and checks the scenario files under `paths` and keeps those `grep` selects (by name or tag).
 * Call it before anything starts: every mistake it finds is a one-line UsageError.
 */
export async function selectScenarios(paths: string[], grep?: string): Promise<LoadedScenario[]> {
  const loaded = await loadScenarios(findScenarioFiles(paths));
  const needle = grep?.toLowerCase();
  const selected = needle ? loaded.filter(({ scenario: s }) => s.name.toLowerCase().includes(needle) || (s.tags ?? []).some((t) => t.toLowerCase() === needle)) : loaded;
  if (!selected.length) throw new UsageError(`--grep: no scenario matches "${grep}" (have: ${loaded.map((l) => l.scenario.name).join(', ')})`);
  return selected;
}

/** Runs the selected scenarios one after another; exit 0 all passed, 1 a failure, 2 bad input or infrastructure. */
export async function runScenarios(opts: RunOptions): Promise<RunResult> {
  const startedAt = new Date();
  const selected = opts.scenarios;
  const results: ScenarioReport[] = new Array(selected.length);
  let usageOrInfra = false;
  let usage = false;
  let serverVersion = '';
  let next = 0;
  const handlesLeft: RunResult['handlesLeft'] = [];
  const crashes = new CrashGuard((line) => opts.listener.log('', line)).install();
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= selected.length || opts.signal.aborted || usage) return;
      const { file, scenario } = selected[i]!;
      const { report, error, handlesLeft: left } = await runScenario(scenario, file, {
        createCluster: async (nodes, signal) => {
          const c = await opts.createCluster(nodes, signal);
          serverVersion ||= (await c.kube.version.getCode()).gitVersion;
          return c;
        },
        keepCluster: opts.keepCluster,
        cleanup: opts.cleanup,
        signal: opts.signal,
        listener: opts.listener,
        kubectl: opts.kubectl,
        capabilities: opts.capabilities,
        journal: opts.journal,
        crashes,
      });
      results[i] = report;
      if (left.length) handlesLeft.push({ scenario: scenario.name, handles: left });
      if (report.verdict === 'error' && error !== undefined) usageOrInfra = true;
      if (error instanceof UsageError) usage = true;
    }
  };
  const jobs = Math.max(1, Math.min(opts.jobs ?? 1, selected.length));
  try {
    await Promise.all(Array.from({ length: jobs }, worker));
  } finally {
    crashes.dispose();
  }
  const scenarios = results.filter(Boolean);
  const verdict: Verdict = scenarios.some((s) => s.verdict === 'error') ? 'error' : scenarios.some((s) => s.verdict === 'failed') ? 'failed' : 'passed';
  const report: RunReport = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    runId: `${startedAt.toISOString().replace(/[:.]/g, '-').replace(/-\d{3}Z$/, 'Z')}-${randomBytes(2).toString('hex')}`,
    startedAt: startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    verdict,
    provider: opts.provider,
    kubernetesVersion: serverVersion || `v${opts.kubernetesVersion}`,
    rollcallVersion: opts.rollcallVersion,
    command: opts.command,
    scenarios,
  };
  return { report, exitCode: usageOrInfra ? 2 : verdict === 'failed' ? 1 : 0, handlesLeft };
}
