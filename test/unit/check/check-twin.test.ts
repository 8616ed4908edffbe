import { describe, expect, it } from 'vitest';
import { checkTwin } from '../../../src/check/check-twin.js';
import type { CheckReport } from '../../../src/check/check-model.js';
import { coveredEverywhere, goodContainer, readyPod, twin, twinDs, twinNode } from './fixtures.js';

const nodes = [twinNode('a'), twinNode('b'), twinNode('c'), twinNode('d')];
const run = (t: ReturnType<typeof twin>, opts = {}) => checkTwin(t, { source: 'unit', ...opts });
const ids = (r: CheckReport, ds = 0) => r.daemonSets[ds]!.findings.map((f) => `${f.check}:${f.severity}`);

describe('checkTwin: a clean DaemonSet', () => {
  it('has no finding, covers every node, and rolls one node at a time', () => {
    const r = run(twin(nodes, [coveredEverywhere(twinDs('agent', { status: { desiredNumberScheduled: 4, currentNumberScheduled: 4, numberMisscheduled: 0, numberReady: 4, updatedNumberScheduled: 4, numberAvailable: 4, observedGeneration: 1 } }), nodes)]));
    expect(ids(r)).toEqual([]);
    expect(r.failed).toBe(false);
    expect(r.daemonSets[0]!.coverage.map((c) => [c.node, c.eligible, c.availableNow, c.pods])).toEqual([
      ['a', true, true, 'pod agent-a Running, Ready (revision 1)'], ['b', true, true, 'pod agent-b Running, Ready (revision 1)'],
      ['c', true, true, 'pod agent-c Running, Ready (revision 1)'], ['d', true, true, 'pod agent-d Running, Ready (revision 1)'],
    ]);
    expect(r.daemonSets[0]!.rollout).toMatchObject({ strategy: 'RollingUpdate', desired: 4, nodesDownAtOnce: 1, waves: 4, secondsPerWave: 10, estimateSeconds: 40, worstCaseSeconds: 160 });
  });
});

describe('checkTwin: coverage prediction with the oracle', () => {
  it('gives each left-out node the reason: untolerated taint, nodeSelector', () => {
    const gpu = twinNode('gpu-1', { labels: { pool: 'gpu' }, taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }] });
    const infra = twinNode('infra-1', { labels: { pool: 'infra' } });
    const t = twin([gpu, infra], [twinDs('everywhere'), twinDs('infra-only', { pod: { nodeSelector: { pool: 'infra' } } })]);
    const r = run(t);
    expect(r.daemonSets[0]!.coverage.find((c) => c.node === 'gpu-1')).toMatchObject({ eligible: false, keepsExistingPod: true, reasons: ['taint nvidia.com/gpu=present:NoSchedule not tolerated'] });
    expect(r.daemonSets[1]!.coverage.find((c) => c.node === 'gpu-1')!.reasons).toEqual(['nodeSelector pool=infra does not match']);
    expect(ids(r, 0)).toContain('untolerated-taint:info');
    expect(ids(r, 1)).not.toContain('untolerated-taint:info'); // excluded by its selector, not by a taint
  });

  it('an eligible node without an available pod is a coverage gap with the pod reason', () => {
    const ds = twinDs('agent', { pods: [readyPod('agent', 'a'), { name: 'agent-b', node: 'b', phase: 'Pending', ready: false, reason: 'Unschedulable', message: '0/4 nodes are available: 1 Insufficient cpu.' }] });
    const r = run(twin(nodes.slice(0, 2), [ds]));
    const gap = r.daemonSets[0]!.findings.find((f) => f.check === 'coverage-gap')!;
    expect(gap).toMatchObject({ severity: 'error', nodes: ['b'], message: '1 of 2 eligible nodes have no available daemon pod now' });
    expect(gap.evidence).toEqual(['b: pod agent-b Pending (revision 1): Unschedulable (0/4 nodes are available: 1 Insufficient cpu.)']);
    expect(r.failed).toBe(true);
  });
});

