// What the battery rehearses for one DaemonSet: its objects as the copy gets them, the copy's nodes and pools,
// and check's per-node prediction on that copy (pure; built from a scaled-down twin).
import type { KubernetesObject, V1DaemonSet, V1Taint, V1Toleration } from '@kubernetes/client-node';
import type { DaemonSetCheck } from '../check/check-model.js';
import { checkTwin } from '../check/check-twin.js';
import { effectiveTolerations } from '../expect/eligibility.js';
import { labelSelectorMatches } from '../expect/ownership.js';
import type { KwokNodeSpec } from '../providers/kwok/node-manifest.js';
import type { ClusterTwin, TwinDaemonSet, TwinNode } from '../twin/twin-model.js';
import { placementLabels, scaleDownTwin, type NodePool } from './node-pools.js';

/** What check says one node will see: a running pod, no pod (not eligible), or a pod that cannot start. */
export interface NodePrediction {
  node: string;
  expect: 'runs' | 'no pod' | 'pending';
  /** Why, in check's words (its eligibility reasons or finding). */
  why: string;
}

/** A NoExecute toleration with tolerationSeconds, and the taint that triggers it. */
export interface ChurnTrigger {
  toleration: V1Toleration;
  taint: V1Taint;
  seconds: number;
}

/** One DaemonSet of the twin, ready to rehearse. */
export interface RehearsalTarget {
  /** `namespace/name` in the twin. */
  id: string;
  /** The DaemonSet to apply (no namespace, status or uid: it goes into the scenario's namespace). */
  daemonSet: V1DaemonSet;
  /** Objects it needs first: its ServiceAccount, PriorityClass and the PodDisruptionBudgets over its pods. */
  companions: KubernetesObject[];
  /** The twin namespace's node selector annotation, copied onto the scenario's namespace. */
  namespaceNodeSelector?: string;
  /** The copy's nodes, with their labels, taints and resources. */
  nodes: Array<KwokNodeSpec & { name: string }>;
  /** Pools of the copy, with the names of their nodes there. */
  pools: NodePool[];
  /** check's prediction for every node of the copy. */
  prediction: NodePrediction[];
  /** check's findings on the copy, for the report. */
  check: DaemonSetCheck;
  churn: ChurnTrigger[];
}

/** The node specs for the copy: twin labels (but hostname) and taints, capacity and allocatable. */
export function copyNodeSpecs(twin: ClusterTwin): Array<KwokNodeSpec & { name: string }> {
  return twin.nodes.map((n) => nodeSpecOf(n, n.name));
}

/** A node spec with `n`'s labels, taints and resources under another name (a pool's replacement node). */
export function nodeSpecOf(n: TwinNode | KwokNodeSpec, name: string): KwokNodeSpec & { name: string } {
  const labels = 'conditions' in n ? placementLabels(n) : Object.fromEntries(Object.entries(n.labels ?? {}).filter(([k]) => k !== 'kubernetes.io/hostname'));
  return {
    name,
    labels,
    taints: [...(n.taints ?? [])],
    ...(n.capacity && Object.keys(n.capacity).length ? { capacity: n.capacity } : {}),
    ...(n.allocatable && Object.keys(n.allocatable).length ? { allocatable: n.allocatable } : {}),
  };
}

/** Per node: check's verdict on the copy, as something the live copy can be compared with. */
export function predictCoverage(check: DaemonSetCheck): NodePrediction[] {
  const pending = new Map<string, string>();
  for (const f of check.findings) {
    if (f.check === 'requests-exceed-allocatable') for (const n of f.nodes ?? []) pending.set(n, f.evidence.find((e) => e.startsWith(`${n}: `))?.slice(n.length + 2) ?? f.message);
  }
  return check.coverage.map((c): NodePrediction => {
    if (!c.eligible) return { node: c.node, expect: 'no pod', why: c.reasons.join('; ') || 'not eligible' };
    const p = pending.get(c.node);
    return p ? { node: c.node, expect: 'pending', why: p } : { node: c.node, expect: 'runs', why: 'eligible' };
  });
}

