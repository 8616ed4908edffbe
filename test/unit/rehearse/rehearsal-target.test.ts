import { describe, expect, it } from 'vitest';
import { checkTwin } from '../../../src/check/check-twin.js';
import { scaleDownTwin } from '../../../src/rehearse/node-pools.js';
import { churnTriggers, nodeSpecOf, rehearsalTargets } from '../../../src/rehearse/rehearsal-target.js';
import { nextImage } from '../../../src/rehearse/battery/battery-step.js';
import { BATTERY } from '../../../src/rehearse/battery/rehearsal-scenario.js';
import { goodContainer, twin, twinDs, twinNode } from '../check/fixtures.js';

const GPU = { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' };
const nodes = [twinNode('gen-1', { labels: { pool: 'general' } }), twinNode('gpu-1', { labels: { pool: 'gpu' }, taints: [GPU] }),
  twinNode('small-1', { labels: { pool: 'small' }, allocatable: { cpu: '1', memory: '2Gi' } })];
const cluster = twin(nodes, [
  twinDs('plain', { pod: { serviceAccountName: 'plain-sa', priorityClassName: 'agents' } }),
  twinDs('heavy', { containers: [goodContainer({ resources: { requests: { cpu: '2', memory: '1Gi' }, limits: { memory: '1Gi' } } })], pod: { tolerations: [{ operator: 'Exists' }] } }),
  twinDs('timed', { pod: { tolerations: [{ key: 'maint', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }, { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }] } }),
  twinDs('legacy', { spec: { updateStrategy: { type: 'OnDelete' } } }),
], {
  namespaces: [{ name: 'ops', nodeSelector: 'pool=general' }],
  priorityClasses: [{ name: 'agents', value: 1000 }, { name: 'system-node-critical', value: 2000001000 }],
  podDisruptionBudgets: [{ namespace: 'ops', name: 'plain', selector: { matchLabels: { app: 'plain' } }, maxUnavailable: 1 }, { namespace: 'other', name: 'x', selector: {} }],
});
const scaled = scaleDownTwin(cluster, 5);
const targets = rehearsalTargets(scaled.twin, scaled.pools, checkTwin(scaled.twin, { source: 'unit' }).daemonSets);
const target = (id: string) => targets.find((t) => t.id === `ops/${id}`)!;

describe('rehearsalTargets', () => {
  it("predicts per node what check says: runs, no pod (with the oracle's reason), cannot start", () => {
    expect(target('plain').prediction).toEqual([
      { node: 'gen-1', expect: 'runs', why: 'eligible' },
      { node: 'gpu-1', expect: 'no pod', why: 'taint nvidia.com/gpu=present:NoSchedule not tolerated' },
      { node: 'small-1', expect: 'runs', why: 'eligible' },
    ]);
    expect(target('heavy').prediction.find((p) => p.node === 'small-1')).toEqual({ node: 'small-1', expect: 'pending', why: 'cpu requests 2 > allocatable 1' });
  });

  it('applies the DaemonSet without namespace or status, with its ServiceAccount, PriorityClass and PDBs', () => {
    const t = target('plain');
    expect(t.daemonSet.metadata).toEqual({ name: 'plain' });
    expect(t.companions.map((o) => `${o.kind}/${o.metadata!.name}`)).toEqual(['ServiceAccount/plain-sa', 'PriorityClass/agents', 'PodDisruptionBudget/plain']);
    expect(t.namespaceNodeSelector).toBe('pool=general');
    expect(target('heavy').companions).toEqual([]); // system-node-critical exists everywhere
    expect(t.nodes.find((n) => n.name === 'small-1')).toEqual({ name: 'small-1', labels: { pool: 'small' }, taints: [], capacity: { cpu: '8', memory: '32Gi' }, allocatable: { cpu: '1', memory: '2Gi' } });
  });

  it("churn triggers: the user's NoExecute tolerationSeconds, not the not-ready one the controller replaces", () => {
    expect(target('timed').churn).toEqual([{ toleration: { key: 'maint', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }, taint: { key: 'maint', effect: 'NoExecute' }, seconds: 60 }]);
    expect(churnTriggers(target('plain').daemonSet)).toEqual([]);
  });

  it('skips the steps that do not apply, with the reason', () => {
    const skipped = (id: string) => Object.fromEntries(BATTERY.map((s) => [s.id, s.skipReason(target(id))]).filter(([, r]) => r));
    expect(skipped('legacy')).toEqual({
      'rolling-update': 'updateStrategy OnDelete: the controller does not roll pods itself (see the OnDelete step)',
      'bad-image': 'updateStrategy OnDelete: a bad image reaches no node until its pod is deleted (see the OnDelete step)',
      churn: 'no NoExecute toleration with tolerationSeconds',
    });
    expect(Object.keys(skipped('timed'))).toEqual(['on-delete']);
  });

  it('replacement nodes and new image tags', () => {
    expect(nodeSpecOf({ name: 'a', labels: { 'kubernetes.io/hostname': 'a', pool: 'p' }, taints: [GPU] }, 'a-next')).toEqual({ name: 'a-next', labels: { pool: 'p' }, taints: [GPU] });
    expect(nextImage('registry:5000/agent:1.2')).toBe('registry:5000/agent:1.2-rehearsal');
    expect(nextImage('registry:5000/agent')).toBe('registry:5000/agent:rehearsal');
    expect(nextImage('agent@sha256:abc')).toBe('agent:rehearsal');
  });
});
