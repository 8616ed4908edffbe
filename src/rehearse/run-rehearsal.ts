// Runs the battery for every DaemonSet of a twin on one or two Kubernetes versions, each DaemonSet on its own kwok copy,
// and assembles the rehearsal report (the per-scenario detail goes through src/report's writers).
import { readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKwokCluster, uniqueClusterName } from '../providers/kwok/kwok-provider.js';
import { KWOK_CAPABILITIES } from '../providers/kwok/kwok-cluster.js';
import { REPORT_SCHEMA_VERSION, type RunReport, type ScenarioReport, type Verdict } from '../report/report-model.js';
import { writeRunReport } from '../report/write-report.js';
import type { CleanupStack } from '../runner/cleanup-stack.js';
import { CrashGuard } from '../runner/crash-guard.js';
import { runScenario, type ScenarioListener } from '../runner/run-scenario.js';
import type { Toolchain } from '../toolchain/toolchain.js';
import type { ClusterTwin } from '../twin/twin-model.js';
import { BATTERY, rehearsalScenario } from './battery/rehearsal-scenario.js';
import type { DaemonSetRehearsal, RehearsalReport } from './rehearsal-model.js';
import { planRehearsal, type RehearsalTarget } from './rehearsal-target.js';
import { daemonSetRun, type StepRecords } from './step-outcomes.js';
import { THRESHOLD_TEXT, versionDiff } from './version-diff.js';

/** The line kube-controller-manager logs when StaleControllerConsistency* makes a controller wait for its own writes. */
const STALE_READ = /is not as new as written version/;

export interface RehearsalOptions {
  source: string;
  /** `namespace/name`s to rehearse; all when empty. */
  daemonSets: string[];
  maxNodesPerPool: number;
  /** Toolchains: the target version first, then the one to compare against. */
  toolchains: Array<{ tc: Toolchain; role: 'target' | 'current' }>;
  jobs: number;
  /** The rehearsal folder: rehearsal.json and index.html here, each version's run under runs/. */
  dir: string;
  cleanup: CleanupStack;
  signal: AbortSignal;
  listener: ScenarioListener;
  rollcallVersion: string;
  command: string;
}

/** What the copy does not reproduce, said on every report. */
export const COPY_NOTES = [
  'kwok plays the kubelets: images are not pulled (any image runs, except rollcall.invalid/... which fails as asked), probes are not run, containers do not use CPU or memory.',
  "Node conditions and the controllers' own taints (not-ready, unreachable, pressure) and cordons of the twin are not copied: every node of the copy starts Ready.",
  'The API server runs without the PodNodeSelector admission plugin: a namespace node selector is copied but not enforced (check reports what it would do).',
  'Only the DaemonSet, its ServiceAccount, PriorityClass and the PDBs over its pods are applied; other workloads of the cluster are not there.',
];

