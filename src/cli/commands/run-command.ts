// `rollcall run`: runs scenario files and exits 0 (all passed), 1 (one failed) or 2 (usage/infra).
import type { CommandModule } from 'yargs';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ensureToolchain } from '../../toolchain/toolchain.js';
import { createKwokCluster, uniqueClusterName } from '../../providers/kwok/kwok-provider.js';
import { KWOK_CAPABILITIES } from '../../providers/kwok/kwok-cluster.js';
import { EXISTING_CAPABILITIES, openExistingCluster } from '../../providers/existing/existing-cluster.js';
import { openRunJournal } from '../../journal/journal-dir.js';
import { cacheLayout, cacheRoot } from '../../toolchain/cache-dir.js';
import { createKindRunCluster } from '../../providers/kind/kind-run-cluster.js';
import { KIND_CAPABILITIES } from '../../providers/kind/kind-capabilities.js';
import { acquireDocker, releaseDocker } from '../../providers/kind/shared-docker.js';
import { kindConfigTopology } from '../../providers/kind/kind-config-topology.js';
import { CleanupStack } from '../../runner/cleanup-stack.js';
import { guardSignals } from '../../util/signals.js';
import { runScenarios, selectScenarios } from '../../runner/run-scenarios.js';
import { TerminalReporter } from '../../report/terminal-reporter.js';
import { writeRunReport } from '../../report/write-report.js';
import type { ScenarioListener } from '../../runner/run-scenario.js';
import { UsageError } from '../../util/errors.js';
import { stderrProgress } from '../../util/progress.js';
import { apiLimitsOption, parseApiLimitsFlag, parseProviderFlag, kubernetesVersionOption, parseCountFlag, parseVersionFlag } from './common-options.js';

interface RunArgs {
  paths: string[];
  provider: string;
  'report-dir': string;
  'keep-cluster'?: boolean;
  grep?: string;
  jobs: string;
  context?: string;
  kubeconfig?: string;
  'kubernetes-version': string;
  'api-limits': string;
}

