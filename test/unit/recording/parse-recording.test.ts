import { describe, expect, it } from 'vitest';
import { ChangeEncoder } from '../../../src/recording/change-encoder.js';
import { parseRecording } from '../../../src/recording/parse-recording.js';
import { RecordingAnonymizer } from '../../../src/recording/recording-anonymizer.js';
import { UsageError } from '../../../src/util/errors.js';
import { DS, NS, STARTED_AT, node, spec, twin } from '../replay/fixtures.js';

const HEADER = { apiVersion: 'rollcall.dev/v1alpha1', kind: 'Recording', startedAt: STARTED_AT, source: { cluster: 'c' } };
const TWIN = { kind: 'Twin', twin: twin(['w1', 'w2']) };
const TAINT = { t: 1200, op: 'put', kind: 'Node', obj: node('w1', { taints: [{ key: 'k', effect: 'NoExecute' }] }) };
const text = (...lines: unknown[]) => `${lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n')}\n`;

function errorOf(t: string): string {
  try {
    parseRecording(t, 'incident.rec');
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('parsed without error');
}

describe('parseRecording', () => {
  it('reads the header, the twin and the changes, and knows a clean end', () => {
    const rec = parseRecording(text(HEADER, TWIN, TAINT, { t: 5000, op: 'end', reason: 'interrupted by SIGINT' }), 'incident.rec');
    expect(rec.twin.nodes.map((n) => n.name)).toEqual(['w1', 'w2']);
    expect(rec.changes).toEqual([TAINT]);
    expect(rec.end).toEqual({ t: 5000, op: 'end', reason: 'interrupted by SIGINT' });
    expect(rec.warnings).toEqual([]);
  });

  it('drops a cut last line with a warning, as a SIGKILLed recorder leaves it', () => {
    const rec = parseRecording(`${text(HEADER, TWIN, TAINT)}{"t":1300,"op":"put","kind":"No`, 'incident.rec');
    expect(rec.changes).toHaveLength(1);
    expect(rec.end).toBeUndefined();
    expect(rec.warnings).toEqual([
      'incident.rec: line 4: cut short (the recorder was stopped mid-write): dropped',
      'incident.rec: no end line: the recorder did not stop cleanly; replaying up to its last change (+1s)',
    ]);
  });

  it('reads a Node line as a twin node: fields it leaves out are filled in, as in a twin file', () => {
    const joined = { t: 1500, op: 'put', kind: 'Node', obj: { name: 'w3', conditions: { Ready: 'True' } } };
    const rec = parseRecording(text(HEADER, TWIN, joined), 'incident.rec');
    expect(rec.changes[0]).toEqual({ ...joined, obj: { name: 'w3', labels: {}, taints: [], unschedulable: false, capacity: {}, allocatable: {}, conditions: { Ready: 'True' } } });
  });

  it.each([
    ['a Node line with a taint of no effect', text(HEADER, TWIN, { t: 1300, op: 'put', kind: 'Node', obj: node('w1', { taints: [{ key: 'k' }] as never }) }), 'incident.rec: line 3: obj.taints[0].effect: required (a string)'],
    ['a cut line before the last', text(HEADER, TWIN, '{"t":1300,"op":"pu', TAINT), 'incident.rec: line 3: not valid JSON'],
    ['an unknown version', text({ ...HEADER, apiVersion: 'rollcall.dev/v2' }, TWIN), 'incident.rec: line 1: apiVersion: "rollcall.dev/v2" is not supported (this rollcall reads rollcall.dev/v1alpha1)'],
    ['a twin file given as a recording', text({ apiVersion: 'rollcall.dev/v1alpha1', kind: 'ClusterTwin' }), 'incident.rec: line 1: kind: "ClusterTwin" is not Recording'],
    ['a second line that is not the twin', text(HEADER, TAINT), 'incident.rec: line 2: kind: "Node" is not Twin'],
    ['a bad twin', text(HEADER, { kind: 'Twin', twin: { ...TWIN.twin, nodes: [{ ...node('w1'), taints: [{ key: 'k', effect: 'NoSchedul' }] }] } }), 'incident.rec: line 2: twin: nodes[0].taints[0].effect: "NoSchedul" is not one of'],
    ['an object kind replay does not know', text(HEADER, TWIN, { t: 1300, op: 'put', kind: 'Deployment', obj: {} }), 'incident.rec: line 3: kind: "Deployment" is not one of Node, Pod, DaemonSet, ControllerRevision, Event, PodDisruptionBudget'],
    ['an unknown op', text(HEADER, TWIN, { t: 1300, op: 'patch', kind: 'Node' }), 'incident.rec: line 3: op: "patch" is not one of put, del, gap, end'],
    ['a pod without its node', text(HEADER, TWIN, { t: 1300, op: 'put', kind: 'Pod', obj: { name: 'p', namespace: NS, daemonSet: DS, phase: 'Running' } }), 'incident.rec: line 3: obj.node: required (a string)'],
    ['a change after the end', text(HEADER, TWIN, { t: 2000, op: 'end', reason: 'x' }, TAINT), 'incident.rec: line 4: comes after the end line'],
  ])('refuses %s with one line naming the line and field', (_what, input, message) => {
    const msg = errorOf(input);
    expect(msg.startsWith(message)).toBe(true);
    expect(msg).not.toContain('\n');
  });
});

describe('ChangeEncoder', () => {
  it('writes nothing for an object whose recorded form did not change, whatever the key order', () => {
    const enc = new ChangeEncoder(twin(['w1']));
    const n = node('w1');
    const reordered = Object.fromEntries(Object.entries(n).reverse()) as typeof n;
    expect(enc.put(100, 'Node', reordered)).toBeUndefined();
    expect(enc.put(200, 'Node', { ...n, unschedulable: true })).toMatchObject({ t: 200, op: 'put', kind: 'Node' });
  });

  it('repeats a DaemonSet spec only when it changed', () => {
    const enc = new ChangeEncoder(twin(['w1']));
    const status = (n: number) => ({ namespace: NS, name: DS, generation: 1, spec: spec(), status: { currentNumberScheduled: n, desiredNumberScheduled: 1, numberMisscheduled: 0, numberReady: n } });
    expect(enc.put(100, 'DaemonSet', status(0))?.obj).not.toHaveProperty('spec');
    expect(enc.put(200, 'DaemonSet', { ...status(0), spec: spec('agent:2') })?.obj).toHaveProperty('spec');
    expect(enc.del(300, 'Pod', `${NS}/never-written`)).toBeUndefined();
  });

  it('anonymizes change lines consistently with the twin', () => {
    const anon = new RecordingAnonymizer('salt');
    const t = twin(['gpu-1', 'gpu-2']);
    t.nodes = t.nodes.map((n) => ({ ...n, labels: { ...n.labels, team: 'payments' } }));
    const anonTwin = anon.twin(t);
    const enc = new ChangeEncoder(anonTwin, anon);
    const line = enc.put(100, 'Node', { ...t.nodes[0]!, unschedulable: true });
    expect(line?.op === 'put' && line.obj).toEqual({ ...anonTwin.nodes[0], unschedulable: true });
    expect(JSON.stringify(line)).not.toMatch(/gpu-1|payments/);
    const added = enc.put(200, 'Node', node('gpu-9'));
    expect(added).toMatchObject({ op: 'put', obj: { name: 'added-001' } });
  });
});
