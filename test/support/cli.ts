// Runs the real `rollcall` CLI as a child process, as a user would.
import { execa, type ResultPromise } from 'execa';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../src/cli/bin.js', import.meta.url));

/** Pids of every rollcall this test process started, oldest first (clusters are recorded with their owner's pid). */
export const startedPids: number[] = [];

export function rollcall(args: string[], opts: { env?: Record<string, string>; timeout?: number; cwd?: string } = {}): ResultPromise<{ reject: false; all: true }> {
  const child = execa('node', [BIN, ...args], { reject: false, all: true, env: opts.env, timeout: opts.timeout, cwd: opts.cwd }) as ResultPromise<{ reject: false; all: true }>;
  if (child.pid !== undefined) startedPids.push(child.pid);
  return child;
}

/** Resolves when the child's stderr (or stdout) has printed a line matching `re`. */
export function waitForOutput(child: ResultPromise, re: RegExp, timeoutMs = 60_000, from: 'stderr' | 'stdout' = 'stderr'): Promise<string> {
  const stream = from === 'stdout' ? child.stdout : child.stderr;
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no output matching ${re} within ${timeoutMs} ms; saw: ${seen}`)), timeoutMs);
    const onData = (b: Buffer) => {
      seen += b.toString();
      const m = re.exec(seen);
      if (m) {
        clearTimeout(timer);
        stream?.off('data', onData);
        resolve(m[0]);
      }
    };
    stream?.on('data', onData);
  });
}
