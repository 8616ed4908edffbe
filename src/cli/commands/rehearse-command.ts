// `rollcall rehearse (twin.yaml | --context CTX)`: the battery on a kwok copy of the cluster, on the target version and optionally the current one.
import type { CommandModule } from 'yargs';
import { join, resolve } from 'node:path';
import { renderRehearsalTable } from '../../rehearse-report/rehearsal-table.js';
import { rehearsalFolderName, writeRehearsalReport } from '../../rehearse-report/write-rehearsal-report.js';
import { runRehearsal } from '../../rehearse/run-rehearsal.js';
import { CleanupStack } from '../../runner/cleanup-stack.js';
import type { ScenarioListener } from '../../runner/run-scenario.js';
import { ensureToolchain, type Toolchain } from '../../toolchain/toolchain.js';
import { DEFAULT_KUBERNETES_VERSION } from '../../toolchain/versions.js';
import { readTwinFile } from '../../twin/parse-twin.js';
import { UsageError } from '../../util/errors.js';
import { stderrProgress } from '../../util/progress.js';
import { guardSignals } from '../../util/signals.js';
import { parseCountFlag, parseVersionFlag } from './common-options.js';
import { snapshotContext } from './snapshot-command.js';

interface RehearseArgs {
  twin?: string;
  context?: string;
  kubeconfig?: string;
  namespace?: string[];
  daemonset?: string[];
  'kubernetes-version': string;
  against?: string;
  'max-nodes-per-pool': string;
  jobs: string;
  'report-dir'?: string;
}

export function rehearseCommand(setExit: (code: number) => void, version: string): CommandModule<object, RehearseArgs> {
  return {
    command: 'rehearse [twin]',
    describe: 'Run the upgrade battery on a kwok copy of a cluster (from a twin or a live context), on the target version and optionally the current one',
    builder: (y) =>
      y
        .positional('twin', { type: 'string', describe: 'A twin file written by `rollcall snapshot` (or by hand)' })
        .option('context', { type: 'string', describe: 'Snapshot this context first (read-only) instead of reading a file' })
        .option('kubeconfig', { type: 'string', describe: 'With --context: kubeconfig file (default $KUBECONFIG or ~/.kube/config)' })
        .option('namespace', { type: 'string', array: true, describe: 'With --context: only these namespaces' })
        .option('daemonset', { type: 'string', array: true, describe: 'Only these DaemonSets (namespace/name, repeatable)' })
        .option('kubernetes-version', { type: 'string', default: DEFAULT_KUBERNETES_VERSION, describe: 'The release you upgrade to (built on demand, cached)' })
        .option('against', { type: 'string', describe: 'The release you run now: rehearse on it too and show what differs' })
        .option('max-nodes-per-pool', { type: 'string', default: '5', describe: 'Scale bigger pools down to this many nodes (every label/taint combination is kept)' })
        .option('jobs', { type: 'string', default: '1', describe: 'Rehearse up to N DaemonSets (or versions) at once, each on its own copy' })
        .option('report-dir', { type: 'string', describe: 'Where the rehearsal is written (default reports/rehearse-<time>)' }) as never,
    handler: async (args) => {
      if (args.twin && args.context) throw new UsageError('rehearse: give a twin file or --context, not both');
      if (!args.twin && !args.context) throw new UsageError('rehearse: give a twin file (from rollcall snapshot) or --context CTX');
      if (args.twin && (args.kubeconfig || args.namespace)) throw new UsageError('--kubeconfig/--namespace: only used with --context');
      for (const d of args.daemonset ?? []) if (!/^[^/]+\/[^/]+$/.test(d)) throw new UsageError(`--daemonset: "${d}" is not namespace/name`);
      const maxNodesPerPool = parseCountFlag('max-nodes-per-pool', args['max-nodes-per-pool'], 1);
      const jobs = parseCountFlag('jobs', args.jobs, 1);
      const target = parseVersionFlag(args['kubernetes-version']);
      const against = args.against === undefined ? undefined : parseAgainst(args.against);
      if (against === target) throw new UsageError(`--against: ${against} is the target version too; name the release you run now`);
      const twin = args.twin ? readTwinFile(args.twin) : await snapshotContext(args, 'with rehearse when no twin file is given', version);
      const known = twin.daemonSets.map((d) => `${d.namespace}/${d.name}`);
      for (const d of args.daemonset ?? []) if (!known.includes(d)) throw new UsageError(`--daemonset: ${d} is not in the twin (DaemonSets: ${known.join(', ') || 'none'})`);
      const progress = stderrProgress();
      const toolchains: Array<{ tc: Toolchain; role: 'target' | 'current' }> = [{ tc: await ensureToolchain({ kubernetesVersion: target, progress }), role: 'target' }];
      if (against) toolchains.push({ tc: await ensureToolchain({ kubernetesVersion: against, progress }), role: 'current' });
      const dir = resolve(args['report-dir'] ?? join('reports', rehearsalFolderName(new Date())));
      const cleanup = new CleanupStack();
      const guard = guardSignals(cleanup, progress);
      const listener: ScenarioListener = {
        scenarioStart: (name) => progress(`${name}: starting its copy`),
        stepStart: () => {},
        stepEnd: (sc, step) => progress(`${sc}: ${step.name}: ${step.verdict.toUpperCase()} (${((step.endMs - step.startMs) / 1000).toFixed(1)} s)${step.error && step.verdict !== 'passed' ? `: ${step.error.slice(0, 200)}` : ''}`),
        timing: () => {},
        log: (sc, line) => progress(`${sc}: ${line}`),
      };
      try {
        const report = await runRehearsal(twin, {
          source: args.twin ?? `context ${args.context}`,
          daemonSets: args.daemonset ?? [],
          maxNodesPerPool,
          toolchains,
          jobs,
          dir,
          cleanup,
          signal: guard.signal,
          listener,
          rollcallVersion: version,
          command: ['npx', 'rollcall', ...process.argv.slice(2)].join(' '),
        });
        const index = await writeRehearsalReport(report, dir);
        process.stdout.write(renderRehearsalTable(report, index));
        const errored = report.daemonSets.some((d) => Object.values(d.runs).some((r) => r.verdict === 'error'));
        setExit(errored ? 2 : report.verdict === 'failed' ? 1 : 0);
      } finally {
        await cleanup.runAll();
        guard.dispose();
      }
    },
  };
}

function parseAgainst(value: string): string {
  try {
    return parseVersionFlag(value);
  } catch {
    throw new UsageError(`--against: "${value}" is not a Kubernetes release (e.g. 1.35.4)`);
  }
}
