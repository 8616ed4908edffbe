// `cluster list`, `cluster delete` and `gc` only manage what exists: on a machine where nothing was
// built (empty cache, no Go on PATH) they answer and build nothing, and gc still reclaims
// a killed run's cluster by its pids, without kwokctl.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { writeRecord } from '../../src/providers/registry.js';
import { cacheLayout } from '../../src/toolchain/cache-dir.js';
import { isRunning, waitGone } from '../../src/util/processes.js';
import { rollcall } from '../support/cli.js';
import { coldEnv } from '../support/cold-env.js';

/** What a build would leave in the cache: none of it may appear. */
const BUILT = ['kubernetes', 'etcd', 'kwok', 'logs', 'kind'];

describe('rollcall without a built toolchain', () => {
  it('cluster list, gc --dry-run and cluster delete answer and build nothing', async () => {
    const { cache, env } = coldEnv();
    expect((await execa('sh', ['-c', 'command -v go || true'], { env })).stdout.trim()).toBe('');

    const list = await rollcall(['cluster', 'list'], { env });
    expect(list.exitCode, list.all).toBe(0);
    expect(list.stdout).toBe('no clusters');
    expect(list.stderr).toBe('');

    const gc = await rollcall(['gc', '--dry-run'], { env });
    expect(gc.exitCode, gc.all).toBe(0);
    expect(gc.stderr).toBe('rollcall: nothing to reclaim');

    const del = await rollcall(['cluster', 'delete', 'nosuch'], { env });
    expect(del.exitCode, del.all).toBe(2);
    expect(del.stderr.split('\n')).toEqual(['rollcall: error: cluster "nosuch" was not created by rollcall on this machine (see rollcall cluster list)']);

    // With no Go on PATH, an attempted build would have ended in "install Go" (exit 2), not these
    // answers; and nothing a build writes is in the cache. (How fast they answer is not asserted:
    // timings belong in the bench on this machine.)
    expect(readdirSync(cache).filter((f) => BUILT.includes(f))).toEqual([]);
  });

  it('gc stops a killed run\'s kwok cluster by its recorded pids when kwokctl was never built', async () => {
    const { cache, env } = coldEnv();
    const layout = cacheLayout(cache);
    const name = 'orphan';
    const dir = join(layout.kwokWorkdir, 'clusters', name);
    mkdirSync(join(dir, 'pids'), { recursive: true });
    // Stands in for a control-plane component: its command line names the cluster's folder.
    const component = execa(process.execPath, ['-e', 'setTimeout(() => {}, 300_000)', `${dir}/etcd`], { detached: true, stdio: 'ignore', reject: false });
    const pid = component.pid!;
    writeFileSync(join(dir, 'pids', 'etcd.pid'), String(pid));
    // The run that owned it is gone.
    const owner = execa(process.execPath, ['-e', '']);
    await owner;
    writeRecord(layout.registry, {
      name, provider: 'kwok', ownerPid: owner.pid!, persistent: false, createdAt: new Date().toISOString(),
      dirs: [], kubeconfig: join(dir, 'kubeconfig.yaml'), kubernetesVersion: '1.36.3',
    });
    try {
      const list = await rollcall(['cluster', 'list'], { env });
      expect(list.exitCode, list.all).toBe(0);
      expect(list.stdout).toMatch(new RegExp(`^${name}\\tkwok\\tv1\\.36\\.3\\trunning\\torphaned \\(rollcall gc\\)\\t`));

      const gc = await rollcall(['gc'], { env });
      expect(gc.exitCode, gc.all).toBe(0);
      expect(gc.stderr).toBe(`rollcall: removed: cluster ${name}`);
      expect(await waitGone([pid], 5000)).toEqual([]);
      expect(existsSync(dir)).toBe(false);
      expect(readdirSync(layout.registry)).toEqual([]);
      expect(readdirSync(cache).filter((f) => BUILT.includes(f))).toEqual([]);
    } finally {
      if (isRunning(pid)) process.kill(pid, 'SIGKILL');
      await component;
    }
  });
});
