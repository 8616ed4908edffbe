// `snapshot --anonymize`: renames nodes per pool and hashes label values, one value one hash, so selectors still match.
import { createHash, randomBytes } from 'node:crypto';
import type { V1NodeSelectorTerm, V1PodSpec } from '@kubernetes/client-node';
import type { ClusterTwin, TwinNode } from '../twin/twin-model.js';

const WELL_KNOWN = ['kubernetes.io/', 'node.kubernetes.io/', 'topology.kubernetes.io/', 'node-role.kubernetes.io/', 'beta.kubernetes.io/', 'failure-domain.beta.kubernetes.io/'];
const HOSTNAME = 'kubernetes.io/hostname';
/** Labels cloud providers and Karpenter put on every node of a pool. */
const POOL_LABELS = ['cloud.google.com/gke-nodepool', 'eks.amazonaws.com/nodegroup', 'karpenter.sh/nodepool', 'kubernetes.azure.com/agentpool', 'agentpool'];

/** A copy of the twin with node names replaced (`pool-1-001`) and non-well-known label, taint and toleration values hashed. */
export function anonymizeTwin(twin: ClusterTwin, salt: string = randomBytes(16).toString('hex')): ClusterTwin {
  const copy = JSON.parse(JSON.stringify(twin)) as ClusterTwin;
  const numeric = numericKeys(copy);
  const keep = (key: string) => WELL_KNOWN.some((p) => key.startsWith(p)) || numeric.has(key);
  const hash = (key: string | undefined, value: string | undefined) => (value === undefined || value === '' || (key !== undefined && keep(key))
    ? value : `h-${createHash('sha256').update(`${salt}\0${value}`).digest('hex').slice(0, 10)}`);
  const names = nodeNames(copy.nodes);
  const rename = (n: string) => names.get(n) ?? (names.set(n, `unknown-${String(names.size + 1).padStart(3, '0')}`), names.get(n)!);
  const labels = (map: Record<string, string> = {}) => Object.fromEntries(Object.entries(map).map(([k, v]) => [k, hash(k, v)!]));

  for (const n of copy.nodes) {
    n.labels = labels(n.labels);
    if (HOSTNAME in n.labels) n.labels[HOSTNAME] = rename(n.name);
    n.taints = n.taints.map((t) => ({ ...t, ...(t.value !== undefined ? { value: hash(t.key, t.value) } : {}) }));
    n.name = rename(n.name);
  }
  for (const ns of copy.namespaces) {
    if (ns.nodeSelector) ns.nodeSelector = ns.nodeSelector.split(',').map((kv) => kv.split('=')).map(([k, v]) => (v === undefined ? k : `${k}=${hash(k!.trim(), v.trim())}`)).join(',');
  }
  for (const d of copy.daemonSets) {
    const spec = d.spec.template?.spec;
    if (spec) anonymizePodSpec(spec, labels, hash, rename);
    for (const p of d.pods) p.node = rename(p.node);
  }
  copy.metadata = { ...copy.metadata, name: 'anonymized', anonymized: true };
  delete copy.metadata.source?.context;
  return copy;
}

// Hashes what a pod spec says about nodes the same way node labels were hashed.
function anonymizePodSpec(spec: V1PodSpec, labels: (m?: Record<string, string>) => Record<string, string>, hash: (k: string | undefined, v: string | undefined) => string | undefined, rename: (n: string) => string): void {
  if (spec.nodeSelector) spec.nodeSelector = labels(spec.nodeSelector);
  if (spec.nodeName) spec.nodeName = rename(spec.nodeName);
  spec.tolerations = spec.tolerations?.map((t) => ({ ...t, ...(t.value !== undefined ? { value: hash(t.key, t.value) } : {}) }));
  const terms = (list: V1NodeSelectorTerm[] | undefined) => list?.forEach((term) => {
    for (const r of term.matchExpressions ?? []) r.values = r.values?.map((v) => (r.key === HOSTNAME ? rename(v) : hash(r.key, v)!));
    for (const r of term.matchFields ?? []) if (r.key === 'metadata.name') r.values = r.values?.map(rename);
  });
  const affinity = spec.affinity?.nodeAffinity;
  terms(affinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms);
  terms(affinity?.preferredDuringSchedulingIgnoredDuringExecution?.map((p) => p.preference));
}

// Keys compared with Gt/Lt need their numbers: hashing would change what they match.
function numericKeys(twin: ClusterTwin): Set<string> {
  const keys = new Set<string>();
  for (const d of twin.daemonSets) {
    const a = d.spec.template?.spec?.affinity?.nodeAffinity;
    const terms = [...(a?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []), ...(a?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((p) => p.preference)];
    for (const t of terms) for (const r of t.matchExpressions ?? []) if (r.operator === 'Gt' || r.operator === 'Lt') keys.add(r.key);
    for (const t of d.spec.template?.spec?.tolerations ?? []) if ((t.operator === 'Gt' || t.operator === 'Lt') && t.key) keys.add(t.key);
  }
  return keys;
}

/** New names per pool, numbered in node-name order: pool-<pool>-<index>. */
export function nodeNames(nodes: TwinNode[]): Map<string, string> {
  const pools = new Map<string, number>();
  const counts = new Map<number, number>();
  const out = new Map<string, string>();
  for (const n of [...nodes].sort((a, b) => a.name.localeCompare(b.name))) {
    const key = poolKey(n);
    if (!pools.has(key)) pools.set(key, pools.size + 1);
    const pool = pools.get(key)!;
    counts.set(pool, (counts.get(pool) ?? 0) + 1);
    out.set(n.name, `pool-${pool}-${String(counts.get(pool)).padStart(3, '0')}`);
  }
  return out;
}

// A provider's pool label if there is one, else the labels that say what kind of node it is (not which one, nor where).
function poolKey(n: TwinNode): string {
  const named = POOL_LABELS.find((k) => n.labels[k] !== undefined);
  if (named) return `${named}=${n.labels[named]}`;
  const shared = Object.entries(n.labels)
    .filter(([k, v]) => k !== HOSTNAME && !k.startsWith('topology.kubernetes.io/') && !k.startsWith('failure-domain.') && v !== n.name)
    .sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify(shared);
}