/** NoExecute tolerations with tolerationSeconds (not the controller's own), each with a taint it matches. */
export function churnTriggers(ds: V1DaemonSet): ChurnTrigger[] {
  return effectiveTolerations(ds)
    .filter((t) => t.tolerationSeconds != null && (t.effect ?? 'NoExecute') === 'NoExecute')
    .map((t) => ({
      toleration: t,
      taint: { key: t.key || 'rollcall.dev/churn', ...(t.operator === 'Equal' || (t.operator === undefined && t.value) ? { value: t.value ?? '' } : {}), effect: 'NoExecute' },
      seconds: Number(t.tolerationSeconds),
    }));
}

/** The DaemonSet as the copy applies it: the twin's spec, its name and labels, nothing cluster-specific. */
export function copyDaemonSet(d: TwinDaemonSet): V1DaemonSet {
  return { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: d.name, ...(d.labels ? { labels: d.labels } : {}) }, spec: structuredClone(d.spec) };
}

/** ServiceAccount, PriorityClass and PDBs the DaemonSet's pods need or are selected by. */
export function companionsOf(twin: ClusterTwin, d: TwinDaemonSet): KubernetesObject[] {
  const pod = d.spec.template?.spec;
  const out: KubernetesObject[] = [];
  const sa = pod?.serviceAccountName ?? pod?.serviceAccount;
  // The ServiceAccount admission plugin refuses pods whose account does not exist.
  if (sa && sa !== 'default') out.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa } } as KubernetesObject);
  const pc = twin.priorityClasses.find((p) => p.name === pod?.priorityClassName);
  // system-* classes exist in every cluster; a missing one stays missing, as check reports.
  if (pc && !pc.name.startsWith('system-')) {
    out.push({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: pc.name }, value: pc.value, globalDefault: pc.globalDefault ?? false } as KubernetesObject);
  }
  const labels = d.spec.template?.metadata?.labels ?? {};
  for (const p of twin.podDisruptionBudgets.filter((x) => x.namespace === d.namespace && labelSelectorMatches(x.selector, labels))) {
    const spec = { selector: p.selector, ...(p.minAvailable !== undefined ? { minAvailable: p.minAvailable } : {}), ...(p.maxUnavailable !== undefined ? { maxUnavailable: p.maxUnavailable } : {}) };
    out.push({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: p.name }, spec } as KubernetesObject);
  }
  return out;
}

/** Builds the target for each DaemonSet check ran on the scaled twin. */
export function rehearsalTargets(twin: ClusterTwin, pools: NodePool[], checks: DaemonSetCheck[]): RehearsalTarget[] {
  const nodes = copyNodeSpecs(twin);
  return checks.map((check) => {
    const d = twin.daemonSets.find((x) => `${x.namespace}/${x.name}` === check.daemonSet)!;
    const daemonSet = copyDaemonSet(d);
    return {
      id: check.daemonSet,
      daemonSet,
      companions: companionsOf(twin, d),
      namespaceNodeSelector: twin.namespaces.find((n) => n.name === d.namespace)?.nodeSelector,
      nodes,
      pools,
      prediction: predictCoverage(check),
      check,
      churn: churnTriggers(daemonSet),
    };
  });
}


/**
 * Everything a rehearsal needs from a twin: pools scaled down to `maxNodesPerPool`, check run on the
 * copy, one target per DaemonSet (all, or those named `namespace/name`).
 *
 * @example
 * const { targets } = planRehearsal(readTwin('twin.yaml'), { maxNodesPerPool: 3 });
 * export default rehearsalScenario(targets.find((t) => t.id === 'logging/fluent-bit')!);
 */
export function planRehearsal(twin: ClusterTwin, opts: { maxNodesPerPool: number; daemonSets?: string[] }): { twin: ClusterTwin; pools: NodePool[]; targets: RehearsalTarget[] } {
  const scaled = scaleDownTwin(twin, opts.maxNodesPerPool);
  const checks = checkTwin(scaled.twin, { source: twin.metadata.name }).daemonSets.filter((d) => !opts.daemonSets?.length || opts.daemonSets.includes(d.daemonSet));
  return { ...scaled, targets: rehearsalTargets(scaled.twin, scaled.pools, checks) };
}
