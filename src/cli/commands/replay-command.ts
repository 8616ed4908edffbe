// `rollcall replay incident.rec [--speed N] [--from T] [--to T] [-o scenarios/incident-x.ts] [--run]`: infers the
// causes in a recording and writes a scenario that replays them against live controllers; --run runs it at once.
import yargs, { type CommandModule } from 'yargs';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import { loadManifests, pickDaemonSet } from '../../kube/manifests.js';
import { readRecording } from '../../recording/read-recording.js';
import { generateScenario } from '../../replay/generate-scenario.js';
import { importSpecifier } from '../../replay/import-specifier.js';
import { planReplay } from '../../replay/replay-plan.js';
import { replayTime } from '../../replay/replay-time.js';
import { durationIn } from '../../util/duration.js';
import { UsageError } from '../../util/errors.js';
import { stderrProgress } from '../../util/progress.js';
import { kubernetesVersionOption, parseProviderFlag } from './common-options.js';
import { runCommand } from './run-command.js';

interface ReplayArgs {
  recording: string;
  speed: string;
  from?: string;
  to?: string;
  output?: string;
  run?: boolean;
  daemonset?: string;
  manifest?: string;
  scenario?: string;
  tolerance: string;
  import?: string;
  force?: boolean;
  'report-dir': string;
  provider: string;
  'kubernetes-version': string;
}

export function replayCommand(setExit: (code: number) => void, version: string): CommandModule<object, ReplayArgs> {
  return {
    command: 'replay <recording>',
    describe: 'Turn a recording (rollcall record, a report.json, a KWOK snapshot record) into a scenario that replays its causes',
    builder: (y) =>
      y
        .positional('recording', { type: 'string', demandOption: true, describe: 'incident.rec, reports/<run>/report.json, or a KWOK recording' })
        .option('speed', { type: 'string', default: '1', describe: 'Replay the causes this many times faster' })
        .option('from', { type: 'string', nargs: 1, describe: 'Start here: an offset (2m30s) or an RFC 3339 time (default: 5 s before the first cause)' })
        .option('to', { type: 'string', nargs: 1, describe: 'End here (default: 10 s after the last cause or coverage change)' })
        .option('output', { alias: 'o', type: 'string', describe: 'Scenario file to write (default scenarios/incident-<recording>.ts)' })
        .option('run', { type: 'boolean', describe: 'Run the scenario right away (rollcall run)' })
        .option('daemonset', { type: 'string', describe: 'Which DaemonSet, when the recording has several' })
        .option('manifest', { type: 'string', describe: 'Apply this DaemonSet manifest instead of the recorded starting spec (needed for a report.json)' })
        .option('scenario', { type: 'string', describe: 'For a report.json with several scenarios: which one' })
        .option('tolerance', { type: 'string', nargs: 1, default: '5s', describe: 'How far replayed times may stray (plus 10% of each recorded duration)' })
        .option('import', { type: 'string', describe: "What the scenario imports rollcall from (default: 'rollcall', or src/index.js inside this checkout)" })
        .option('force', { type: 'boolean', describe: 'Overwrite the scenario file if it exists' })
        .option('report-dir', { type: 'string', default: 'reports', describe: 'With --run: where reports/<run-id>/ is written' })
        .option('provider', { type: 'string', default: 'kwok', describe: 'With --run: kwok or kind' })
        .option('kubernetes-version', kubernetesVersionOption) as never,
    handler: async (args) => {
      const speed = Number(args.speed);
      if (!Number.isFinite(speed) || speed <= 0) throw new UsageError(`--speed: "${args.speed}" is not a positive number`);
      // Checked before the scenario is written: a --run that cannot start leaves no file behind.
      if (args.run) parseProviderFlag(args.provider, ['kwok', 'kind']);
      const progress = stderrProgress();
      const manifest = args.manifest === undefined ? undefined : pickDaemonSet(loadManifests(args.manifest, process.cwd(), `--manifest ${args.manifest}`).objects, args.daemonset, `--manifest ${args.manifest}`).daemonSet;
      const rec = readRecording(args.recording, { scenario: args.scenario, daemonSet: manifest });
      for (const w of rec.warnings) progress(`warning: ${w}`);
      const plan = planReplay(rec, {
        daemonSet: args.daemonset, speed,
        from: replayTime('--from', args.from, rec.header.startedAt), to: replayTime('--to', args.to, rec.header.startedAt),
        tolerance: { ms: durationIn(undefined, args.tolerance, '--tolerance'), ratio: 0.1 },
      });
      const output = resolve(args.output ?? `scenarios/incident-${basename(args.recording).replace(/\.[^.]*$/, '').replace(/[^a-zA-Z0-9-]+/g, '-')}.ts`);
      if (existsSync(output) && !args.force) throw new UsageError(`-o ${relative(process.cwd(), output)}: the file exists (pass --force to overwrite it)`);
      const text = generateScenario(plan, {
        recordingFile: args.recording, header: rec.header, importFrom: args.import ?? importSpecifier(output),
        manifest: args.manifest === undefined ? undefined : relative(dirname(output), resolve(args.manifest)).split('\\').join('/'),
        command: ['rollcall', 'replay', ...process.argv.slice(3).filter((a) => a !== '--run')].join(' '),
      });
      mkdirSync(dirname(output), { recursive: true });
      writeFileSync(output, text);
      const causes = plan.groups.reduce((n, g) => n + g.causes.length, 0);
      progress(`wrote ${relative(process.cwd(), output)}: ${causes} causes in ${plan.groups.length} steps, ${plan.outcomes.gaps.length} recorded coverage gaps, at ${speed}x`);
      if (!args.run) return;
      // Through yargs, so that `run` gets its own defaults for every option it has.
      await yargs(['run', output, '--provider', args.provider, '--report-dir', args['report-dir'], '--kubernetes-version', args['kubernetes-version']])
        .command(runCommand(setExit, version)).strict().exitProcess(false)
        .fail((msg, err) => {
          throw err ?? new UsageError(msg);
        })
        .parseAsync();
    },
  };
}
