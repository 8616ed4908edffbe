// The change journal on plain data: reading it, what is left to revert and in which order, the
// revert rule (only what still holds rollcall's value), the writer's lines, and the undo registry on top.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { V1Node } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { parseJournal, pendingReverts } from '../../../src/journal/parse-journal.js';
import { decideCreatedRevert, decideNodeRevert } from '../../../src/journal/revert-decision.js';
import { JournalWriter } from '../../../src/journal/journal-writer.js';
import { leftoverHints } from '../../../src/journal/leftover-hints.js';
import { journalDir } from '../../../src/journal/journal-dir.js';
import { CREATED_BY_ANNOTATION, type JournalChange } from '../../../src/journal/journal-model.js';
import { JournaledUndo } from '../../../src/runner/journaled-undo.js';
import { CleanupStack } from '../../../src/runner/cleanup-stack.js';
import { withUndo } from '../../../src/chaos/chaos-runtime.js';
import { UsageError } from '../../../src/util/errors.js';
import { tempDir } from '../../support/temp-dir.js';

const HEADER = { op: 'begin', v: 1, context: 'prod-eu', server: 'https://10.0.0.1:6443', kubeconfig: '/home/u/.kube/config', pid: 4242, at: '2026-12-02T08:00:00.000Z', scenario: 'drill', file: 'scenarios/drill.ts' };
const at = (s: number) => `2026-12-02T08:00:${String(s).padStart(2, '0')}.000Z`;
const NS_CHANGE = { op: 'change', id: 1, at: at(1), what: 'delete namespace rc-drill-1', change: { type: 'namespace', name: 'rc-drill-1' } };
const DS_CREATED = { op: 'change', id: 2, at: at(2), what: 'created DaemonSet rc-drill-1/agent', change: { type: 'in-namespace', namespace: 'rc-drill-1', what: 'created DaemonSet rc-drill-1/agent' } };
const TAINT = { op: 'change', id: 3, at: at(3), what: 'untaint worker-1 drill:NoSchedule', change: { type: 'node-taint', node: 'worker-1', key: 'drill', effect: 'NoSchedule', before: [], set: [{ key: 'drill', value: 'on', effect: 'NoSchedule' }] } };
const CORDON = { op: 'change', id: 4, at: at(4), what: 'restore schedulability of worker-2', change: { type: 'node-unschedulable', node: 'worker-2', before: false, set: true } };
const PATCHED = { op: 'change', id: 5, at: at(5), what: 'patched DaemonSet agent: maxUnavailable', change: { type: 'in-namespace', namespace: 'rc-drill-1', what: 'patched DaemonSet agent: maxUnavailable' } };
const text = (...lines: unknown[]) => `${lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n')}\n`;

