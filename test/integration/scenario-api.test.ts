// What a scenario can do with its cluster: a real multi-document bundle (companions, RBAC
// rewritten, cluster-scoped objects removed afterwards), t.kube, t.kubectl, t.assert and
// custom judges that return a boolean or a message.
import { beforeEach, describe, expect, it } from 'vitest';
import { RbacAuthorizationV1Api, SchedulingV1Api } from '@kubernetes/client-node';
import type { KwokCluster } from '../../src/providers/kwok/kwok-cluster.js';
import { apiStatus } from '../../src/kube/kube-client.js';
import { existingClusterForFile } from '../support/kwok-fixture.js';
import { rollcall } from '../support/cli.js';
import { readReport } from '../support/runs.js';
import { tempDir } from '../support/temp-dir.js';

const API = 'test/fixtures/scenarios/api';

async function gone(read: () => Promise<unknown>): Promise<boolean> {
  try {
    await read();
    return false;
  } catch (err) {
    return apiStatus(err) === 404;
  }
}

describe('scenario API', () => {
  // A cluster that outlives the run (as --provider existing), so what the run left can be inspected.
  const existing = existingClusterForFile(2);
  let cluster: KwokCluster;
  beforeEach(() => {
    cluster = existing.cluster();
  });

  it('applies a bundle: picks the DaemonSet by name, places companions in the scenario namespace, rebinds RBAC, removes cluster-scoped objects afterwards', async () => {
    const reportDir = tempDir('rollcall-api-');
    const r = await rollcall(['run', `${API}/bundle-companions.ts`, ...existing.args(), '--report-dir', reportDir]);
    expect(r.exitCode, r.all).toBe(0);
    const [s] = readReport(reportDir).scenarios;
    expect(s!.verdict).toBe('passed');
    const applied = s!.actions.filter((a) => a.kind === 'object.apply').map((a) => a.description);
    // The Namespace object is replaced by the scenario's namespace; the shared companions are applied once.
    expect(applied).toEqual([
      `apply ServiceAccount ${s!.namespace}/log-agent`,
      `apply ConfigMap ${s!.namespace}/log-agent-config`,
      'apply ClusterRole rollcall-test-log-agent-read',
      'apply ClusterRoleBinding rollcall-test-log-agent-read',
      'apply PriorityClass rollcall-test-node-agent',
      `apply DaemonSet ${s!.namespace}/log-agent`,
      `apply DaemonSet ${s!.namespace}/node-metrics`,
    ]);
    expect(s!.assertions.filter((a) => a.verdict === 'passed').map((a) => a.name)).toEqual(expect.arrayContaining([
      'the ClusterRoleBinding binds the scenario ServiceAccount',
      'kubectl finds the ConfigMap in the scenario namespace',
      'daemon pods run as the bundle ServiceAccount with its PriorityClass',
    ]));
    expect(s!.actions).toContainEqual(expect.objectContaining({ kind: 'kubectl', description: 'kubectl get configmap log-agent-config -o jsonpath={.metadata.namespace}' }));
    expect(r.stdout).toMatch(/· kubeconfig is absolute/);
    const rbac = cluster.kube.kubeconfig.makeApiClient(RbacAuthorizationV1Api);
    const scheduling = cluster.kube.kubeconfig.makeApiClient(SchedulingV1Api);
    expect(await gone(() => rbac.readClusterRole({ name: 'rollcall-test-log-agent-read' }))).toBe(true);
    expect(await gone(() => rbac.readClusterRoleBinding({ name: 'rollcall-test-log-agent-read' }))).toBe(true);
    expect(await gone(() => scheduling.readPriorityClass({ name: 'rollcall-test-node-agent' }))).toBe(true);
    expect(await gone(() => cluster.kube.core.readNamespace({ name: 'logging' }))).toBe(true);
  });

  it('refuses to overwrite a cluster-scoped object it did not create, and leaves it in place', async () => {
    const scheduling = cluster.kube.kubeconfig.makeApiClient(SchedulingV1Api);
    await scheduling.createPriorityClass({ body: { metadata: { name: 'rollcall-test-node-agent' }, value: 42, description: 'the user\'s own' } });
    try {
      const r = await rollcall(['run', `${API}/bundle-companions.ts`, ...existing.args(), '--report-dir', tempDir('rollcall-api-')]);
      expect(r.exitCode, r.all).toBe(2);
      expect(r.stderr.trim()).toBe('rollcall: error: test/fixtures/scenarios/api/bundle-companions.ts: ../manifests/agent-bundle.yaml: PriorityClass rollcall-test-node-agent already exists in the cluster; rollcall does not overwrite objects it did not create');
      const kept = await scheduling.readPriorityClass({ name: 'rollcall-test-node-agent' });
      expect(kept.value).toBe(42);
      // What it did create before the refusal is gone again.
      expect(await gone(() => cluster.kube.kubeconfig.makeApiClient(RbacAuthorizationV1Api).readClusterRole({ name: 'rollcall-test-log-agent-read' }))).toBe(true);
    } finally {
      await scheduling.deletePriorityClass({ name: 'rollcall-test-node-agent' });
    }
  });

  it('a judge returning a message, a failing kubectl and a false t.assert fail the scenario (exit 1) with what they said', async () => {
    const reportDir = tempDir('rollcall-api-');
    const r = await rollcall(['run', `${API}/failed-checks.ts`, '--report-dir', reportDir]);
    expect(r.exitCode, r.all).toBe(1);
    expect(r.stdout).toMatch(/· expected failure: five daemon pods on one node: not reached within 3\.0s: only [01] pod\(s\)/);
    expect(r.stdout).toMatch(/· expected failure: kubectl get no-such-kind: exit 1: error: the server doesn't have a resource type "no-such-kind"/);
    const [s] = readReport(reportDir).scenarios;
    expect(s!.verdict).toBe('failed');
    expect(s!.error).toBe('two and two make five: does not hold');
    expect(s!.assertions).toContainEqual(expect.objectContaining({ name: 'two and two make five', verdict: 'failed', step: 't.assert false fails the scenario' }));
  });
});
