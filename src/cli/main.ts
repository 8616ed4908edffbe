// The CLI: parses argv with yargs, wires real adapters, and maps every error to an exit code.
import yargs from 'yargs';
import { readFileSync } from 'node:fs';
import { RollcallError, UsageError, exitCodeOf } from '../util/errors.js';
import { packageFile } from '../util/package-root.js';
import { setupCommand } from './commands/setup-command.js';
import { clusterCommand } from './commands/cluster-command.js';
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
  try {
    await yargs(argv)
      .scriptName('rollcall')
      .usage('$0 <command>\n\nRehearse what breaks Kubernetes DaemonSets, on a real control plane.')
      .option('debug', { type: 'boolean', describe: 'Show stack traces and extra detail on errors', global: true })
      .command(runCommand((code) => (exitCode = code), pkg.version))
      .command(setupCommand)
      .command(clusterCommand)
      .command(gcCommand)
      .command(reportCommand)
      .command(initCommand)
      .command(snapshotCommand(pkg.version))
      .command(checkCommand((code) => (exitCode = code), pkg.version))
      .command(recordCommand(pkg.version))
      .command(replayCommand((code) => (exitCode = code), pkg.version))
      .command(rehearseCommand((code) => (exitCode = code), pkg.version))
      .demandCommand(1, 'name a command (see rollcall --help)')
      .strict()
      .version(pkg.version)
      .help()
      .wrap(Math.min(110, process.stdout.columns || 100))
      .exitProcess(false)
      .fail((msg, err) => {
        throw err ?? new UsageError(msg);
      })
      .parseAsync();
    return exitCode;
  } catch (err) {
    report(err, debug);
    return exitCodeOf(err);
  }
}

/** One clear line on stderr; the stack only with --debug or for a bug (non-RollcallError). */
function report(err: unknown, debug: boolean): void {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`rollcall: error: ${message.split('\n')[0]}\n`);
  if (debug && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  else if (!(err instanceof RollcallError)) process.stderr.write('rollcall: (unexpected error: run again with --debug for the stack trace)\n');
}
