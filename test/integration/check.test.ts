// Done-when for `rollcall snapshot` / `rollcall check`: a realistic kwok cluster, snapshotted with a read-only
// ServiceAccount token, checked from the twin file, from the live context, and from a hand-written twin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { CheckReport } from '../../src/check/check-model.js';
import type { KwokCluster } from '../../src/providers/kwok/kwok-cluster.js';
import { apiStatus } from '../../src/kube/kube-client.js';
import { rollcall } from '../support/cli.js';
import { tempDir } from '../support/temp-dir.js';
import { readOnlyKubeconfig, startCheckCluster } from '../support/check-cluster.js';

const HAND_TWIN = new URL('../fixtures/twins/check-cluster.yaml', import.meta.url).pathname;

/** Every finding the cluster must produce: DaemonSet, check, severity. */
const EXPECTED = [
  'edge/edge-proxy host-port-surge error', 'edge/edge-proxy namespace-node-selector warning',
  'logging/heavy-agent coverage-gap error', 'logging/heavy-agent priority-class warning', 'logging/heavy-agent requests-exceed-allocatable error', 'logging/heavy-agent untolerated-taint info',
  'logging/log-agent untolerated-taint info',
  'monitoring/gpu-monitor noexecute-toleration-seconds warning',
  'monitoring/legacy-exporter no-readiness-probe warning', 'monitoring/legacy-exporter no-resources warning', 'monitoring/legacy-exporter on-delete warning',
  'monitoring/legacy-exporter priority-class warning', 'monitoring/legacy-exporter untolerated-taint info',
  'monitoring/metrics-agent coverage-gap error', 'monitoring/metrics-agent max-unavailable-high warning', 'monitoring/metrics-agent pdb-selects-daemon-pods error',
  'monitoring/metrics-agent rollout-stuck error',
];

const readReport = (dir: string) => JSON.parse(readFileSync(join(dir, 'check.json'), 'utf8')) as CheckReport;
const triples = (r: CheckReport) => r.daemonSets.flatMap((d) => d.findings.map((f) => `${d.daemonSet} ${f.check} ${f.severity}`)).sort();
const ds = (r: CheckReport, id: string) => r.daemonSets.find((d) => d.daemonSet === id)!;
const find = (r: CheckReport, id: string, check: string) => ds(r, id).findings.find((f) => f.check === check)!;
const node = (r: CheckReport, id: string, name: string) => ds(r, id).coverage.find((c) => c.node === name)!;
// What must not depend on where the twin came from: per node, eligibility and the oracle's reasons.
const eligibility = (r: CheckReport) => r.daemonSets.map((d) => [d.daemonSet, d.coverage.map((c) => [c.node, c.eligible, c.reasons])]);

