import { describe, expect, it } from 'vitest';
import type { V1NodeSelectorRequirement, V1NodeSelectorTerm, V1Taint, V1Toleration } from '@kubernetes/client-node';
import { effectiveTolerations, nodeShouldRunDaemonPod, toleratesTaint } from '../../../src/expect/index.js';
import { daemonSet, node } from './fixtures.js';

const run = (n = node('w'), ds = daemonSet()) => nodeShouldRunDaemonPod(n, ds);
const affinity = (...nodeSelectorTerms: V1NodeSelectorTerm[]) => daemonSet({
  affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms } } },
});
const expr = (key: string, operator: string, values?: string[]): V1NodeSelectorTerm => ({ matchExpressions: [{ key, operator, values }] });

describe('nodeShouldRunDaemonPod: taints', () => {
  it('runs on a plain node', () => {
    expect(run()).toEqual({ shouldRun: true, shouldContinueRunning: true, reasons: [] });
  });

  it('still runs on a cordoned node: the controller tolerates unschedulable:NoSchedule', () => {
    expect(run(node('w', { unschedulable: true }))).toEqual({ shouldRun: true, shouldContinueRunning: true, reasons: [] });
  });

  it('an untolerated NoSchedule taint keeps an existing pod but creates none (misscheduled)', () => {
    const r = run(node('w', { taints: [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }] }));
    expect(r).toEqual({ shouldRun: false, shouldContinueRunning: true, reasons: ['taint dedicated=infra:NoSchedule not tolerated'] });
  });

  it('an untolerated NoExecute taint evicts', () => {
    const r = run(node('w', { taints: [{ key: 'dedicated', value: 'infra', effect: 'NoExecute' }] }));
    expect(r).toEqual({ shouldRun: false, shouldContinueRunning: false, reasons: ['taint dedicated=infra:NoExecute not tolerated'] });
  });

  it('NoExecute wins over NoSchedule when both are untolerated, and every taint is a reason', () => {
    const r = run(node('w', { taints: [{ key: 'a', effect: 'NoSchedule' }, { key: 'b', effect: 'NoExecute' }] }));
    expect(r).toEqual({ shouldRun: false, shouldContinueRunning: false, reasons: ['taint a:NoSchedule not tolerated', 'taint b:NoExecute not tolerated'] });
  });

  it('ignores PreferNoSchedule', () => {
    expect(run(node('w', { taints: [{ key: 'soft', effect: 'PreferNoSchedule' }] })).shouldRun).toBe(true);
  });

  it('tolerates not-ready:NoExecute but NOT not-ready:NoSchedule, so a NotReady node is misscheduled', () => {
    expect(run(node('w', { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }] })).shouldRun).toBe(true);
    expect(run(node('w', { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }] })).shouldRun).toBe(true);
    expect(run(node('w', { ready: false }))).toEqual({
      shouldRun: false, shouldContinueRunning: true, reasons: ['taint node.kubernetes.io/not-ready:NoSchedule not tolerated'],
    });
  });

  it('tolerates the pressure taints, and network-unavailable only with hostNetwork', () => {
    for (const key of ['disk-pressure', 'memory-pressure', 'pid-pressure']) {
      expect(run(node('w', { taints: [{ key: `node.kubernetes.io/${key}`, effect: 'NoSchedule' }] })).shouldRun).toBe(true);
    }
    const net = node('w', { taints: [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }] });
    expect(run(net).shouldRun).toBe(false);
    expect(run(net, daemonSet({ hostNetwork: true })).shouldRun).toBe(true);
  });

  it('honours the template tolerations', () => {
    const n = node('w', { taints: [{ key: 'dedicated', value: 'infra', effect: 'NoExecute' }] });
    expect(run(n, daemonSet({ tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'infra', effect: 'NoExecute' }] })).shouldRun).toBe(true);
    expect(run(n, daemonSet({ tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoExecute' }] })).shouldRun).toBe(false);
  });

  it('a template spec.nodeName pins the daemon to that node', () => {
    const ds = daemonSet(); ds.spec!.template.spec!.nodeName = 'w2';
    expect(run(node('w1'), ds)).toMatchObject({ shouldRun: false, shouldContinueRunning: false });
    expect(run(node('w2'), ds).shouldRun).toBe(true);
  });
});