function errorOf(t: string): string {
  try {
    parseJournal(t, 'j.jsonl');
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('parsed without error');
}

function node(name: string, spec: V1Node['spec'] = {}, labels: Record<string, string> = {}): V1Node {
  return { metadata: { name, labels }, spec };
}

describe('parseJournal and pendingReverts', () => {
  it('lists what is not undone, latest first, a namespace with the changes made inside it', () => {
    const j = parseJournal(text(HEADER, NS_CHANGE, DS_CREATED, TAINT, CORDON, PATCHED, { op: 'undone', id: 4, at: at(9) }), 'j.jsonl');
    expect(j.header.context).toBe('prod-eu');
    const pending = pendingReverts(j);
    expect(pending.map((p) => p.entry.id)).toEqual([3, 1]);
    expect(pending[1]!.inside.map((e) => e.what)).toEqual(['patched DaemonSet agent: maxUnavailable', 'created DaemonSet rc-drill-1/agent']);
  });

  it('has nothing pending once every change is undone, withdrawn or left to someone else', () => {
    const j = parseJournal(text(HEADER, NS_CHANGE, DS_CREATED, TAINT, CORDON,
      { op: 'withdrawn', id: 3, at: at(6) }, { op: 'left', id: 4, at: at(7), why: 'changed since' }, { op: 'undone', id: 1, at: at(8) }), 'j.jsonl');
    expect(pendingReverts(j)).toEqual([]);
  });

  it('drops a last line the kill cut short (its change was never made), and says so', () => {
    const j = parseJournal(`${text(HEADER, NS_CHANGE)}{"op":"change","id":2,"at":"2026-12`, 'j.jsonl');
    expect(j.entries.map((e) => e.id)).toEqual([1]);
    expect(j.warnings).toEqual(['j.jsonl: line 3: cut short (the run was killed mid-write): dropped']);
  });

  it('names the file, line and field of a bad journal', () => {
    expect(errorOf(text(HEADER, NS_CHANGE, '{"op":"change",', TAINT))).toMatch(/^j\.jsonl: line 3: not valid JSON \(/);
    expect(errorOf(text(HEADER, { ...TAINT, change: { ...TAINT.change, node: 7 } }))).toBe('j.jsonl: line 2: change.node: expected a string, got number 7');
    expect(errorOf(text(HEADER, { ...CORDON, change: { type: 'node-power' } }))).toBe('j.jsonl: line 2: change.type: "node-power" is not one of node-taint, node-labels, node-unschedulable, namespace, object, in-namespace, other');
    expect(errorOf(text(HEADER, { op: 'undone', id: 9, at: at(1) }))).toBe('j.jsonl: line 2: id: no change 9 before this line');
    expect(errorOf(text({ ...HEADER, v: 2 }))).toBe('j.jsonl: line 1: v: journal version 2 is not supported (this rollcall reads 1)');
    expect(errorOf(text(NS_CHANGE))).toBe('j.jsonl: line 1: op: "change" is not "begin" (a journal starts with its header line)');
  });
});

describe('decideNodeRevert: only what still holds rollcall\'s value is reverted', () => {
  const taint = TAINT.change as Extract<JournalChange, { type: 'node-taint' }>;
  const controllerTaint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: new Date(0) };

  it('removes the taint rollcall added and keeps every other taint', () => {
    const d = decideNodeRevert(taint, node('worker-1', { taints: [controllerTaint, { key: 'drill', value: 'on', effect: 'NoSchedule' }] }));
    expect(d.action).toBe('revert');
    expect(d.patch).toEqual({ spec: { taints: [controllerTaint] } });
    expect(d.line).toBe('node worker-1: taint drill:NoSchedule back to none (rollcall had set drill=on:NoSchedule)');
  });

  it('puts back the taints an untaint removed', () => {
    const d = decideNodeRevert({ type: 'node-taint', node: 'w', key: 'gpu', before: [{ key: 'gpu', effect: 'NoSchedule' }, { key: 'gpu', effect: 'NoExecute' }], set: [] }, node('w', {}));
    expect(d.patch).toEqual({ spec: { taints: [{ key: 'gpu', effect: 'NoSchedule' }, { key: 'gpu', effect: 'NoExecute' }] } });
  });

  it('counts a taint already back, or a node gone, as done', () => {
    expect(decideNodeRevert(taint, node('worker-1', { taints: [controllerTaint] })).action).toBe('done');
    expect(decideNodeRevert(taint, undefined)).toEqual({ action: 'done', line: 'node worker-1: gone, nothing to restore' });
  });

  it('reports and leaves a taint someone changed after rollcall set it', () => {
    const d = decideNodeRevert(taint, node('worker-1', { taints: [{ key: 'drill', value: 'ops', effect: 'NoSchedule' }] }));
    expect(d).toEqual({ action: 'conflict', line: 'node worker-1: taint drill:NoSchedule left as is: now drill=ops:NoSchedule, not what rollcall set (drill=on:NoSchedule); before rollcall it was none' });
  });

  it('restores labels still at rollcall\'s value and leaves those changed since', () => {
    const change: JournalChange = { type: 'node-labels', node: 'w', before: { pool: 'a', drill: null, zone: 'z1' }, set: { pool: 'b', drill: 'yes', zone: 'z2' } };
    const d = decideNodeRevert(change, node('w', {}, { pool: 'b', drill: 'yes', zone: 'z9' }));
    expect(d.action).toBe('revert');
    expect(d.patch).toEqual({ metadata: { labels: { pool: 'a', drill: null } } });
    expect(d.line).toBe('node w: label pool back to "a" (rollcall had set "b"); drill back to absent (rollcall had set "yes"); label zone left as is: now "z9", not what rollcall set ("z2"); before rollcall it was "z1"');
    expect(decideNodeRevert(change, node('w', {}, { pool: 'a', zone: 'z1' })).action).toBe('done');
    expect(decideNodeRevert(change, node('w', {}, { pool: 'c', zone: 'z1' })).action).toBe('conflict');
  });

  it('uncordons a node rollcall cordoned, and never leaves it cordoned', () => {
    const cordon = CORDON.change as JournalChange & { type: 'node-unschedulable' };
    expect(decideNodeRevert(cordon, node('worker-2', { unschedulable: true }))).toEqual({ action: 'revert', patch: { spec: { unschedulable: null } }, line: 'node worker-2: uncordoned (rollcall had cordoned it)' });
    expect(decideNodeRevert(cordon, node('worker-2', {})).action).toBe('done');
    expect(decideNodeRevert({ ...cordon, before: true, set: false }, node('worker-2', {})).patch).toEqual({ spec: { unschedulable: true } });
  });
});

describe('decideCreatedRevert', () => {
  const ns: JournalChange & { type: 'namespace' } = { type: 'namespace', name: 'rc-drill-1' };
  const mine = { metadata: { name: 'rc-drill-1', annotations: { [CREATED_BY_ANNOTATION]: 'J1' } } };

  it('deletes only what carries this journal\'s annotation', () => {
    expect(decideCreatedRevert(ns, mine, 'J1').action).toBe('revert');
    expect(decideCreatedRevert(ns, mine, 'J2')).toEqual({ action: 'conflict', line: `namespace rc-drill-1 left as is: it does not carry ${CREATED_BY_ANNOTATION}=J2, so rollcall did not create it` });
    expect(decideCreatedRevert({ type: 'object', apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: 'agent' }, { metadata: { name: 'agent' } }, 'J1').action).toBe('conflict');
  });

  it('counts gone or terminating as done', () => {
    expect(decideCreatedRevert(ns, undefined, 'J1')).toEqual({ action: 'done', line: 'namespace rc-drill-1: already gone' });
    expect(decideCreatedRevert(ns, { metadata: { ...mine.metadata, deletionTimestamp: new Date() } }, 'J1').action).toBe('done');
  });
});

describe('JournalWriter and JournaledUndo', () => {
  const header = { v: 1, context: 'c', server: 's', kubeconfig: 'k', pid: process.pid, at: at(0), scenario: 'drill', file: 'f.ts' };

  it('journals each change before the action runs, its undo after it ran, and removes the journal when all are undone', async () => {
    const path = join(tempDir('rollcall-journal-'), 'j.jsonl');
    const writer = JournalWriter.create(path, header);
    const stack = new CleanupStack();
    const undo = new JournaledUndo(stack, writer);
    const change: JournalChange = { type: 'node-unschedulable', node: 'w', before: false, set: true };
    let seenDuring = '';
    await withUndo(undo, 'uncordon w', () => {}, async () => {
      seenDuring = readFileSync(path, 'utf8');
    }, change);
    expect(parseJournal(seenDuring, path).entries).toEqual([expect.objectContaining({ id: 1, what: 'uncordon w', change, state: 'pending' })]);
    await expect(withUndo(undo, 'refused', () => {}, async () => { throw new UsageError('bad'); })).rejects.toThrow('bad');
    expect(writer.pending().map((e) => e.what)).toEqual(['uncordon w']);
    await stack.runAll();
    const lines = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l).op);
    expect(lines).toEqual(['begin', 'change', 'change', 'withdrawn', 'undone']);
    expect(writer.close()).toEqual([]);
    expect(existsSync(path)).toBe(false);
  });

  it('keeps the journal when an undo failed', async () => {
    const path = join(tempDir('rollcall-journal-'), 'j.jsonl');
    const writer = JournalWriter.create(path, header);
    const stack = new CleanupStack();
    new JournaledUndo(stack, writer).push('restore labels of w', () => { throw new Error('admission webhook denied'); }, { type: 'node-labels', node: 'w', before: { a: null }, set: { a: '1' } });
    await stack.runAll();
    expect(writer.close().map((e) => e.what)).toEqual(['restore labels of w']);
    expect(pendingReverts(parseJournal(readFileSync(path, 'utf8'), path)).map((p) => p.entry.what)).toEqual(['restore labels of w']);
  });

  it('files journals by context and server', () => {
    expect(journalDir('/c/journals', 'kind-prod', 'https://a:6443')).not.toBe(journalDir('/c/journals', 'kind-prod', 'https://b:6443'));
    expect(journalDir('/c/journals', 'arn:aws:eks/x', 'https://a:6443')).toMatch(/^\/c\/journals\/arn_aws_eks_x-[0-9a-f]{12}$/);
  });
});

describe('leftoverHints', () => {
  it('names each context with changes left by a dead run, and how to revert them', () => {
    const dead = parseJournal(text(HEADER, NS_CHANGE, TAINT), 'a.jsonl');
    const live = parseJournal(text({ ...HEADER, pid: 7, context: 'staging' }, NS_CHANGE), 'b.jsonl');
    const done = parseJournal(text({ ...HEADER, context: 'dev' }, NS_CHANGE, { op: 'undone', id: 1, at: at(2) }), 'c.jsonl');
    expect(leftoverHints([dead, live, done], (pid) => pid === 7)).toEqual([
      'journals of killed runs on context prod-eu (https://10.0.0.1:6443) hold 2 change(s) not undone; revert them with: rollcall gc --context prod-eu --kubeconfig /home/u/.kube/config',
    ]);
  });
});
