// Each inferred cause as the scenario-API call that does it again, and a few words for its step's title.
import type { V1DaemonSetSpec } from '@kubernetes/client-node';
import { literal, str } from './code-literal.js';
import type { Cause, CauseGroup } from './cause-model.js';

/** Spec fields `ds.patch()` takes; a change to anything else is replayed with a kubectl merge patch. */
const PATCHABLE = ['updateStrategy', 'minReadySeconds', 'template.spec.nodeSelector', 'template.spec.affinity', 'template.spec.tolerations'];

/** The statements that replay one cause (`ds` and `t` and `incident` are the scenario's names), with a why-comment. */
export function causeCode(c: Cause, dsName: string): string[] {
  const why = c.evidence ? [`// ${c.evidence}`] : [];
  switch (c.kind) {
    case 'node.add': {
      const spec = { name: c.node, ...(Object.keys(c.labels).length ? { labels: c.labels } : {}), ...(c.taints.length ? { taints: c.taints } : {}) };
      return [...why, `await t.nodes.add(${literal(spec, 8, 22)});`];
    }
    case 'node.remove': return [...why, `await t.nodes.remove(${str(c.node)});`];
    case 'node.label': return [
      ...(Object.keys(c.set).length ? [`await t.nodes.label(${str(c.node)}, ${literal(c.set)});`] : []),
      ...(c.removed.length ? [`await t.nodes.unlabel(${[c.node, ...c.removed].map(str).join(', ')});`] : []),
    ];
    case 'node.taint': return [`await t.nodes.taint(${str(c.node)}, ${literal({ key: c.taint.key, value: c.taint.value, effect: c.taint.effect })});`];
    case 'node.untaint': return [`await t.nodes.untaint(${str(c.node)}, ${str(c.key)}, ${str(c.effect)});`];
    case 'node.cordon': return [`await t.nodes.cordon(${str(c.node)});`];
    case 'node.uncordon': return [`await t.nodes.uncordon(${str(c.node)});`];
    case 'node.fail': return [...why, ...(c.status === 'Unknown' ? ['// Replayed as NotReady (Ready=False): the closest a provider can make a node whose kubelet went silent.'] : []), `await t.nodes.fail(${str(c.node)});`];
    case 'node.recover': return [`await t.nodes.recover(${str(c.node)});`];
    case 'pod.delete': return [...why, `await ds.deletePod(${str(c.node)}); // recorded: ${c.pod}`];
    case 'pod.evict': return [...why, `await incident.evictPod(${str(c.node)}); // recorded: ${c.pod}; honours PodDisruptionBudgets`];
    case 'pod.fail': return [...why, `await ds.failPod(${str(c.node)}); // recorded: ${c.pod}`];
    case 'ds.image': return [
      ...why,
      ...c.images.map((i) => (c.bad
        ? `await ds.badImage(${str(c.bad)}, ${str(i.container)}); // recorded image: ${i.image}`
        : `await ds.setImage(${str(i.image)}, ${str(i.container)});`)),
    ];
    case 'ds.rollback': return [...why, c.previous ? 'await ds.rollback();' : `await ds.rollback(${c.revision});`];
    case 'ds.patch': return patchCode(c.patch, c.fields, c.spec, dsName);
    default: return [];
  }
}

/** A step title: "+1m05s: taint worker-3, worker-4 dedicated=edge:NoExecute" (`offset` with its sign). */
export function groupTitle(g: CauseGroup, offset: string): string {
  const parts = new Map<string, string[]>();
  for (const c of g.causes) {
    const { what, node } = describe(c);
    parts.set(what, [...(parts.get(what) ?? []), ...(node ? [node] : [])]);
  }
  const words = [...parts.entries()].map(([what, nodes]) => what.replace('{nodes}', [...new Set(nodes)].join(', ')));
  return `${offset}: ${words.join('; ')}`;
}

function describe(c: Cause): { what: string; node?: string } {
  switch (c.kind) {
    case 'node.add': return { what: 'add node {nodes}', node: c.node };
    case 'node.remove': return { what: 'remove node {nodes}', node: c.node };
    case 'node.label': return { what: `label {nodes} ${[...Object.entries(c.set).map(([k, v]) => `${k}=${v}`), ...c.removed.map((k) => `${k}-`)].join(',')}`, node: c.node };
    case 'node.taint': return { what: `taint {nodes} ${c.taint.key}${c.taint.value ? `=${c.taint.value}` : ''}:${c.taint.effect}`, node: c.node };
    case 'node.untaint': return { what: `untaint {nodes} ${c.key}:${c.effect}`, node: c.node };
    case 'node.cordon': return { what: 'cordon {nodes}', node: c.node };
    case 'node.uncordon': return { what: 'uncordon {nodes}', node: c.node };
    case 'node.fail': return { what: `{nodes} ${c.status === 'Unknown' ? 'stops reporting (Ready Unknown)' : 'goes NotReady'}`, node: c.node };
    case 'node.recover': return { what: '{nodes} Ready again', node: c.node };
    case 'pod.delete': return { what: 'delete the pod on {nodes}', node: c.node };
    case 'pod.evict': return { what: 'evict the pod on {nodes}', node: c.node };
    case 'pod.fail': return { what: 'the pod on {nodes} fails', node: c.node };
    case 'ds.image': return { what: c.bad ? `bad image (${c.bad}: ${c.images.map((i) => i.image).join(', ')})` : `set image ${c.images.map((i) => i.image).join(', ')}` };
    case 'ds.rollback': return { what: `roll back to revision ${c.revision}` };
    default: return { what: `change ${c.fields.join(', ')}` };
  }
}

// ds.patch() when the change is one it takes (it wants the new values whole), else a kubectl merge patch.
function patchCode(patch: Record<string, unknown>, fields: string[], spec: V1DaemonSetSpec, dsName: string): string[] {
  if (fields.every((f) => PATCHABLE.some((p) => f === p || f.startsWith(`${p}.`)))) {
    const pod = spec.template.spec;
    const touched = (p: string) => fields.some((f) => f === p || f.startsWith(`${p}.`));
    const changes = {
      ...(touched('updateStrategy') ? { updateStrategy: spec.updateStrategy } : {}),
      ...(touched('minReadySeconds') ? { minReadySeconds: spec.minReadySeconds ?? 0 } : {}),
      ...(touched('template.spec.nodeSelector') ? { nodeSelector: pod?.nodeSelector ?? null } : {}),
      ...(touched('template.spec.affinity') ? { affinity: pod?.affinity ?? null } : {}),
      ...(touched('template.spec.tolerations') ? { tolerations: pod?.tolerations ?? null } : {}),
    };
    return [`await ds.patch(${literal(changes, 8, 23)});`];
  }
  return [
    `// ${fields.join(', ')}: a JSON merge patch of the DaemonSet's spec, as recorded`,
    `await t.kubectl('patch', 'daemonset', ${str(dsName)}, '--type', 'merge', '-p', JSON.stringify(${literal({ spec: patch }, 8, 70)}));`,
  ];
}
