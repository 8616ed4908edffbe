import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readFileSync, writeFileSync } from 'node:fs';
import { readRecording } from '../../../src/recording/read-recording.js';
import { applyStrategicMerge } from '../../../src/recording/strategic-merge.js';
import { reportRecording } from '../../../src/recording/report-recording.js';
import { inferCauses } from '../../../src/replay/infer-causes.js';
import { planReplay } from '../../../src/replay/replay-plan.js';
import { tempDir } from '../../support/temp-dir.js';
import type { RunReport } from '../../../src/report/report-model.js';

const KWOK = fileURLToPath(new URL('../../fixtures/recordings/kwok-record.yaml', import.meta.url));

describe('applyStrategicMerge', () => {
  it('merges maps, deletes nulls, merges conditions by type and honours $patch and $deleteFromPrimitiveList', () => {
    const pod = { metadata: { labels: { a: '1', b: '2' }, finalizers: ['x', 'y'] }, status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'Initialized', status: 'True' }] } };
    const out = applyStrategicMerge(pod, {
      metadata: { labels: { a: null, c: '3' }, '$deleteFromPrimitiveList/finalizers': ['x'] },
      status: { '$setElementOrder/conditions': [{ type: 'Ready' }], conditions: [{ type: 'Ready', status: 'False' }, { type: 'Initialized', $patch: 'delete' }] },
    });
    expect(out).toEqual({ metadata: { labels: { b: '2', c: '3' }, finalizers: ['y'] }, status: { conditions: [{ type: 'Ready', status: 'False' }] } });
    expect(applyStrategicMerge({ spec: { taints: [{ key: 'a' }] } }, { spec: { taints: [{ key: 'b' }] } })).toEqual({ spec: { taints: [{ key: 'b' }] } });
    expect(applyStrategicMerge({ a: { b: 1, c: 2 } }, { a: { $patch: 'replace', d: 3 } })).toEqual({ a: { d: 3 } });
  });
});

describe('a KWOK snapshot record file', () => {
  it('reads objects and ResourcePatches into changes, skipping other kinds and env values', () => {
    const rec = readRecording(KWOK);
    expect(rec.format).toBe('kwok');
    expect(rec.twin.nodes.map((n) => n.name)).toEqual(['node-a', 'node-b']);
    expect(rec.twin.daemonSets[0]!.spec.template.spec!.containers[0]!.env).toEqual([{ name: 'TOKEN', value: '' }]);
    expect(rec.warnings).toEqual([`${KWOK}: kinds replay does not read were skipped: ConfigMap`]);
    const causes = inferCauses(rec, 'mon/agent');
    expect(causes.map((c) => [c.kind, c.t])).toEqual([['node.taint', 2000], ['node.untaint', 6000]]);
    const plan = planReplay(rec, { speed: 1, tolerance: { ms: 5000, ratio: 0.1 } });
    expect(plan.outcomes.gaps).toEqual([{ node: 'node-b', from: 2050, to: 6900, lostPod: 'agent-b', regainedPod: 'agent-c' }]);
  });

  it('reads it gzipped, and names the document and field of a bad patch', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'r.yaml.gz'), gzipSync(readFileSync(KWOK)));
    expect(readRecording(join(dir, 'r.yaml.gz')).changes.length).toBe(readRecording(KWOK).changes.length);
    writeFileSync(join(dir, 'bad.yaml'), `${readFileSync(KWOK, 'utf8')}---\napiVersion: action.kwok.x-k8s.io/v1alpha1\nkind: ResourcePatch\nmethod: replace\ndurationNanosecond: 7000000000\nresource: {resource: pods}\ntarget: {name: x}\n`);
    expect(() => readRecording(join(dir, 'bad.yaml'))).toThrow(/bad\.yaml: document 13: method: "replace" is not one of create, patch, delete/);
  });
});

describe('a rollcall report.json', () => {
  const ds = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent' }, spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'main', image: 'agent:1' }] } } } };
  const pod = (atMs: number, name: string, node: string, ready: boolean, extra = {}) => ({ atMs, kind: 'Pod', type: 'MODIFIED', name, summary: { node, phase: 'Running', ready, hash: 'h1', terminating: false, daemonSet: 'agent', ...extra } });
  const report = {
    scenarios: [{
      name: 'rehearsal', namespace: 'ns1', startedAt: '2025-06-01T12:00:00.000Z',
      steps: [{ name: 's', verdict: 'passed', startMs: 0, endMs: 9000 }],
      actions: [{ atMs: 3000, kind: 'node.label', description: 'label w2 pool=edge' }, { atMs: 9500, kind: 'node.untaint', description: 'untaint w1 k:NoExecute' }],
      events: [],
      finalNodes: [{ node: 'w1', ready: 'True', taints: [], unschedulable: false, pods: [], labels: { team: 'a' } }],
      timeline: [
        { atMs: 10, kind: 'Node', type: 'ADDED', name: 'w1', summary: { ready: 'True', taints: [], unschedulable: false } },
        { atMs: 10, kind: 'Node', type: 'ADDED', name: 'w2', summary: { ready: 'True', taints: [], unschedulable: false } },
        { atMs: 100, kind: 'DaemonSet', type: 'ADDED', name: 'agent', summary: { generation: 1 } },
        pod(200, 'agent-1', 'w1', true), pod(200, 'agent-2', 'w2', true),
        { atMs: 4000, kind: 'Node', type: 'MODIFIED', name: 'w1', summary: { ready: 'True', taints: ['k:NoExecute'], unschedulable: false } },
        pod(4010, 'agent-1', 'w1', true, { terminating: true }),
        { atMs: 4020, kind: 'Pod', type: 'DELETED', name: 'agent-1', summary: { node: 'w1', daemonSet: 'agent' } },
        // After the last step: the scenario's undo, not part of the rehearsal.
        { atMs: 9500, kind: 'Node', type: 'MODIFIED', name: 'w1', summary: { ready: 'True', taints: [], unschedulable: false } },
      ],
    }],
  };

  it('reads its timeline and actions, up to the end of its last step', () => {
    const rec = reportRecording(report, 'report.json', { daemonSet: ds });
    expect(rec.twin.nodes.map((n) => [n.name, n.labels])).toEqual([['w1', { team: 'a' }], ['w2', {}]]);
    expect(inferCauses(rec, 'ns1/agent').map((c) => `${c.kind} ${'node' in c ? c.node : ''}`)).toEqual(['node.label w2', 'node.taint w1']);
  });

  it('needs the DaemonSet manifest, and a scenario name when there are several', () => {
    expect(() => reportRecording(report, 'report.json', {})).toThrow('report.json: a report.json holds no DaemonSet spec: pass --manifest FILE');
    const two = { scenarios: [...report.scenarios, { ...report.scenarios[0], name: 'other' }] } as unknown as RunReport;
    expect(() => reportRecording(two, 'report.json', { daemonSet: ds })).toThrow('--scenario: the report has several scenarios; name one ("rehearsal", "other")');
  });
});