describe('effectiveTolerations', () => {
  it('adds the six controller tolerations, plus network-unavailable for hostNetwork', () => {
    const keys = (ts: V1Toleration[]) => ts.map((t) => `${t.key}:${t.effect}:${t.operator}`);
    expect(keys(effectiveTolerations(daemonSet()))).toEqual([
      'node.kubernetes.io/not-ready:NoExecute:Exists', 'node.kubernetes.io/unreachable:NoExecute:Exists',
      'node.kubernetes.io/disk-pressure:NoSchedule:Exists', 'node.kubernetes.io/memory-pressure:NoSchedule:Exists',
      'node.kubernetes.io/pid-pressure:NoSchedule:Exists', 'node.kubernetes.io/unschedulable:NoSchedule:Exists',
    ]);
    expect(keys(effectiveTolerations(daemonSet({ hostNetwork: true })))).toContain('node.kubernetes.io/network-unavailable:NoSchedule:Exists');
  });

  it('keeps template tolerations first and replaces an identical one, dropping its tolerationSeconds', () => {
    const mine: V1Toleration = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 };
    const ts = effectiveTolerations(daemonSet({ tolerations: [{ key: 'x', operator: 'Exists' }, mine] }));
    expect(ts).toHaveLength(7);
    expect(ts[0]).toEqual({ key: 'x', operator: 'Exists' });
    expect(ts[1]).toEqual({ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' });
  });
});

describe('toleratesTaint', () => {
  const taint: V1Taint = { key: 'k', value: 'v', effect: 'NoSchedule' };
  const cases: [string, V1Toleration, boolean][] = [
    ['empty key + Exists tolerates everything', { operator: 'Exists' }, true],
    ['empty effect matches every effect', { key: 'k', operator: 'Exists' }, true],
    ['other effect does not match', { key: 'k', operator: 'Exists', effect: 'NoExecute' }, false],
    ['Equal compares values', { key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule' }, true],
    ['Equal with another value fails', { key: 'k', operator: 'Equal', value: 'w' }, false],
    ['empty operator means Equal', { key: 'k', value: 'v' }, true],
    ['empty operator with no value fails against a valued taint', { key: 'k' }, false],
    ['other key fails', { key: 'j', operator: 'Exists' }, false],
    ['unknown operator fails', { key: 'k', operator: 'Like', value: 'v' }, false],
  ];
  it.each(cases)('%s', (_, tol, want) => expect(toleratesTaint(tol, taint)).toBe(want));

  it('Gt/Lt only with the TaintTolerationComparisonOperators gate, numerically', () => {
    const t: V1Taint = { key: 'gpu-mem', value: '16', effect: 'NoSchedule' };
    expect(toleratesTaint({ key: 'gpu-mem', operator: 'Gt', value: '8' }, t)).toBe(false);
    const on = { tolerationComparisonOperators: true };
    expect(toleratesTaint({ key: 'gpu-mem', operator: 'Gt', value: '8' }, t, on)).toBe(true);
    expect(toleratesTaint({ key: 'gpu-mem', operator: 'Gt', value: '16' }, t, on)).toBe(false);
    expect(toleratesTaint({ key: 'gpu-mem', operator: 'Lt', value: '32' }, t, on)).toBe(true);
    expect(toleratesTaint({ key: 'gpu-mem', operator: 'Lt', value: '016' }, t, on)).toBe(false);
  });

  it('an empty-key Exists toleration makes any NoExecute taint tolerated', () => {
    const n = node('w', { taints: [{ key: 'anything', value: 'x', effect: 'NoExecute' }] });
    expect(run(n, daemonSet({ tolerations: [{ operator: 'Exists' }] })).shouldRun).toBe(true);
  });
});

describe('nodeShouldRunDaemonPod: nodeSelector and node affinity', () => {
  it('nodeSelector must match every label', () => {
    const ds = daemonSet({ nodeSelector: { disktype: 'ssd', zone: 'a' } });
    expect(run(node('w', { labels: { disktype: 'ssd', zone: 'a' } }), ds).shouldRun).toBe(true);
    expect(run(node('w', { labels: { disktype: 'hdd', zone: 'a' } }), ds)).toEqual({
      shouldRun: false, shouldContinueRunning: false, reasons: ['nodeSelector disktype=ssd does not match'],
    });
  });

  const ops: [string, V1NodeSelectorTerm, Record<string, string>, boolean][] = [
    ['In matches a listed value', expr('zone', 'In', ['a', 'b']), { zone: 'b' }, true],
    ['In fails on another value', expr('zone', 'In', ['a', 'b']), { zone: 'c' }, false],
    ['In fails when the label is missing', expr('zone', 'In', ['a']), {}, false],
    ['NotIn matches another value', expr('zone', 'NotIn', ['a']), { zone: 'b' }, true],
    ['NotIn matches a missing label', expr('zone', 'NotIn', ['a']), {}, true],
    ['NotIn fails on a listed value', expr('zone', 'NotIn', ['a']), { zone: 'a' }, false],
    ['Exists', expr('gpu', 'Exists'), { gpu: '' }, true],
    ['Exists fails', expr('gpu', 'Exists'), {}, false],
    ['DoesNotExist', expr('gpu', 'DoesNotExist'), {}, true],
    ['DoesNotExist fails', expr('gpu', 'DoesNotExist'), { gpu: 'x' }, false],
    ['Gt compares integers', expr('cores', 'Gt', ['8']), { cores: '16' }, true],
    ['Gt is strict', expr('cores', 'Gt', ['8']), { cores: '8' }, false],
    ['Gt is numeric, not lexical', expr('cores', 'Gt', ['8']), { cores: '10' }, true],
    ['Gt fails on a non-integer label', expr('cores', 'Gt', ['8']), { cores: 'many' }, false],
    ['Lt compares integers', expr('cores', 'Lt', ['8']), { cores: '4' }, true],
    ['Lt fails', expr('cores', 'Lt', ['8']), { cores: '9' }, false],
    ['Gt with two values is invalid', expr('cores', 'Gt', ['1', '2']), { cores: '16' }, false],
    ['In without values is invalid', expr('zone', 'In', []), { zone: 'a' }, false],
    ['Exists with values is invalid', expr('gpu', 'Exists', ['x']), { gpu: 'x' }, false],
    ['matchFields metadata.name In', { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['w'] }] }, {}, true],
    ['matchFields metadata.name In other', { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['x'] }] }, {}, false],
    ['matchFields metadata.name NotIn', { matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['w'] }] }, {}, false],
    ['matchFields with two values is invalid', { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['w', 'x'] }] }, {}, false],
    ['an empty term matches nothing', {}, {}, false],
  ];
  it.each(ops)('%s', (_, term, labels, want) => {
    const r = run(node('w', { labels }), affinity(term));
    expect(r.shouldRun).toBe(want);
    expect(r.shouldContinueRunning).toBe(want);
    if (!want) expect(r.reasons[0]).toMatch(/^required node affinity does not match \(term 1: /);
  });

  it('ANDs the requirements of one term, including matchFields', () => {
    const reqs: V1NodeSelectorRequirement[] = [{ key: 'zone', operator: 'In', values: ['a'] }, { key: 'gpu', operator: 'Exists' }];
    const term: V1NodeSelectorTerm = { matchExpressions: reqs, matchFields: [{ key: 'metadata.name', operator: 'In', values: ['w'] }] };
    expect(run(node('w', { labels: { zone: 'a', gpu: '1' } }), affinity(term)).shouldRun).toBe(true);
    expect(run(node('w', { labels: { zone: 'a' } }), affinity(term)).reasons).toEqual(['required node affinity does not match (term 1: gpu Exists does not match)']);
    expect(run(node('v', { labels: { zone: 'a', gpu: '1' } }), affinity(term)).shouldRun).toBe(false);
  });

  it('ignores matchFields for a node without a name, as nodeaffinity does', () => {
    const nameless = node('w'); delete nameless.metadata!.name;
    expect(run(nameless, affinity({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['x'] }] })).shouldRun).toBe(true);
  });

  it('ORs the terms', () => {
    const ds = affinity(expr('zone', 'In', ['a']), expr('zone', 'In', ['b']));
    expect(run(node('w', { labels: { zone: 'b' } }), ds).shouldRun).toBe(true);
    expect(run(node('w', { labels: { zone: 'c' } }), ds).shouldRun).toBe(false);
  });

  it('an invalid term does not stop a valid one from matching', () => {
    const ds = affinity(expr('cores', 'Gt', ['lots']), expr('zone', 'In', ['a']));
    expect(run(node('w', { labels: { zone: 'a' } }), ds).shouldRun).toBe(true);
  });

  it('nodeSelector and affinity are both required, and affinity failure beats taints (false,false)', () => {
    const ds = daemonSet({
      nodeSelector: { disktype: 'ssd' },
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [expr('zone', 'In', ['a'])] } } },
    });
    expect(run(node('w', { labels: { disktype: 'ssd', zone: 'a' } }), ds).shouldRun).toBe(true);
    expect(run(node('w', { labels: { disktype: 'ssd', zone: 'b' } }), ds).shouldRun).toBe(false);
    const tainted = node('w', { labels: { zone: 'b' }, taints: [{ key: 'x', effect: 'NoSchedule' }] });
    expect(run(tainted, ds)).toMatchObject({ shouldRun: false, shouldContinueRunning: false });
  });

  it('ignores preferred node affinity', () => {
    const ds = daemonSet({ affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: expr('zone', 'In', ['a']) }] } } });
    expect(run(node('w'), ds).shouldRun).toBe(true);
  });
});