export function runCommand(setExit: (code: number) => void, version: string): CommandModule<object, RunArgs> {
  return {
    command: 'run [paths..]',
    describe: 'Run scenarios (default: all of scenarios/), each on its own throwaway cluster',
    builder: (y) =>
      y
        .positional('paths', { type: 'string', array: true, default: [] as string[], describe: 'Scenario files or folders' })
        .option('provider', { type: 'string', default: 'kwok', describe: 'kwok (embedded, default), kind, or existing' })
        .option('report-dir', { type: 'string', default: 'reports', describe: 'Where reports/<run-id>/ is written' })
        .option('keep-cluster', { type: 'boolean', describe: 'Leave clusters running afterwards (delete with rollcall cluster delete / gc --all)' })
        .option('grep', { type: 'string', describe: 'Only scenarios whose name contains TEXT (or with that tag)' })
        .option('context', { type: 'string', describe: 'With --provider existing: the kubeconfig context to use (required)' })
        .option('kubeconfig', { type: 'string', describe: 'With --provider existing: kubeconfig file (default $KUBECONFIG or ~/.kube/config)' })
        .option('jobs', { type: 'string', default: '1', describe: 'Run up to N scenarios at once, each on its own cluster' })
        .option('kubernetes-version', kubernetesVersionOption)
        .option('api-limits', apiLimitsOption) as never,
    handler: async (args) => {
      parseProviderFlag(args.provider);
      const existing = args.provider === 'existing' ? openExistingCluster({ context: args.context, kubeconfig: args.kubeconfig }) : undefined;
      if (!existing && (args.context || args.kubeconfig)) throw new UsageError('--context/--kubeconfig: only used with --provider existing');
      const jobs = parseCountFlag('jobs', args.jobs, 1);
      const progress = stderrProgress();
      const kubernetesVersion = parseVersionFlag(args['kubernetes-version']);
      const apiLimits = parseApiLimitsFlag(args['api-limits']);
      const reportDir = resolve(args['report-dir']);
      if (existsSync(reportDir) && !statSync(reportDir).isDirectory()) throw new UsageError(`--report-dir: ${args['report-dir']} is a file, not a folder`);
      // Every scenario file is checked before a toolchain is built or a cluster starts.
      const scenarios = await selectScenarios(args.paths, args.grep);
      const tc = existing || args.provider === 'kind' ? undefined : await ensureToolchain({ kubernetesVersion, progress });
      const cleanup = new CleanupStack();
      const guard = guardSignals(cleanup, progress);
      if (args.provider === 'kind') {
        // One Docker daemon for the whole run: otherwise the dockerd rollcall starts would stop and
        // start again between scenarios.
        await acquireDocker(progress);
        cleanup.push('stop the Docker daemon rollcall started', releaseDocker);
      }
      const reporter = new TerminalReporter({ stream: process.stdout, isTTY: !!process.stdout.isTTY, env: process.env, now: () => performance.now() });
      // With several scenarios at once, lines interleave: prefix each with its scenario.
      const tag = (sc: string, text: string) => (jobs > 1 ? `[${sc}] ${text}` : text);
      const listener: ScenarioListener = {
        scenarioStart: (name, file) => reporter.scenarioStart(name, file),
        stepStart: (sc, step) => reporter.stepStart(sc, tag(sc, step)),
        stepEnd: (sc, step) => reporter.stepEnd(sc, tag(sc, step.name), step.verdict, step.endMs - step.startMs, step.error),
        timing: (sc, t) => reporter.timing(sc, { ...t, name: tag(sc, t.name) }),
        log: (sc, line) => reporter.log(sc, tag(sc, line)),
      };
      // kubectl for t.kubectl: the embedded toolchain's, built on first use for kind and existing.
      const kubectl = async () => (tc ?? (await ensureToolchain({ kubernetesVersion, progress }))).kubectl;
      let handlesLeft: Array<{ scenario: string; handles: string[] }> = [];
      try {
        const { report, exitCode, handlesLeft: left } = await runScenarios({
          scenarios,
          provider: args.provider,
          kubernetesVersion,
          keepCluster: !!args['keep-cluster'],
          jobs,
          createCluster: async ({ nodes, kindConfig }, signal) => {
            if (existing) return existing;
            const persistent = !!args['keep-cluster'];
            if (args.provider === 'kind') return createKindRunCluster({ nodes, kindConfig: kindConfig?.path, kubernetesVersion, persistent }, { progress, signal });
            // kwok emulates a kind config's nodes under the names kind would give them.
            const name = uniqueClusterName();
            const specs = kindConfig ? kindConfigTopology(kindConfig.text, kindConfig.path, name) : nodes;
            return createKwokCluster(tc!, { name, nodes: specs, kubernetesVersion, persistent, apiLimits }, { progress: () => {}, signal });
          },
          capabilities: { provider: args.provider, set: existing ? EXISTING_CAPABILITIES : args.provider === 'kind' ? KIND_CAPABILITIES : KWOK_CAPABILITIES },
          // On a cluster rollcall did not create, every change is journalled first, for `gc --context`.
          journal: existing
            ? (about) => openRunJournal(cacheLayout(cacheRoot()).journals, { context: existing.context, server: existing.kube.kubeconfig.getCurrentCluster()?.server ?? '', kubeconfig: existing.kubeconfigPath }, about)
            : undefined,
          cleanup,
          signal: guard.signal,
          listener,
          kubectl,
          command: ['npx', 'rollcall', ...process.argv.slice(2)].join(' '),
          rollcallVersion: version,
        });
        handlesLeft = left;
        for (const sc of report.scenarios) reporter.scenarioEnd(sc);
        const dir = await writeRunReport(report, reportDir);
        await reporter.runEnd(report, dir);
        setExit(exitCode);
        if (exitCode === 2) {
          const first = report.scenarios.find((s) => s.verdict === 'error');
          throw new UsageError(first?.error ?? 'a scenario could not run');
        }
      } finally {
        await cleanup.runAll();
        guard.dispose();
        exitEvenIfHeldOpen(handlesLeft);
      }
    },
  };
}

/**
 * A scenario that left a timer or socket open would keep the process (and a CI job) waiting after
 * the summary. Once everything rollcall started is gone, exit anyway, saying which scenario it was.
 */
function exitEvenIfHeldOpen(left: Array<{ scenario: string; handles: string[] }>): void {
  setTimeout(() => {
    const who = left.length ? left.map((l) => `scenario "${l.scenario}" left ${l.handles.join(', ')} open`).join('; ') : `open handles: ${process.getActiveResourcesInfo().join(', ')}`;
    process.stderr.write(`rollcall: warning: ${who}; exiting anyway (clear timers and close sockets at the end of run())\n`);
    process.exit();
  }, 1000).unref();
}
