// Runs a build command with its output appended to a log file, so a failure can point at the log.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { execa } from 'execa';
import { InfraError } from '../util/errors.js';

export interface LoggedCommand {
  /** What the step is, for the error message ("build kube-apiserver"). */
  step: string;
  file: string;
  args: string[];
  cwd: string;
  env?: Record<string, string | undefined>;
  logFile: string;
}

/** Runs the command; on failure throws an InfraError naming the step, its log and the last lines. */
export async function runLogged(cmd: LoggedCommand): Promise<void> {
  mkdirSync(dirname(cmd.logFile), { recursive: true });
  appendFileSync(cmd.logFile, `\n$ (cd ${cmd.cwd} && ${cmd.file} ${cmd.args.join(' ')})\n`);
  const result = await execa(cmd.file, cmd.args, {
    cwd: cmd.cwd,
    env: cmd.env,
    stdout: { file: cmd.logFile, append: true },
    stderr: { file: cmd.logFile, append: true },
    stdin: 'ignore',
    reject: false,
    cleanup: true,
  });
  if (result.failed) {
    const why = result.isTerminated ? `killed by ${result.signal}` : `exit code ${result.exitCode}`;
    throw new InfraError(`${cmd.step} failed (${why}); see ${cmd.logFile}`, { cause: result });
  }
}
