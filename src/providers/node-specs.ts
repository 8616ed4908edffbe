// Node specs as scenarios and `cluster create` give them, provider-neutral: names filled in,
// taints checked, `nodes: 3 | NodeSpec[]` normalised.
import type { NodeSpec } from './cluster.js';
import { UsageError } from '../util/errors.js';

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** Fills in names (`worker-<n>`, skipping names taken) and checks each spec. */
export function resolveNodeSpecs(specs: NodeSpec[], taken: Iterable<string>, where = 'nodes'): Array<Required<Pick<NodeSpec, 'name'>> & NodeSpec> {
  const used = new Set(taken);
  let n = 1;
  return specs.map((spec, i) => {
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw new UsageError(`${where}[${i}]: expected a node ({ name, labels, taints }), got ${JSON.stringify(spec)}`);
    if (spec.name !== undefined && typeof spec.name !== 'string') throw new UsageError(`${where}[${i}].name: expected a string, got ${JSON.stringify(spec.name)}`);
    const labels: unknown = spec.labels;
    if (labels !== undefined && (typeof labels !== 'object' || labels === null || Array.isArray(labels) || !Object.values(labels).every((v) => typeof v === 'string'))) {
      throw new UsageError(`${where}[${i}].labels: expected a mapping of strings, got ${JSON.stringify(labels)}`);
    }
    if (spec.taints !== undefined && !Array.isArray(spec.taints)) throw new UsageError(`${where}[${i}].taints: expected a list, got ${JSON.stringify(spec.taints)}`);
    let name = spec.name;
    if (name === undefined) {
      while (used.has(`worker-${n}`)) n++;
      name = `worker-${n}`;
    }
    if (name.length > 63 || !DNS1123_SUBDOMAIN.test(name)) throw new UsageError(`${where}[${i}].name: "${name}" is not a valid node name (lowercase letters, digits, '-' and '.')`);
    if (used.has(name) && spec.name !== undefined) throw new UsageError(`${where}[${i}].name: node "${name}" already exists`);
    used.add(name);
    for (const t of spec.taints ?? []) {
      if (typeof t !== 'object' || t === null || !t.key) throw new UsageError(`${where}[${i}].taints: a taint has no key`);
      if (!['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(t.effect)) throw new UsageError(`${where}[${i}].taints: effect "${t.effect}" of taint "${t.key}" is not NoSchedule, PreferNoSchedule or NoExecute`);
    }
    return { ...spec, name };
  });
}

/** Normalises `nodes: 3 | NodeSpec[]` from a cluster spec into a list. */
export function nodeSpecList(nodes: number | NodeSpec[], where = 'nodes'): NodeSpec[] {
  if (typeof nodes === 'number') {
    if (!Number.isInteger(nodes) || nodes < 0 || nodes > 5000) throw new UsageError(`${where}: ${nodes} is not a node count between 0 and 5000`);
    return Array.from({ length: nodes }, () => ({}));
  }
  if (!Array.isArray(nodes)) throw new UsageError(`${where}: expected a number or a list of nodes`);
  return nodes;
}
