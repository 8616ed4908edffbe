// Small wrappers over the docker CLI used while building images: logged steps, image lookups, shell pipes.
import { execa } from 'execa';
import { runLogged } from '../run-logged.js';

/** Classic builder: Docker 20.10 cannot fetch BuildKit's frontends without a registry. */
export const DOCKER_ENV = { ...process.env, DOCKER_BUILDKIT: '0', DOCKER_CLI_HINTS: 'false' };

/** Quotes one word for `bash -c`. */
export function sh(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Runs a bash pipeline (with pipefail) as one logged build step. */
export async function runPipeline(step: string, script: string, logFile: string, cwd = '/'): Promise<void> {
  await runLogged({ step, file: 'bash', args: ['-o', 'pipefail', '-euc', script], cwd, env: DOCKER_ENV, logFile });
}

/** Runs `docker <args>` as one logged build step. */
export async function dockerStep(step: string, args: string[], logFile: string, cwd = '/'): Promise<void> {
  await runLogged({ step, file: 'docker', args, cwd, env: DOCKER_ENV, logFile });
}

/** The image's ID and labels, or undefined when there is no such image. */
export async function inspectImage(ref: string): Promise<{ id: string; labels: Record<string, string>; size: number } | undefined> {
  const r = await execa('docker', ['image', 'inspect', '--format', '{{json .}}', ref], { reject: false });
  if (r.exitCode !== 0) return undefined;
  const img = JSON.parse(r.stdout) as { Id: string; Size: number; Config?: { Labels?: Record<string, string> | null } };
  return { id: img.Id, labels: img.Config?.Labels ?? {}, size: img.Size };
}

/** True when the image exists and carries `io.rollcall.recipe=<recipe>`. */
export async function imageIsCurrent(ref: string, recipe: string): Promise<boolean> {
  return (await inspectImage(ref))?.labels[RECIPE_LABEL] === recipe;
}

export const RECIPE_LABEL = 'io.rollcall.recipe';
