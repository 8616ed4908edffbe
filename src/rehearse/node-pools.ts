// Groups a twin's nodes into pools and scales big pools down, keeping every distinct label/taint combination (pure).
import type { V1Taint } from '@kubernetes/client-node';
import type { ClusterTwin, TwinNode } from '../twin/twin-model.js';

/** Labels that name a node pool on the common platforms; the first one a node carries decides its pool. */
export const POOL_LABELS = [
  'cloud.google.com/gke-nodepool', 'eks.amazonaws.com/nodegroup', 'kubernetes.azure.com/agentpool', 'agentpool',
  'karpenter.sh/nodepool', 'node.kubernetes.io/pool', 'nodepool', 'pool',
];

/** Labels that differ per machine and say nothing about where a DaemonSet runs. */
const PER_NODE_LABELS = new Set(['kubernetes.io/hostname', 'rollcall.dev/simulated']);

/**
 * Taints the node lifecycle controller and kubelet set and lift themselves: the copy's nodes are healthy,
 * so these would be gone a moment after start (the node-not-ready step adds them for real).
 */
const CONTROLLER_TAINTS = new Set(['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable', 'node.kubernetes.io/unschedulable',
  'node.kubernetes.io/memory-pressure', 'node.kubernetes.io/disk-pressure', 'node.kubernetes.io/pid-pressure', 'node.kubernetes.io/network-unavailable']);

/** One pool: nodes sharing a pool label (or, without one, the same labels and taints). */
export interface NodePool {
  /** `pool=gpu`, or the label/taint signature when no pool label is set. */
  name: string;
  /** How many nodes the twin has in it. */
  total: number;
  /** Distinct label/taint combinations in it; each keeps at least one node. */
  combinations: number;
  /** The nodes the copy gets, by name. */
  kept: string[];
}

/** What scaling down did. */
export interface ScaledTwin {
  /** The twin with only the kept nodes (and their pods), controller taints and cordons removed, all nodes Ready. */
  twin: ClusterTwin;
  pools: NodePool[];
}

/** The labels that place DaemonSets: all but per-machine ones. */
export function placementLabels(n: TwinNode): Record<string, string> {
  return Object.fromEntries(Object.entries(n.labels).filter(([k]) => !PER_NODE_LABELS.has(k)).sort(([a], [b]) => a.localeCompare(b)));
}

/** The taints the user (or their platform) put on the node, without the ones controllers manage. */
export function userTaints(n: TwinNode): V1Taint[] {
  return n.taints.filter((t) => !CONTROLLER_TAINTS.has(t.key));
}

/** The label/taint combination of a node, as one comparable string. */
export function signature(n: TwinNode): string {
  const labels = Object.entries(placementLabels(n)).map(([k, v]) => `${k}=${v}`);
  const taints = userTaints(n).map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).sort();
  return [...labels, ...taints.map((t) => `taint ${t}`)].join(',');
}

/** The pool a node belongs to: its first pool label, else its whole signature. */
export function poolOf(n: TwinNode): string {
  const key = POOL_LABELS.find((k) => n.labels[k] !== undefined);
  return key ? `${key}=${n.labels[key]}` : signature(n) || '(no labels)';
}

/**
 * Keeps at most `maxPerPool` nodes per pool, but never drops a label/taint combination: a pool with
 * more combinations than that keeps one node of each. Nodes are picked by name, round-robin over
 * combinations, so the result is the same for the same twin.
 */
export function scaleDownTwin(twin: ClusterTwin, maxPerPool: number): ScaledTwin {
  if (!Number.isInteger(maxPerPool) || maxPerPool < 1) throw new RangeError(`maxPerPool must be a whole number >= 1, not ${maxPerPool}`);
  const byPool = new Map<string, TwinNode[]>();
  for (const n of [...twin.nodes].sort((a, b) => a.name.localeCompare(b.name))) {
    const p = poolOf(n);
    byPool.set(p, [...(byPool.get(p) ?? []), n]);
  }
  const pools: NodePool[] = [];
  const keep = new Set<string>();
  for (const [name, nodes] of [...byPool].sort(([a], [b]) => a.localeCompare(b))) {
    const combos = new Map<string, TwinNode[]>();
    for (const n of nodes) combos.set(signature(n), [...(combos.get(signature(n)) ?? []), n]);
    const queues = [...combos.values()];
    const kept: string[] = [];
    const target = Math.max(maxPerPool, queues.length);
    for (let round = 0; kept.length < Math.min(target, nodes.length); round++) {
      for (const q of queues) if (q[round] && kept.length < target) kept.push(q[round]!.name);
    }
    kept.forEach((k) => keep.add(k));
    pools.push({ name, total: nodes.length, combinations: queues.length, kept: kept.sort() });
  }
  const nodes = twin.nodes.filter((n) => keep.has(n.name)).map((n): TwinNode => ({
    ...n, taints: userTaints(n), unschedulable: false, conditions: { Ready: 'True' },
  }));
  const daemonSets = twin.daemonSets.map((d) => ({ ...d, pods: d.pods.filter((p) => keep.has(p.node)) }));
  return { twin: { ...twin, nodes, daemonSets }, pools };
}