describe('checkTwin: spec checks', () => {
  it('OnDelete, no probe, no resources, no priority class', () => {
    const ds = coveredEverywhere(twinDs('legacy', { spec: { updateStrategy: { type: 'OnDelete' } }, containers: [{ name: 'x', image: 'x:1' }], pod: { priorityClassName: undefined } }), nodes);
    const r = run(twin(nodes, [ds]));
    expect(ids(r)).toEqual(['on-delete:warning', 'no-readiness-probe:warning', 'no-resources:warning', 'priority-class:warning']);
    const f = (id: string) => r.daemonSets[0]!.findings.find((x) => x.check === id)!;
    expect(f('no-resources').evidence).toEqual(['container x: no requests.cpu, requests.memory, limits.memory']);
    expect(f('priority-class').evidence).toEqual(['spec.template.spec.priorityClassName: not set (priority 0)']);
    expect(r.daemonSets[0]!.rollout).toMatchObject({ strategy: 'OnDelete', waves: 0 });
    expect(r.failed).toBe(false);
    expect(run(twin(nodes, [ds]), { failOn: 'warning' }).failed).toBe(true);
  });

  it('a priorityClassName that does not exist is an error', () => {
    const r = run(twin(nodes, [coveredEverywhere(twinDs('agent', { pod: { priorityClassName: 'gone' } }), nodes)]));
    expect(ids(r)).toEqual(['priority-class:error']);
  });

  it('maxUnavailable 50% of 4 nodes is a warning; 100% an error', () => {
    const at = (v: string) => ids(run(twin(nodes, [coveredEverywhere(twinDs('agent', { spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: v } } } }), nodes)])));
    expect(at('50%')).toEqual(['max-unavailable-high:warning']);
    expect(at('100%')).toEqual(['max-unavailable-high:error']);
    expect(at('25%')).toEqual([]);
  });

  it('hostPort with maxSurge is an error; hostPort with maxSurge 0 is fine', () => {
    const withPort = [goodContainer({ ports: [{ containerPort: 8080, hostPort: 8080 }] })];
    const surge = twinDs('proxy', { containers: withPort, spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } } });
    const r = run(twin(nodes, [coveredEverywhere(surge, nodes), coveredEverywhere(twinDs('plain', { containers: withPort }), nodes)]));
    expect(ids(r, 0)).toEqual(['host-port-surge:error']);
    expect(r.daemonSets[0]!.findings[0]!.evidence[0]).toBe('container agent: hostPort 8080/TCP');
    expect(r.daemonSets[0]!.rollout).toMatchObject({ nodesDownAtOnce: 0, extraPodsAtOnce: 1, waves: 4, worstCaseSeconds: 40 });
    expect(ids(r, 1)).toEqual([]);
  });

  it('NoExecute tolerationSeconds: a warning, an error when a node carries the taint now; the controller\'s own not-ready toleration drops its seconds', () => {
    const tolerations = [
      { key: 'maintenance', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 },
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ];
    const ds = coveredEverywhere(twinDs('agent', { pod: { tolerations } }), nodes);
    expect(ids(run(twin(nodes, [ds])))).toEqual(['noexecute-toleration-seconds:warning']);
    const tainted = [...nodes.slice(1), twinNode('a', { taints: [{ key: 'maintenance', effect: 'NoExecute' }] })];
    const r = run(twin(tainted, [ds]));
    expect(ids(r)).toEqual(['noexecute-toleration-seconds:error']);
    expect(r.daemonSets[0]!.findings[0]!.nodes).toEqual(['a']);
  });
});

describe('checkTwin: cluster checks', () => {
  it('a PDB over the daemon pods: error when no disruption is allowed now, or ever (maxUnavailable, percentages)', () => {
    const ds = coveredEverywhere(twinDs('agent'), nodes);
    const pdb = { namespace: 'ops', name: 'agent', selector: { matchLabels: { app: 'agent' } }, minAvailable: 3 as number | string, status: { currentHealthy: 3, desiredHealthy: 3, disruptionsAllowed: 0, expectedPods: 4 } };
    const with_ = (p: object) => run(twin(nodes, [ds], { podDisruptionBudgets: [{ ...pdb, ...p }] }));
    expect(ids(with_({}))).toEqual(['pdb-selects-daemon-pods:error']);
    expect(ids(with_({ status: { ...pdb.status, disruptionsAllowed: 1 } }))).toEqual(['pdb-selects-daemon-pods:warning']);
    expect(ids(with_({ namespace: 'other' }))).toEqual([]);
    for (const p of [{ minAvailable: undefined, maxUnavailable: 1 }, { minAvailable: '50%' }]) {
      const r = with_({ ...p, status: { ...pdb.status, disruptionsAllowed: 1 } });
      expect(ids(r)).toEqual(['pdb-selects-daemon-pods:error']);
      expect(r.daemonSets[0]!.findings[0]!.message).toMatch(/cannot count DaemonSet pods for it \(no scale subresource\), so no eviction is ever allowed$/);
    }
  });

  it('requests above a node\'s allocatable, per node', () => {
    const small = twinNode('small', { allocatable: { cpu: '2', memory: '4Gi' } });
    const ds = twinDs('heavy', { containers: [goodContainer({ resources: { requests: { cpu: '3', memory: '1Gi' }, limits: { memory: '1Gi' } } })] });
    const r = run(twin([twinNode('big'), small], [{ ...ds, pods: [readyPod('heavy', 'big'), readyPod('heavy', 'small')] }]));
    const f = r.daemonSets[0]!.findings.find((x) => x.check === 'requests-exceed-allocatable')!;
    expect(f).toMatchObject({ severity: 'error', nodes: ['small'], evidence: ['small: cpu requests 3 > allocatable 2'] });
  });

  it('a namespace node selector that leaves out eligible nodes', () => {
    const ns = [twinNode('g', { labels: { pool: 'general' } }), twinNode('i', { labels: { pool: 'infra' } })];
    const r = run(twin(ns, [coveredEverywhere(twinDs('agent', { namespace: 'edge' }), ns)], { namespaces: [{ name: 'edge', nodeSelector: 'pool=general' }] }));
    expect(ids(r)).toEqual(['namespace-node-selector:warning']);
    expect(r.daemonSets[0]!.findings[0]!.nodes).toEqual(['i']);
  });
});

