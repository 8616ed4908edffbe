// --provider existing, killed mid-chaos: every change was journalled before it was made, the kill
// leaves them on the cluster, plain `gc` only says how to revert them, `gc --context` reverts each
// one (taints, labels, cordon back to their exact prior values; namespace and PriorityClass deleted)
// and a second gc finds nothing left. A corrupt journal is one line naming the file and line, exit 2.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { V1Node } from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiStatus } from '../../src/kube/kube-client.js';
import { taintNode, labelNode, cordonNode } from '../../src/kube/node-api.js';
import { watchUntil } from '../../src/kube/watch-until.js';
import { journalDir } from '../../src/journal/journal-dir.js';
import { existingClusterForFile } from '../support/kwok-fixture.js';
import { rollcall, waitForOutput } from '../support/cli.js';
import { tempDir } from '../support/temp-dir.js';

const SCENARIO = 'test/fixtures/scenarios/existing/killed-mid-chaos.ts';

/** What the journal must restore on each node: taints (key, value, effect), labels and the unschedulable flag. */
function nodeState(n: V1Node): string {
  const taints = (n.spec?.taints ?? []).map((t) => `${t.key}=${t.value ?? ''}:${t.effect}`).sort();
  return JSON.stringify({ taints, labels: n.metadata?.labels ?? {}, unschedulable: !!n.spec?.unschedulable });
}

