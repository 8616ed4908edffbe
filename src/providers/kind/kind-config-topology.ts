// The nodes a kind `Cluster` config makes (names, roles, labels, taints from kubeadm patches), so
// kwok can emulate the same topology that kind builds from the file. Pure: tested on plain data.
import type { V1Taint } from '@kubernetes/client-node';
import { parse, parseAllDocuments } from 'yaml';
import { UsageError } from '../../util/errors.js';
import type { NodeSpec } from '../cluster.js';

/** One node of a kind config, as kind and kubeadm would register it. */
export interface KindConfigNode extends NodeSpec {
  name: string;
  role: 'control-plane' | 'worker';
}

const CONTROL_PLANE_TAINT: V1Taint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };
const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

type Doc = Record<string, unknown>;

/**
 * Parses a kind config's text and returns its nodes in kind's order. Names are kind's
 * (`<cluster>-control-plane`, `<cluster>-worker`, `<cluster>-worker2`, ...) unless a kubeadm patch
 * sets `nodeRegistration.name`. A mistake throws a UsageError naming the file and the field.
 */
export function kindConfigTopology(text: string, file: string, cluster: string): KindConfigNode[] {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new UsageError(`${file}: not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const bad = (field: string, why: string): never => {
    throw new UsageError(`${file}: field "${field}" ${why}`);
  };
  if (!isDoc(doc) || doc.kind !== 'Cluster') return bad('kind', 'must be "Cluster"');
  if (doc.apiVersion !== 'kind.x-k8s.io/v1alpha4') return bad('apiVersion', 'must be "kind.x-k8s.io/v1alpha4"');
  const clusterPatches = patchDocs(doc.kubeadmConfigPatches, 'kubeadmConfigPatches', bad);
  const rawNodes = doc.nodes ?? [{ role: 'control-plane' }];
  if (!Array.isArray(rawNodes) || rawNodes.length === 0) return bad('nodes', 'must be a non-empty list');
  const counts = { 'control-plane': 0, worker: 0 };
  const nodes = rawNodes.map((raw: unknown, i): KindConfigNode => {
    const at = `nodes[${i}]`;
    if (!isDoc(raw)) return bad(at, 'must be a mapping with a role');
    const role = raw.role ?? 'control-plane';
    if (role !== 'control-plane' && role !== 'worker') return bad(`${at}.role`, `is ${JSON.stringify(role)}: must be "control-plane" or "worker"`);
    const n = ++counts[role];
    const labels = stringMap(raw.labels, `${at}.labels`, bad);
    // kubeadm reads InitConfiguration on the first control plane, JoinConfiguration on every other node.
    const config = i === 0 && role === 'control-plane' ? 'InitConfiguration' : 'JoinConfiguration';
    const patches = [...clusterPatches.map((p) => ({ ...p, field: `kubeadmConfigPatches[${p.index}]` })), ...patchDocs(raw.kubeadmConfigPatches, `${at}.kubeadmConfigPatches`, bad).map((p) => ({ ...p, field: `${at}.kubeadmConfigPatches[${p.index}]` }))]
      .filter((p) => p.doc.kind === config);
    let name = `${cluster}-${role}${n > 1 ? n : ''}`;
    let taints: V1Taint[] | undefined;
    for (const p of patches) {
      const reg = p.doc.nodeRegistration;
      if (reg === undefined) continue;
      if (!isDoc(reg)) return bad(`${p.field}: nodeRegistration`, 'must be a mapping');
      if (reg.name !== undefined) name = typeof reg.name === 'string' && reg.name ? reg.name : bad(`${p.field}: nodeRegistration.name`, 'must be a non-empty string');
      if (reg.taints !== undefined) taints = taintList(reg.taints, `${p.field}: nodeRegistration.taints`, bad);
      Object.assign(labels, extraArgLabels(reg.kubeletExtraArgs, `${p.field}: nodeRegistration.kubeletExtraArgs`, bad));
    }
    if (role === 'control-plane') labels['node-role.kubernetes.io/control-plane'] = '';
    return { name, role, labels, taints: taints ?? (role === 'control-plane' ? [CONTROL_PLANE_TAINT] : []) };
  });
  // kind lifts the control-plane taint when there is no worker, so workloads can run at all.
  if (counts.worker === 0) for (const n of nodes) n.taints = n.taints?.filter((t) => t.key !== CONTROL_PLANE_TAINT.key);
  const seen = new Set<string>();
  nodes.forEach((n, i) => {
    if (seen.has(n.name)) bad(`nodes[${i}]`, `registers node name "${n.name}" twice`);
    seen.add(n.name);
  });
  return nodes;
}

function isDoc(v: unknown): v is Doc {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** kubeadmConfigPatches: a list of YAML strings, each one or more documents. */
function patchDocs(raw: unknown, field: string, bad: (f: string, why: string) => never): Array<{ doc: Doc; index: number }> {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) return bad(field, 'must be a list of YAML strings');
  return raw.flatMap((text: unknown, index) => {
    if (typeof text !== 'string') return bad(`${field}[${index}]`, 'must be a YAML string');
    const docs = parseAllDocuments(text);
    return (Array.isArray(docs) ? docs : [docs]).map((d) => {
      if (d.errors.length) bad(`${field}[${index}]`, `is not valid YAML: ${d.errors[0]!.message.split('\n')[0]}`);
      const doc = d.toJS() as unknown;
      return { doc: isDoc(doc) ? doc : {}, index };
    });
  });
}

function stringMap(raw: unknown, field: string, bad: (f: string, why: string) => never): Record<string, string> {
  if (raw === undefined) return {};
  if (!isDoc(raw)) return bad(field, 'must be a mapping of strings');
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : bad(`${field}.${k}`, 'must be a string')]));
}

function taintList(raw: unknown, field: string, bad: (f: string, why: string) => never): V1Taint[] {
  if (!Array.isArray(raw)) return bad(field, 'must be a list');
  return raw.map((t: unknown, i) => {
    if (!isDoc(t) || typeof t.key !== 'string' || !t.key) return bad(`${field}[${i}].key`, 'must be a non-empty string');
    if (!EFFECTS.includes(t.effect as string)) return bad(`${field}[${i}].effect`, `is ${JSON.stringify(t.effect)}: must be one of ${EFFECTS.join(', ')}`);
    return { key: t.key, effect: t.effect as string, ...(t.value !== undefined && t.value !== null ? { value: String(t.value) } : {}) };
  });
}

/** `node-labels` in kubeletExtraArgs: a map (kubeadm v1beta3) or a list of {name, value} (v1beta4). */
function extraArgLabels(raw: unknown, field: string, bad: (f: string, why: string) => never): Record<string, string> {
  if (raw === undefined) return {};
  const value = Array.isArray(raw)
    ? (raw.find((a: unknown) => isDoc(a) && a.name === 'node-labels') as Doc | undefined)?.value
    : isDoc(raw) ? raw['node-labels'] : bad(field, 'must be a mapping or a list of {name, value}');
  if (value === undefined) return {};
  if (typeof value !== 'string') return bad(`${field}.node-labels`, 'must be a string like "a=b,c=d"');
  return Object.fromEntries(value.split(',').filter(Boolean).map((kv) => {
    const eq = kv.indexOf('=');
    return eq < 0 ? bad(`${field}.node-labels`, `has "${kv}" without "="`) : [kv.slice(0, eq), kv.slice(eq + 1)];
  }));
}