describe('checkTwin: state', () => {
  it('a halted rollout: updated < desired, the budget spent, each unavailable node with its pod', () => {
    const revisions = [{ hash: 'old', number: 1 }, { hash: 'new', number: 2 }];
    const pods = [
      { name: 'agent-a2', node: 'a', revisionHash: 'new', phase: 'Pending', ready: false, reason: 'ImagePullBackOff' },
      readyPod('agent', 'b', { revisionHash: 'old' }), readyPod('agent', 'c', { revisionHash: 'old' }), readyPod('agent', 'd', { revisionHash: 'old' }),
    ];
    const status = { desiredNumberScheduled: 4, currentNumberScheduled: 4, numberMisscheduled: 0, numberReady: 3, updatedNumberScheduled: 1, numberAvailable: 3, numberUnavailable: 1, observedGeneration: 2 };
    const r = run(twin(nodes, [twinDs('agent', { generation: 2, revisions, pods, status })]));
    expect(ids(r)).toEqual(['rollout-stuck:error', 'coverage-gap:error']);
    const stuck = r.daemonSets[0]!.findings[0]!;
    expect(stuck.evidence).toEqual([
      'status.updatedNumberScheduled 1 < desiredNumberScheduled 4',
      '1 unavailable of 4 (maxUnavailable 1): the budget is spent, the controller takes no further node',
      'a: pod agent-a2 ImagePullBackOff (revision 2)',
      'kubectl rollout status: Waiting for daemon set "agent" rollout to finish: 1 out of 4 new pods have been updated...',
    ]);
    expect(stuck.nodes).toEqual(['a']);
  });

  it('observedGeneration behind and misscheduled pods; no status at all says nothing', () => {
    const status = { desiredNumberScheduled: 4, currentNumberScheduled: 4, numberMisscheduled: 1, numberReady: 4, updatedNumberScheduled: 4, numberAvailable: 4, observedGeneration: 1 };
    const r = run(twin(nodes, [coveredEverywhere(twinDs('agent', { generation: 2, status }), nodes)]));
    expect(r.daemonSets[0]!.findings[0]!.evidence.slice(0, 2)).toEqual([
      'status.observedGeneration 1 < metadata.generation 2: the controller has not acted on the spec',
      'status.numberMisscheduled 1: pods on nodes that should not run them',
    ]);
    expect(ids(run(twin(nodes, [coveredEverywhere(twinDs('agent', { generation: 2 }), nodes)])))).toEqual([]);
  });

  it('no eligible node', () => {
    const r = run(twin(nodes, [twinDs('agent', { pod: { nodeSelector: { pool: 'none' } } })]));
    expect(ids(r)).toEqual(['no-eligible-node:warning']);
  });
});

describe('checkTwin: options', () => {
  it('--daemonset picks one, and names the choices when it is not there', () => {
    const t = twin(nodes, [twinDs('a1'), twinDs('a2')]);
    expect(run(t, { daemonSet: 'ops/a2' }).daemonSets.map((d) => d.daemonSet)).toEqual(['ops/a2']);
    expect(() => run(t, { daemonSet: 'ops/zz' })).toThrow('--daemonset: ops/zz is not in the twin (DaemonSets: ops/a1, ops/a2)');
  });

  it('removed APIs in manifests against the twin\'s version and the target', () => {
    const manifests = [
      { file: 'm/old.yaml', apiVersion: 'extensions/v1beta1', kind: 'DaemonSet', name: 'x' },
      { file: 'm/flow.yaml', apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', kind: 'FlowSchema', name: 'f' },
      { file: 'm/ok.yaml', apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'y' },
    ];
    const old = twin(nodes, [], { serverVersion: 'v1.30.2' });
    expect(run(old, { manifests }).manifestFindings.map((f) => f.subject)).toEqual(['m/old.yaml']);
    const target = run(old, { manifests, targetVersion: '1.32.0' }).manifestFindings;
    expect(target.map((f) => f.message)).toEqual([
      'DaemonSet x uses extensions/v1beta1, not served since v1.16 (the cluster\'s v1.30.2 refuses it)',
      'FlowSchema f uses flowcontrol.apiserver.k8s.io/v1beta3, not served since v1.32 (the target v1.32.0 refuses it)',
    ]);
  });
});