describe('rollcall snapshot and check on a realistic cluster', () => {
  let cluster: KwokCluster;
  let kubeconfig: string;
  const dir = tempDir('rollcall-check-');
  const twinFile = join(dir, 'twin.yaml');
  let fromTwin: CheckReport;

  beforeAll(async () => {
    cluster = await startCheckCluster();
    kubeconfig = await readOnlyKubeconfig(cluster, dir);
  }, 300_000);
  afterAll(async () => {
    await cluster?.destroy();
  });

  it('the credential really is read-only: no writes, no Secrets', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    kc.setCurrentContext('readonly');
    const core = kc.makeApiClient(CoreV1Api);
    expect((await core.listNode()).items).toHaveLength(7);
    const refused = (p: Promise<unknown>) => p.then(() => 200, (e: unknown) => apiStatus(e));
    expect(await refused(core.createNamespace({ body: { metadata: { name: 'written' } } }))).toBe(403);
    expect(await refused(core.listSecretForAllNamespaces())).toBe(403);
    expect(await refused(core.listConfigMapForAllNamespaces())).toBe(403);
  });

  it('snapshot captures the cluster with that credential, env values blanked', async () => {
    const r = await rollcall(['snapshot', '--context', 'readonly', '--kubeconfig', kubeconfig, '-o', twinFile]);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stderr).toMatch(/wrote .*twin\.yaml: 7 nodes, 6 DaemonSets, \d+ daemon pods, 1 PDBs \(Kubernetes v1\.36\.\d+\)/);
    const text = readFileSync(twinFile, 'utf8');
    expect(text).toContain('apiVersion: rollcall.dev/v1alpha1');
    expect(text).toContain('name: API_TOKEN');
    expect(text).not.toContain('s3cr3t-value');
    expect(text).toContain('nodeSelector: pool=general');
  });

  it('check on the twin: every finding, every per-node reason, rollout arithmetic; exit 1', async () => {
    const reportDir = join(dir, 'from-twin');
    const manifests = join(dir, 'manifests');
    const r0 = await rollcall(['check', twinFile, '--report-dir', reportDir]);
    expect(r0.exitCode, r0.all).toBe(1);
    fromTwin = readReport(reportDir);
    expect(triples(fromTwin)).toEqual([...EXPECTED].sort());
    expect(r0.stdout).toMatch(/FAILED \(--fail-on error\): 6 errors, 8 warnings, 3 info/);

    expect(node(fromTwin, 'logging/log-agent', 'gpu-1')).toMatchObject({ eligible: false, keepsExistingPod: true, reasons: ['taint nvidia.com/gpu=present:NoSchedule not tolerated'] });
    expect(node(fromTwin, 'logging/log-agent', 'infra-2')).toMatchObject({ eligible: true, availableNow: true });
    expect(node(fromTwin, 'monitoring/gpu-monitor', 'gen-1').reasons).toEqual(['nodeSelector accelerator=nvidia does not match']);
    expect(node(fromTwin, 'monitoring/gpu-monitor', 'gpu-2')).toMatchObject({ eligible: true, availableNow: true });
    for (const n of ['infra-1', 'infra-2']) {
      expect(node(fromTwin, 'logging/heavy-agent', n)).toMatchObject({ eligible: true, availableNow: false });
      expect(node(fromTwin, 'logging/heavy-agent', n).pods).toMatch(/Pending \(revision 1\): Unschedulable \(0\/7 nodes are available: 1 Insufficient cpu/);
    }
    const metrics = ds(fromTwin, 'monitoring/metrics-agent').coverage;
    expect(metrics.filter((c) => /ImagePullBackOff \(revision 2\)$/.test(c.pods))).toHaveLength(4);
    expect(metrics.filter((c) => c.availableNow && /Running, Ready \(revision 1\)$/.test(c.pods))).toHaveLength(3);
    expect(ds(fromTwin, 'edge/edge-proxy').coverage.every((c) => c.eligible)).toBe(true);

    expect(find(fromTwin, 'logging/heavy-agent', 'requests-exceed-allocatable')).toMatchObject({ nodes: ['infra-1', 'infra-2'], evidence: ['infra-1: cpu requests 3 > allocatable 2', 'infra-2: cpu requests 3 > allocatable 2'] });
    expect(find(fromTwin, 'logging/heavy-agent', 'priority-class').evidence).toEqual(['spec.template.spec.priorityClassName: agents-high (value 1000000)']);
    expect(find(fromTwin, 'monitoring/metrics-agent', 'max-unavailable-high').message).toBe('maxUnavailable 50% takes 4 of 7 nodes without a daemon pod at once');
    const pdb = find(fromTwin, 'monitoring/metrics-agent', 'pdb-selects-daemon-pods');
    expect(pdb.message).toBe('PodDisruptionBudget monitoring/metrics-agent (maxUnavailable 1) selects the daemon pods: the disruption controller cannot count DaemonSet pods for it (no scale subresource), so no eviction is ever allowed');
    expect(pdb.evidence[1]).toBe('status: 0 healthy of 0 expected, disruptionsAllowed 0'); // what the real disruption controller wrote
    const stuck = find(fromTwin, 'monitoring/metrics-agent', 'rollout-stuck');
    expect(stuck.evidence.slice(0, 2)).toEqual(['status.updatedNumberScheduled 4 < desiredNumberScheduled 7', '4 unavailable of 7 (maxUnavailable 4): the budget is spent, the controller takes no further node']);
    expect(stuck.nodes).toHaveLength(4);
    expect(find(fromTwin, 'monitoring/gpu-monitor', 'noexecute-toleration-seconds').message).toMatch(/^toleration maintenance\.example\.com\/drain:NoExecute tolerationSeconds 60: /);
    expect(find(fromTwin, 'edge/edge-proxy', 'host-port-surge').evidence[0]).toBe('container proxy: hostPort 8080/TCP');
    expect(find(fromTwin, 'edge/edge-proxy', 'namespace-node-selector').nodes).toEqual(['gpu-1', 'gpu-2', 'infra-1', 'infra-2']);
    expect(find(fromTwin, 'monitoring/legacy-exporter', 'no-resources').evidence).toEqual(['container exporter: no requests.cpu, requests.memory, limits.memory']);

    expect(ds(fromTwin, 'monitoring/metrics-agent').rollout).toMatchObject({ desired: 7, maxUnavailable: 4, nodesDownAtOnce: 4, waves: 2, estimateSeconds: 20, worstCaseSeconds: 30 });
    expect(ds(fromTwin, 'edge/edge-proxy').rollout).toMatchObject({ desired: 7, maxSurge: 1, nodesDownAtOnce: 0, extraPodsAtOnce: 1, waves: 7 });
    expect(ds(fromTwin, 'monitoring/legacy-exporter').rollout).toMatchObject({ strategy: 'OnDelete', waves: 0 });

    const junit = readFileSync(join(reportDir, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<testsuites name="rollcall check" tests="84" failures="6"/);
    expect(junit).toMatch(/<testcase name="rollout-stuck" classname="monitoring\/metrics-agent" time="0.000">\n\s+<failure message="rollout not done/);
    expect(readFileSync(join(reportDir, 'index.html'), 'utf8')).toContain('data-verdict="failed"');

    // --manifests: apiVersions the cluster no longer serves; --fail-on warning; one DaemonSet only.
    mkdirSync(manifests);
    writeFileSync(join(manifests, 'old.yaml'), 'apiVersion: extensions/v1beta1\nkind: DaemonSet\nmetadata: {name: old}\n---\napiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: old}\n');
    const r1 = await rollcall(['check', twinFile, '--daemonset', 'monitoring/gpu-monitor', '--fail-on', 'warning', '--manifests', manifests, '--kubernetes-version', '1.36.3', '--report-dir', join(dir, 'one')]);
    expect(r1.exitCode, r1.all).toBe(1);
    const one = readReport(join(dir, 'one'));
    expect(triples(one)).toEqual(['monitoring/gpu-monitor noexecute-toleration-seconds warning']);
    expect(one.manifestFindings.map((f) => f.message)).toEqual([
      'DaemonSet old uses extensions/v1beta1, not served since v1.16 (the cluster\'s v1.36.3 refuses it)',
      'PodDisruptionBudget old uses policy/v1beta1, not served since v1.25 (the cluster\'s v1.36.3 refuses it)',
    ].map((m) => m.replace('v1.36.3', one.serverVersion)));
    const r2 = await rollcall(['check', twinFile, '--daemonset', 'monitoring/gpu-monitor', '--report-dir', join(dir, 'two')]);
    expect(r2.exitCode, r2.all).toBe(0);
  });

  it('check on the live context gives the same findings and reasons', async () => {
    const reportDir = join(dir, 'live');
    const r = await rollcall(['check', '--context', 'readonly', '--kubeconfig', kubeconfig, '--report-dir', reportDir]);
    expect(r.exitCode, r.all).toBe(1);
    const live = readReport(reportDir);
    expect(triples(live)).toEqual(triples(fromTwin));
    expect(eligibility(live)).toEqual(eligibility(fromTwin));
  });

  it('the anonymized twin gives the same findings, with no node name left', async () => {
    const anon = join(dir, 'anon.yaml');
    const r = await rollcall(['snapshot', '--context', 'readonly', '--kubeconfig', kubeconfig, '--anonymize', '-o', anon]);
    expect(r.exitCode, r.all).toBe(0);
    expect(readFileSync(anon, 'utf8')).not.toMatch(/gen-\d|gpu-\d|infra-\d|: (nvidia|general|infra)$/m); // taint keys stay, as label keys do
    const c = await rollcall(['check', anon, '--report-dir', join(dir, 'anon')]);
    expect(c.exitCode, c.all).toBe(1);
    expect(triples(readReport(join(dir, 'anon')))).toEqual(triples(fromTwin));
  });

  it('the same twin written by hand gives the same findings and reasons', async () => {
    const r = await rollcall(['check', HAND_TWIN, '--report-dir', join(dir, 'hand')]);
    expect(r.exitCode, r.all).toBe(1);
    const hand = readReport(join(dir, 'hand'));
    expect(triples(hand)).toEqual(triples(fromTwin));
    expect(eligibility(hand)).toEqual(eligibility(fromTwin));
  });
});

describe('rollcall check on a malformed twin', () => {
  it.each([
    [(t: string) => t.replace('effect: NoSchedule', 'effect: NoSchedul'), /: nodes\[\d+\]\.taints\[0\]\.effect: "NoSchedul" is not one of NoSchedule, PreferNoSchedule, NoExecute$/],
    [(t: string) => t.replace(/^(\s*)maxUnavailable: 50%$/m, '$1maxUnavailable: 50%\n$1maxSurge: 1'), /: daemonSets\[\d+\]\.spec\.updateStrategy\.rollingUpdate\.maxSurge: 1 may not be set when maxUnavailable \(50%\) is non-zero$/],
  ])('is one line naming the file and the field, exit 2 (%#)', async (edit, message) => {
    const file = join(tempDir('rollcall-badtwin-'), 'bad.yaml');
    writeFileSync(file, edit(readFileSync(HAND_TWIN, 'utf8')));
    const r = await rollcall(['check', file]);
    expect(r.exitCode).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]!.startsWith(`rollcall: error: ${file}: `)).toBe(true);
    expect(lines[0]).toMatch(message);
  });
});
