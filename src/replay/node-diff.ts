// Node causes from two consecutive states of one node: joins and removals, labels, taints, cordon, Ready flips.
import type { V1Taint } from '@kubernetes/client-node';
import type { TwinNode } from '../twin/twin-model.js';
import type { NodeCause } from './cause-model.js';

/**
 * Labels that are not causes: the kubelet or the provider sets them (hostname, os, arch), or they
 * are how a provider fails a node (kwok's `rollcall.dev/failed`), whose Ready flip is the cause.
 */
const PROVIDER_LABELS = [/^kubernetes\.io\/(hostname|os|arch)$/, /^beta\.kubernetes\.io\//, /^rollcall\.dev\//, /^node\.kubernetes\.io\/exclude-/];

/** Taints the node lifecycle controller or the kubelet manage: effects of Ready flips and cordons, not causes. */
const CONTROLLER_TAINTS = /^node\.(kubernetes\.io|cloudprovider\.kubernetes\.io)\//;

/** Whether a label is one a user (or their tooling) set, and so one a replay must set too. */
export function isUserLabel(key: string): boolean {
  return !PROVIDER_LABELS.some((re) => re.test(key));
}

/** Whether a taint is one someone put there, rather than a controller reacting to the node's state. */
export function isUserTaint(t: V1Taint): boolean {
  return !CONTROLLER_TAINTS.test(t.key);
}

/** The user labels of a node. */
export function userLabels(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).filter(([k]) => isUserLabel(k)));
}

/**
 * What changed on a node between two states. `wasFailed` says whether a Ready flip away from True
 * was recorded before: only then does Ready=True count as a recovery (a joining node also becomes
 * Ready, which is not a cause). Returns the causes in the order a replay applies them.
 */
export function diffNode(before: TwinNode | undefined, after: TwinNode | undefined, t: number, wasFailed: boolean): NodeCause[] {
  if (!before && !after) return [];
  if (!before) {
    return [{ kind: 'node.add', t, node: after!.name, labels: userLabels(after!.labels), taints: after!.taints.filter(isUserTaint), evidence: 'a node joined' }];
  }
  if (!after) return [{ kind: 'node.remove', t, node: before.name, evidence: 'the Node object was deleted' }];
  const node = after.name;
  const out: NodeCause[] = [];
  const set: Record<string, string> = {};
  const removed: string[] = [];
  for (const [k, v] of Object.entries(after.labels)) if (isUserLabel(k) && before.labels[k] !== v) set[k] = v;
  for (const k of Object.keys(before.labels)) if (isUserLabel(k) && !(k in after.labels)) removed.push(k);
  if (Object.keys(set).length || removed.length) out.push({ kind: 'node.label', t, node, set, removed });
  const id = (x: V1Taint) => `${x.key}:${x.effect}`;
  const beforeTaints = new Map(before.taints.filter(isUserTaint).map((x) => [id(x), x]));
  const afterTaints = new Map(after.taints.filter(isUserTaint).map((x) => [id(x), x]));
  for (const [k, x] of afterTaints) if (beforeTaints.get(k)?.value !== x.value || !beforeTaints.has(k)) out.push({ kind: 'node.taint', t, node, taint: x });
  for (const [k, x] of beforeTaints) if (!afterTaints.has(k)) out.push({ kind: 'node.untaint', t, node, key: x.key, effect: x.effect });
  if (before.unschedulable !== after.unschedulable) out.push({ kind: after.unschedulable ? 'node.cordon' : 'node.uncordon', t, node });
  const was = before.conditions.Ready;
  const now = after.conditions.Ready;
  if (was === 'True' && now !== undefined && now !== 'True') {
    out.push({ kind: 'node.fail', t, node, status: now, evidence: `Ready went ${now}${now === 'Unknown' ? ' (the kubelet stopped reporting)' : ' (the kubelet reported NotReady)'}` });
  } else if (wasFailed && was !== 'True' && now === 'True') {
    out.push({ kind: 'node.recover', t, node, evidence: 'Ready went True again' });
  }
  return out;
}
