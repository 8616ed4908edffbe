// What gc does with one journalled change, given what the cluster holds now. Pure: the change and
// the current object in, a decision and the line that reports it out.
//
// The rule: rollcall reverts a change only while the field still holds what rollcall set. A field
// already back at its old value (or an object already gone) counts as done; a field someone else
// changed since is reported with both values and left alone, never overwritten.
import type { KubernetesObject, V1Node, V1Taint } from '@kubernetes/client-node';
import { CREATED_BY_ANNOTATION, type JournalChange } from './journal-model.js';

export interface RevertDecision {
  /**
   * `revert`: apply `patch` to the node, or delete the namespace or object. `done`: nothing left
   * to do. `conflict`: changed by someone else since; reported, left as is. `manual`: gc cannot
   * know how to revert it.
   */
  action: 'revert' | 'done' | 'conflict' | 'manual';
  /** A JSON merge patch for the node (`revert` of a node change). */
  patch?: { metadata?: { labels: Record<string, string | null> }; spec?: Record<string, unknown> };
  /** One line saying what was (or will be) done, or found. */
  line: string;
}

type NodeChange = Extract<JournalChange, { node: string }>;

/** The decision for a node change; `node` is undefined when the node is gone. */
export function decideNodeRevert(change: NodeChange, node: V1Node | undefined): RevertDecision {
  const who = `node ${change.node}`;
  if (!node) return { action: 'done', line: `${who}: gone, nothing to restore` };
  switch (change.type) {
    case 'node-taint': return decideTaint(change, node);
    case 'node-labels': return decideLabels(change, node);
    case 'node-unschedulable': {
      const now = !!node.spec?.unschedulable;
      const state = (u: boolean) => (u ? 'cordoned' : 'schedulable');
      if (now === change.before) return { action: 'done', line: `${who}: already ${state(now)} again, as before` };
      // A boolean has no third value: if it is not back, it is still what rollcall set.
      return { action: 'revert', patch: { spec: { unschedulable: change.before ? true : null } }, line: `${who}: ${change.before ? 'cordoned again' : 'uncordoned'} (rollcall had ${change.set ? 'cordoned' : 'uncordoned'} it)` };
    }
  }
}

function decideTaint(change: Extract<JournalChange, { type: 'node-taint' }>, node: V1Node): RevertDecision {
  const matches = (t: V1Taint) => t.key === change.key && (!change.effect || t.effect === change.effect);
  const all = node.spec?.taints ?? [];
  const now = all.filter(matches);
  const what = `node ${change.node}: taint ${change.key}${change.effect ? `:${change.effect}` : ''}`;
  if (sameTaints(now, change.before)) return { action: 'done', line: `${what} already as before (${showTaints(change.before)})` };
  if (!sameTaints(now, change.set)) {
    return { action: 'conflict', line: `${what} left as is: now ${showTaints(now)}, not what rollcall set (${showTaints(change.set)}); before rollcall it was ${showTaints(change.before)}` };
  }
  const taints = [...all.filter((t) => !matches(t)), ...change.before];
  return { action: 'revert', patch: { spec: { taints: taints.length ? taints : null } }, line: `${what} back to ${showTaints(change.before)} (rollcall had set ${showTaints(change.set)})` };
}

function decideLabels(change: Extract<JournalChange, { type: 'node-labels' }>, node: V1Node): RevertDecision {
  const who = `node ${change.node}`;
  const now = (k: string) => node.metadata?.labels?.[k] ?? null;
  const keys = Object.keys(change.set);
  const restore = keys.filter((k) => now(k) === change.set[k] && now(k) !== (change.before[k] ?? null));
  const changed = keys.filter((k) => now(k) !== change.set[k] && now(k) !== (change.before[k] ?? null));
  const left = changed.map((k) => `label ${k} left as is: now ${show(now(k))}, not what rollcall set (${show(change.set[k]!)}); before rollcall it was ${show(change.before[k] ?? null)}`);
  if (!restore.length) {
    if (left.length) return { action: 'conflict', line: `${who}: ${left.join('; ')}` };
    return { action: 'done', line: `${who}: labels ${keys.join(', ')} already as before` };
  }
  const labels = Object.fromEntries(restore.map((k) => [k, change.before[k] ?? null]));
  const back = restore.map((k) => `${k} back to ${show(change.before[k] ?? null)} (rollcall had set ${show(change.set[k]!)})`);
  return { action: 'revert', patch: { metadata: { labels } }, line: `${who}: label ${[...back, ...left].join('; ')}` };
}

/**
 * The decision for a namespace or cluster-scoped object rollcall created; `current` is undefined
 * when it is gone. Only an object that carries this journal's annotation is rollcall's to delete
 * (a create the kill cut short may have been refused because the object was there before).
 */
export function decideCreatedRevert(change: Extract<JournalChange, { type: 'namespace' | 'object' }>, current: KubernetesObject | undefined, journalId: string): RevertDecision {
  const what = change.type === 'namespace' ? `namespace ${change.name}` : `${change.kind} ${change.name}`;
  if (!current) return { action: 'done', line: `${what}: already gone` };
  if (current.metadata?.annotations?.[CREATED_BY_ANNOTATION] !== journalId) {
    return { action: 'conflict', line: `${what} left as is: it does not carry ${CREATED_BY_ANNOTATION}=${journalId}, so rollcall did not create it` };
  }
  if (current.metadata?.deletionTimestamp) return { action: 'done', line: `${what}: already being deleted` };
  return { action: 'revert', line: `${what}: deleted (rollcall had created it)` };
}

/** Taints are the same set (by key, value and effect; the API server's timeAdded does not count). */
export function sameTaints(a: V1Taint[], b: V1Taint[]): boolean {
  const norm = (ts: V1Taint[]) => ts.map(showTaint).sort().join(',');
  return norm(a) === norm(b);
}

function showTaint(t: V1Taint): string {
  return `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`;
}

function showTaints(ts: V1Taint[]): string {
  return ts.length ? ts.map(showTaint).join(', ') : 'none';
}

function show(v: string | null): string {
  return v === null ? 'absent' : JSON.stringify(v);
}
