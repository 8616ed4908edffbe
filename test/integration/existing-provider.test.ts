// --provider existing: a cluster rollcall did not create, named by an explicit context. API-level
// chaos runs and is undone; machine-level chaos is refused; the cluster itself is never deleted.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { journalDir } from '../../src/journal/journal-dir.js';
import type { KwokCluster } from '../../src/providers/kwok/kwok-cluster.js';
import { existingClusterForFile } from '../support/kwok-fixture.js';
import { rollcall } from '../support/cli.js';
import { tempDir } from '../support/temp-dir.js';

describe('existing provider', () => {
  const existing = existingClusterForFile(3);
  let cluster: KwokCluster;
  let context: string;
  beforeEach(() => {
    cluster = existing.cluster();
    context = existing.context();
  });

  it('runs an API-only scenario on a named context, undoes its chaos, closes its journal and leaves the cluster running', async () => {
    const reportDir = tempDir('rollcall-existing-');
    const cache = tempDir('rollcall-existing-cache-');
    const r = await rollcall(['run', 'scenarios/02-taints.ts', '--provider', 'existing', '--context', context, '--kubeconfig', cluster.kubeconfigPath, '--report-dir', reportDir], { env: { ROLLCALL_CACHE: cache } });
    expect(r.exitCode, r.all).toBe(0);
    // The journal was written in this context's folder and removed once every change was undone.
    expect(readdirSync(journalDir(join(cache, 'journals'), context, cluster.kube.kubeconfig.getCurrentCluster()!.server))).toEqual([]);
    const nodes = (await cluster.kube.core.listNode()).items;
    expect(nodes.map((n) => n.metadata!.name).sort()).toEqual(['worker-1', 'worker-2', 'worker-3']);
    for (const n of nodes) {
      expect(n.spec?.taints ?? [], n.metadata!.name).toEqual([]);
      expect(n.spec?.unschedulable ?? false).toBe(false);
    }
    const namespaces = (await cluster.kube.core.listNamespace()).items.map((n) => n.metadata!.name!);
    const leftover = namespaces.filter((n) => n.startsWith('rc-'));
    const active = (await Promise.all(leftover.map((n) => cluster.kube.core.readNamespace({ name: n })))).filter((n) => !n.metadata?.deletionTimestamp);
    expect(active).toEqual([]);
  });

  it('skips a scenario that needs machine-level chaos, saying why, and touches no node', async () => {
    const r = await rollcall(['run', 'scenarios/01-coverage.ts', '--provider', 'existing', '--context', context, '--kubeconfig', cluster.kubeconfigPath, '--report-dir', tempDir('rollcall-existing-')]);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout).toMatch(/SKIPPED coverage on every node .*needs node-add \(provider existing lacks it: rollcall only changes machines of clusters it created/);
    expect((await cluster.kube.core.listNode()).items).toHaveLength(3);
  });

  it('never uses the current context implicitly', async () => {
    const r = await rollcall(['run', 'scenarios/02-taints.ts', '--provider', 'existing', '--kubeconfig', cluster.kubeconfigPath]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim()).toBe('rollcall: error: --context: required with --provider existing (rollcall never acts on the current context implicitly)');
    const wrong = await rollcall(['run', 'scenarios/02-taints.ts', '--provider', 'existing', '--context', 'prod', '--kubeconfig', cluster.kubeconfigPath]);
    expect(wrong.exitCode).toBe(2);
    expect(wrong.stderr).toMatch(/--context: "prod" is not in /);
  });
});