/** Plans (scale down, check), runs every DaemonSet x version, writes each version's run report, returns the rehearsal report. */
export async function runRehearsal(twin: ClusterTwin, opts: RehearsalOptions): Promise<RehearsalReport> {
  const startedAt = new Date();
  const scaled = planRehearsal(twin, opts);
  const { targets } = scaled;
  // The scenario's file in reports: the battery's source here, its compiled .js in an installed package.
  const here = fileURLToPath(import.meta.url);
  const file = join(dirname(here), 'battery', `rehearsal-scenario${extname(here)}`);
  const work = opts.toolchains.flatMap(({ tc }) => targets.map((target) => ({ tc, target })));
  const results = new Map<string, { report: ScenarioReport; records: StepRecords; staleReads: number }>();
  const crashes = new CrashGuard((line) => opts.listener.log('', line)).install();
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < work.length && !opts.signal.aborted; i = next++) {
      const { tc, target } = work[i]!;
      const records: StepRecords = new Map();
      const scenario = rehearsalScenario(target, BATTERY, (step, what) => {
        const r = records.get(step) ?? { timings: [], notes: [] };
        if (what.timing) r.timings.push(what.timing);
        if (what.log) r.notes.push(what.log);
        records.set(step, r);
      });
      const version = `v${tc.kubernetesVersion}`;
      let staleReads = 0;
      const { report } = await runScenario({ ...scenario, name: `${scenario.name} on ${version}` } as typeof scenario, file, {
        createCluster: async (request, signal) => {
          const c = await createKwokCluster(tc, { name: uniqueClusterName('rehearse'), nodes: request.nodes, kubernetesVersion: tc.kubernetesVersion }, { progress: () => {}, signal });
          const destroy = c.destroy.bind(c);
          // Read the controller manager's log before the cluster and its logs are removed.
          c.destroy = async () => {
            staleReads = countLines(join(dirname(c.kubeconfigPath), 'logs', 'kube-controller-manager.log'), STALE_READ);
            return destroy();
          };
          return c;
        },
        capabilities: { provider: 'kwok', set: KWOK_CAPABILITIES },
        keepCluster: false,
        cleanup: opts.cleanup,
        signal: opts.signal,
        listener: opts.listener,
        kubectl: async () => tc.kubectl,
        crashes,
      });
      results.set(`${version} ${target.id}`, { report, records, staleReads });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.jobs, work.length)) }, worker));
  } finally {
    crashes.dispose();
  }
  const versions: RehearsalReport['versions'] = [];
  const rows: DaemonSetRehearsal[] = targets.map((t) => ({
    id: t.id, strategy: t.check.rollout.strategy, prediction: t.prediction,
    findings: t.check.findings.map((f) => ({ check: f.check, severity: f.severity, message: f.message })), runs: {},
  }));
  for (const { tc, role } of opts.toolchains) {
    const version = `v${tc.kubernetesVersion}`;
    const scenarios = targets.map((t) => results.get(`${version} ${t.id}`)?.report).filter((r): r is ScenarioReport => !!r);
    const runReport = versionRun(version, scenarios, startedAt, opts);
    await writeRunReport(runReport, join(opts.dir, 'runs'));
    versions.push({ version, role, durationMs: scenarios.reduce((a, s) => a + s.durationMs, 0), verdict: runReport.verdict });
    targets.forEach((t, i) => {
      const r = results.get(`${version} ${t.id}`);
      if (!r) return;
      rows[i]!.runs[version] = daemonSetRun(r.report, BATTERY, r.records, {
        daemonSet: t.daemonSet.metadata!.name!, nodes: nodeNames(t, r.report), detail: `runs/${version}/index.html#scenario-${scenarios.indexOf(r.report)}`, staleReads: r.staleReads,
      });
    });
  }
  const [a, b] = versions;
  return {
    schemaVersion: 1,
    source: opts.source,
    twinName: twin.metadata.name,
    capturedAt: twin.metadata.capturedAt,
    serverVersion: twin.serverVersion,
    startedAt: startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    verdict: worst(versions.map((v) => v.verdict)),
    versions,
    maxNodesPerPool: opts.maxNodesPerPool,
    twinNodeCount: twin.nodes.length,
    pools: scaled.pools,
    steps: BATTERY.map((s) => ({ id: s.id, title: s.title })),
    daemonSets: rows,
    ...(a && b ? { diff: { threshold: THRESHOLD_TEXT, differences: versionDiff(rows, a.version, b.version) } } : {}),
    notes: COPY_NOTES,
  };
}

/** The run report of one version: every DaemonSet's scenario, as `rollcall run` would write it. */
function versionRun(version: string, scenarios: ScenarioReport[], startedAt: Date, opts: RehearsalOptions): RunReport {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    runId: version,
    startedAt: startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    verdict: worst(scenarios.map((s) => s.verdict)),
    provider: 'kwok',
    kubernetesVersion: version,
    rollcallVersion: opts.rollcallVersion,
    command: opts.command,
    scenarios,
  };
}

/** error > failed > passed; skipped counts as passed. */
export function worst(vs: Verdict[]): Verdict {
  return vs.includes('error') ? 'error' : vs.includes('failed') ? 'failed' : 'passed';
}

// The copy's node names plus replacement nodes the rotation added, for normalizing event messages.
function nodeNames(t: RehearsalTarget, report: ScenarioReport): string[] {
  return [...new Set([...t.nodes.map((n) => n.name), ...report.finalNodes.map((n) => n.node)])];
}

function countLines(path: string, re: RegExp): number {
  try {
    return readFileSync(path, 'utf8').split('\n').filter((l) => re.test(l)).length;
  } catch {
    return 0;
  }
}