describe('existing provider: a killed run\'s changes are journalled and gc --context reverts them', () => {
  const existing = existingClusterForFile(3);
  const cache = tempDir('rollcall-journal-cache-');
  const env = { ROLLCALL_CACHE: cache };
  let before = new Map<string, string>();

  beforeAll(async () => {
    const kube = existing.cluster().kube;
    // Prior values that are not the defaults, so "restored" means exactly these.
    await taintNode(kube, 'worker-1', { key: 'maintenance', value: 'planned', effect: 'NoSchedule' });
    await labelNode(kube, 'worker-1', { pool: 'blue' });
    await cordonNode(kube, 'worker-3', true);
    // The node lifecycle controller taints a cordoned node node.kubernetes.io/unschedulable; wait for it, it is part of the prior state.
    await watchUntil<V1Node>(kube, {
      path: '/api/v1/nodes', list: () => kube.core.listNode(), timeoutMs: 30_000, what: 'worker-3 tainted unschedulable',
      check: (ns) => ns.find((n) => n.metadata?.name === 'worker-3')?.spec?.taints?.some((t) => t.key === 'node.kubernetes.io/unschedulable') ? true : 'not yet',
    });
    before = new Map((await kube.core.listNode()).items.map((n) => [n.metadata!.name!, nodeState(n)]));
  });

  it('SIGKILLed mid-chaos, the cluster stays changed; gc --context reverts each change, and again finds nothing', async () => {
    const kube = existing.cluster().kube;
    const context = existing.context();
    const kubeconfig = existing.cluster().kubeconfigPath;
    const run = rollcall(['run', SCENARIO, ...existing.args(), '--report-dir', tempDir('rollcall-journal-report-')], { env });
    await waitForOutput(run, /all chaos in place/, 120_000, 'stdout');
    run.kill('SIGKILL');
    const killed = await run;
    expect(killed.signal).toBe('SIGKILL');

    // The kill left every change in place.
    const nodes = new Map((await kube.core.listNode()).items.map((n) => [n.metadata!.name!, n]));
    expect(nodes.get('worker-1')!.spec?.taints).toContainEqual(expect.objectContaining({ key: 'maintenance', value: 'drill', effect: 'NoSchedule' }));
    expect(nodes.get('worker-1')!.metadata?.labels).toMatchObject({ pool: 'green', drill: 'on' });
    expect(nodes.get('worker-2')!.spec?.unschedulable).toBe(true);
    expect(nodes.get('worker-3')!.spec?.unschedulable ?? false).toBe(false);
    const namespace = (await kube.core.listNamespace()).items.map((n) => n.metadata!.name!).find((n) => n.startsWith('rc-killed-mid-chaos-'));
    expect(namespace).toBeDefined();
    const ds = await kube.apps.readNamespacedDaemonSet({ name: 'simple-log-collector', namespace: namespace! });
    expect(ds.spec?.updateStrategy?.rollingUpdate?.maxUnavailable).toBe(2);
    await kube.objects.read({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'rollcall-test-journal' } });

    // Plain gc never acts on the user's cluster: it names the context and the command.
    const plain = await rollcall(['gc'], { env });
    expect(plain.exitCode, plain.all).toBe(0);
    expect(plain.stderr).toContain(`journals of killed runs on context ${context} (`);
    expect(plain.stderr).toContain(`hold 6 change(s) not undone; revert them with: rollcall gc --context ${context} --kubeconfig ${kubeconfig}`);
    expect((await kube.core.readNode({ name: 'worker-2' })).spec?.unschedulable).toBe(true);

    const gc = await rollcall(['gc', '--context', context, '--kubeconfig', kubeconfig], { env });
    expect(gc.exitCode, gc.all).toBe(0);
    const lines = gc.stderr.trim().split('\n');
    // Latest first, one line per change; the DaemonSet's patch goes with the namespace.
    expect(lines).toEqual([
      'rollcall: reverted: node worker-3: cordoned again (rollcall had uncordoned it)',
      'rollcall: reverted: node worker-2: uncordoned (rollcall had cordoned it)',
      'rollcall: reverted: node worker-1: label pool back to "blue" (rollcall had set "green"); drill back to absent (rollcall had set "on")',
      'rollcall: reverted: node worker-1: taint maintenance:NoSchedule back to maintenance=planned:NoSchedule (rollcall had set maintenance=drill:NoSchedule)',
      'rollcall: reverted: PriorityClass rollcall-test-journal: deleted (rollcall had created it)',
      `rollcall: reverted: namespace ${namespace}: deleted (rollcall had created it)`,
      'rollcall:   with it: patched DaemonSet simple-log-collector: maxUnavailable',
      `rollcall:   with it: created DaemonSet ${namespace}/simple-log-collector`,
      `rollcall: context ${context}: 6 reverted, 0 already reverted, 0 left as is`,
    ]);

    // Each node back to its exact prior taints, labels and schedulability (the controller's unschedulable taint follows the flag).
    await watchUntil<V1Node>(kube, {
      path: '/api/v1/nodes', list: () => kube.core.listNode(), timeoutMs: 30_000, what: 'every node back to its prior state',
      check: (ns) => {
        const wrong = ns.filter((n) => nodeState(n) !== before.get(n.metadata!.name!)).map((n) => `${n.metadata!.name}: ${nodeState(n)} (was ${before.get(n.metadata!.name!)})`);
        return wrong.length ? wrong.join('; ') : true;
      },
    });
    const ns = await kube.core.readNamespace({ name: namespace! }).catch((err) => (apiStatus(err) === 404 ? undefined : Promise.reject(err)));
    expect(ns === undefined || !!ns.metadata?.deletionTimestamp, 'namespace gone or terminating').toBe(true);
    const pc = await kube.objects.read({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'rollcall-test-journal' } }).catch((err) => apiStatus(err));
    expect(pc).toBe(404);

    const again = await rollcall(['gc', '--context', context, '--kubeconfig', kubeconfig], { env });
    expect(again.exitCode, again.all).toBe(0);
    expect(again.stderr.trim()).toMatch(new RegExp(`^rollcall: no journalled changes to revert on context ${context} \\(https://`));
    const plainAgain = await rollcall(['gc'], { env });
    expect(plainAgain.stderr).not.toContain('journals of killed runs');
  });

  it('refuses a corrupt journal with one line naming the file and line, exit 2', async () => {
    const kube = existing.cluster().kube;
    const dir = journalDir(join(cache, 'journals'), existing.context(), kube.kubeconfig.getCurrentCluster()!.server);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'corrupt.jsonl');
    const header = { op: 'begin', v: 1, context: existing.context(), server: 'x', kubeconfig: 'k', pid: 999_999_999, at: new Date().toISOString(), scenario: 's', file: 'f.ts' };
    writeFileSync(file, `${JSON.stringify(header)}\n{"op":"change","id":1,\n`);
    const r = await rollcall(['gc', '--context', existing.context(), '--kubeconfig', existing.cluster().kubeconfigPath], { env });
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^rollcall: error: ${file.replace(/[.]/g, '\\.')}: line 2: not valid JSON \\(`))]);
    expect(readdirSync(dir)).toEqual(['corrupt.jsonl']);
  });
});
