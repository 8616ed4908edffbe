// dockerd is shared by every rollcall process (vitest runs kind test files side by side, `--jobs`
// runs clusters in parallel): the dockerd rollcall started stops only when no live process holds a
// lease on it. Real processes stand in for dockerd (named so by argv[0]) and for the other users.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { reclaimDocker } from '../../../src/toolchain/kind/docker-daemon.js';
import { isRunning } from '../../../src/util/processes.js';
import { tempDir } from '../../support/temp-dir.js';

const children: ChildProcess[] = [];
function start(argv0: string): ChildProcess {
  const c = spawn('bash', ['-c', `exec -a ${argv0} sleep 300`], { stdio: 'ignore' });
  children.push(c);
  return c;
}
afterEach(() => children.splice(0).forEach((c) => c.kill('SIGKILL')));

const waitGone = async (pid: number) => {
  for (let i = 0; i < 50 && isRunning(pid); i++) await new Promise((r) => setTimeout(r, 100));
  return !isRunning(pid);
};

describe('the dockerd rollcall started', () => {
  it('keeps running while another live process holds a lease, and stops when the last lease is gone', async () => {
    const root = tempDir('rollcall-leases-');
    const dir = join(root, 'kind');
    mkdirSync(join(dir, 'docker-leases'), { recursive: true });
    const dockerd = start('dockerd');
    const user = start('rollcall-user');
    await new Promise((r) => setTimeout(r, 200));
    writeFileSync(join(dir, 'dockerd.pid'), String(dockerd.pid));
    writeFileSync(join(dir, 'docker-leases', `${user.pid}-1`), '');
    writeFileSync(join(dir, 'docker-leases', '999999999-1'), ''); // a killed run's lease

    expect(await reclaimDocker(root)).toBeUndefined();
    expect(isRunning(dockerd.pid!)).toBe(true);
    expect(readdirSync(join(dir, 'docker-leases'))).toEqual([`${user.pid}-1`]);

    user.kill('SIGKILL');
    expect(await waitGone(user.pid!)).toBe(true);
    expect(await reclaimDocker(root)).toBe(dockerd.pid);
    expect(await waitGone(dockerd.pid!)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['docker-leases']);
  });

  it('never stops a process that merely reuses the recorded pid, nor a Docker it did not start', async () => {
    const root = tempDir('rollcall-leases-');
    const dir = join(root, 'kind');
    mkdirSync(dir, { recursive: true });
    const other = start('postgres');
    await new Promise((r) => setTimeout(r, 200));
    writeFileSync(join(dir, 'dockerd.pid'), String(other.pid));
    expect(await reclaimDocker(root)).toBeUndefined();
    expect(isRunning(other.pid!)).toBe(true);
    expect(await reclaimDocker(tempDir('rollcall-leases-'))).toBeUndefined();
  });
});
