// The CLI: parses argv with yargs, wires real adapters, and maps every error to an exit code.
import yargs, { type CommandModule } from 'yargs';
import { readFileSync } from 'node:fs';
import { RollcallError, UsageError, exitCodeOf } from '../util/errors.js';
import { packageFile } from '../util/package-root.js';
import { setupCommand } from './commands/setup-command.js';
import { clusterCommand, clusterSubcommands } from './commands/cluster-command.js';
import { gcCommand } from './commands/gc-command.js';
import { runCommand } from './commands/run-command.js';
import { reportCommand } from './commands/report-command.js';
import { initCommand } from './commands/init-command.js';
import { snapshotCommand } from './commands/snapshot-command.js';
import { checkCommand } from './commands/check-command.js';
import { recordCommand } from './commands/record-command.js';
import { replayCommand } from './commands/replay-command.js';
import { rehearseCommand } from './commands/rehearse-command.js';

const pkg = JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version: string };

/** Runs the CLI and returns the process exit code (0 ok, 1 scenario failed, 2 usage/infra). */
export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug');
  let exitCode = 0;
  const setExit = (code: number) => (exitCode = code);
  const commands = [
    runCommand(setExit, pkg.version), setupCommand, clusterCommand, gcCommand, reportCommand, initCommand, snapshotCommand(pkg.version),
    checkCommand(setExit, pkg.version), recordCommand(pkg.version), replayCommand(setExit, pkg.version), rehearseCommand(setExit, pkg.version),
  ] as unknown as CommandModule[];
  try {
    await commands
      .reduce((y, c) => y.command(c), yargs(argv)
        .scriptName('rollcall')
        .usage('$0 <command>\n\nRehearse what breaks Kubernetes DaemonSets, on a real control plane.')
        .option('debug', { type: 'boolean', describe: 'Show stack traces and extra detail on errors', global: true }))
      .demandCommand(1, 'name a command (see rollcall --help)')
      .strict()
      .version(pkg.version)
      .help()
      .wrap(Math.min(110, process.stdout.columns || 100))
      .exitProcess(false)
      .fail((msg, err) => {
        throw err ?? new UsageError(missingArgument(msg, argv, commands) ?? msg);
      })
      .parseAsync();
    return exitCode;
  } catch (err) {
    report(err, debug);
    return exitCodeOf(err);
  }
}

/**
 * yargs says "Not enough non-option arguments: got 0, need at least 1" when a required <argument>
 * is missing: say which one, and the command's usage, instead.
 */
function missingArgument(msg: string, argv: string[], commands: CommandModule[]): string | undefined {
  if (!/^Not enough non-option arguments/.test(msg)) return undefined;
  const words = argv.filter((a) => !a.startsWith('-'));
  const top = commands.find((c) => String(c.command).split(' ')[0] === words[0]);
  const sub = top === clusterCommand ? clusterSubcommands.find((c) => String(c.command).split(' ')[0] === words[1]) : undefined;
  const usage = [top, sub].filter(Boolean).map((c) => String(c!.command)).join(' ').replace(/^cluster <command> /, 'cluster ');
  const given = words.length - (sub ? 2 : 1);
  const missing = usage.replace(/^cluster /, '').match(/<[^>]+>/g)?.[given];
  if (!top || !missing) return undefined;
  const choices = top === clusterCommand && !sub ? ` (${clusterSubcommands.map((c) => String(c.command).split(' ')[0]).join(', ')})` : '';
  return `${words.slice(0, sub ? 2 : 1).join(' ')}: ${missing} is missing${choices} (usage: rollcall ${usage})`;
}

/** One clear line on stderr; the stack only with --debug or for a bug (non-RollcallError). */
function report(err: unknown, debug: boolean): void {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`rollcall: error: ${message.split('\n')[0]}\n`);
  if (debug && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  else if (!(err instanceof RollcallError)) process.stderr.write('rollcall: (unexpected error: run again with --debug for the stack trace)\n');
}
