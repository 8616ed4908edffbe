// The CLI contract: cluster lifecycle by hand, exit codes, one-line errors, Ctrl-C and gc.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { execa } from 'execa';
import { clusterDir } from '../../src/providers/kwok/kwokctl.js';
import { readRecord } from '../../src/providers/registry.js';
import { processesMentioning } from '../../src/util/processes.js';
import { testToolchain } from '../support/kwok-fixture.js';
import { rollcall, waitForOutput } from '../support/cli.js';

describe('rollcall CLI', () => {
  it('cluster create --json gives a kubeconfig for 3 Ready nodes on a v1.36 server; cluster delete leaves nothing', async () => {
    const tc = await testToolchain();
    const created = await rollcall(['cluster', 'create', '--nodes', '3', '--json']);
    expect(created.exitCode, created.all).toBe(0);
    const out = JSON.parse(created.stdout) as { name: string; kubeconfig: string };
    expect(out.kubeconfig.startsWith('/')).toBe(true);
    try {
      const nodes = await execa(tc.kubectl, ['--kubeconfig', out.kubeconfig, 'get', 'nodes', '--no-headers']);
      const lines = nodes.stdout.trim().split('\n');
      expect(lines).toHaveLength(3);
      for (const l of lines) expect(l).toMatch(/\sReady\s/);
      const version = await execa(tc.kubectl, ['--kubeconfig', out.kubeconfig, 'version']);
      expect(version.stdout).toMatch(/Server Version: v1\.36\./);
      const listed = await rollcall(['cluster', 'list']);
      expect(listed.stdout).toContain(out.name);
    } finally {
      const deleted = await rollcall(['cluster', 'delete', out.name]);
      expect(deleted.exitCode, deleted.all).toBe(0);
    }
    expect(processesMentioning(`${clusterDir(tc, out.name)}/`)).toEqual([]);
    expect(existsSync(clusterDir(tc, out.name))).toBe(false);
    expect(readRecord(tc.cache.registry, out.name)).toBeUndefined();
  });

  it('cluster create --api-limits production leaves the components at their upstream client QPS; a bad value is one line, exit 2', async () => {
    const tc = await testToolchain();
    const created = await rollcall(['cluster', 'create', '--nodes', '1', '--json', '--api-limits', 'production']);
    expect(created.exitCode, created.all).toBe(0);
    const { name } = JSON.parse(created.stdout) as { name: string };
    try {
      const args = (component: string) => processesMentioning(`${clusterDir(tc, name)}/bin/${component}`).map((p) => readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0')).flat();
      // kwok's lifted limits are --kube-api-qps=5000 and no API priority and fairness.
      expect(args('kube-controller-manager').some((a) => a.startsWith('--kube-api-qps'))).toBe(false);
      expect(args('kube-scheduler').some((a) => a.startsWith('--kube-api-qps'))).toBe(false);
      expect(args('kube-apiserver')).not.toContain('--enable-priority-and-fairness=false');
    } finally {
      await rollcall(['cluster', 'delete', name]);
    }
    const bad = await rollcall(['cluster', 'create', '--api-limits', 'unlimited']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr.trim()).toBe('rollcall: error: --api-limits: "unlimited" is not one of lifted, production');
  });

  it('Ctrl-C during cluster create stops everything it started', async () => {
    const tc = await testToolchain();
    const name = `sigint-${process.pid}`;
    const child = rollcall(['cluster', 'create', '--nodes', '2', '--name', name]);
    await waitForOutput(child, /starting cluster/);
    // Give kwokctl time to start some components, then interrupt mid-start.
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(result.stderr).toMatch(/SIGINT received/);
    expect(processesMentioning(`${clusterDir(tc, name)}/`)).toEqual([]);
    expect(existsSync(clusterDir(tc, name))).toBe(false);
    expect(readRecord(tc.cache.registry, name)).toBeUndefined();
  });

  it('rollcall gc reclaims the cluster of a run killed with SIGKILL', async () => {
    const tc = await testToolchain();
    const name = `sigkill-${process.pid}`;
    const child = rollcall(['cluster', 'create', '--nodes', '2', '--name', name]);
    await waitForOutput(child, /adding 2 simulated node/);
    child.kill('SIGKILL');
    await child;
    expect(processesMentioning(`${clusterDir(tc, name)}/`).length).toBeGreaterThan(0);
    const gc = await rollcall(['gc']);
    expect(gc.exitCode, gc.all).toBe(0);
    expect(gc.stderr).toContain(`cluster ${name}`);
    expect(processesMentioning(`${clusterDir(tc, name)}/`)).toEqual([]);
    expect(existsSync(clusterDir(tc, name))).toBe(false);
    expect(readRecord(tc.cache.registry, name)).toBeUndefined();
  });

  it.each([
    [['cluster', 'create', '--nodes', 'three'], /--nodes: "three" is not a whole number/],
    [['cluster', 'create', '--kubernetes-version', 'latest'], /--kubernetes-version: "latest" is not a Kubernetes release/],
    [['cluster', 'delete', 'not-ours'], /cluster "not-ours" was not created by rollcall/],
    [['frobnicate'], /Unknown argument: frobnicate/],
  ])('rejects bad input %j with one line and exit code 2', async (args, message) => {
    const r = await rollcall(args);
    expect(r.exitCode).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines.length, r.stderr).toBe(1);
    expect(lines[0]).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('prints --version and --help', async () => {
    const v = await rollcall(['--version']);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const h = await rollcall(['--help']);
    for (const cmd of ['run', 'setup', 'cluster', 'gc']) expect(h.stdout).toContain(`rollcall ${cmd}`);
  });
});
