// The budget invariant's cost per change on plain data, no cluster: a simulated rolling update of
// BENCH_NODES nodes at maxUnavailable 10 % (old pod Terminating, removed, new pod created, scheduled,
// Ready; a DaemonSet status write every fifth node), judged after every change (a) by the
// BudgetTracker that t.invariant uses and (b) by unavailableWithinBudget over the whole snapshot,
// as before (sampled every `sample`-th change above 300 nodes, so the run stays short).
import type { V1DaemonSet, V1Pod } from '@kubernetes/client-node';
import { daemonSet, node, pod, revision } from '../unit/expect/fixtures.js';
import { BudgetTracker, unavailableWithinBudget, type ObjectChange } from '../../src/expect/index.js';

export interface JudgeSimResult { nodes: number; changes: number; trackerUsPerChange: number; wholeUsPerChange: number; ratio: number }

function rollout(n: number): ObjectChange[] {
  const changes: ObjectChange[] = [];
  const at = () => changes.length;
  const onNode = (p: V1Pod, name: string) => {
    p.spec!.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [name] }] }] } } };
    return p;
  };
  let ds: V1DaemonSet = daemonSet({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%' } } });
  changes.push({ kind: 'ControllerRevision', type: 'ADDED', object: revision('h1', 1), atMs: at() });
  changes.push({ kind: 'ControllerRevision', type: 'ADDED', object: revision('h2', 2), atMs: at() });
  changes.push({ kind: 'DaemonSet', type: 'ADDED', object: ds, atMs: at() });
  for (let i = 0; i < n; i++) {
    changes.push({ kind: 'Node', type: 'ADDED', object: node(`node-${i}`), atMs: at() });
    changes.push({ kind: 'Pod', type: 'ADDED', object: onNode(pod(`agent-${i}`, { node: `node-${i}`, hash: 'h1' }), `node-${i}`), atMs: at() });
  }
  const batch = Math.max(1, Math.floor(n / 10));
  for (let b = 0; b < n; b += batch) {
    const end = Math.min(n, b + batch);
    for (let i = b; i < end; i++) changes.push({ kind: 'Pod', type: 'MODIFIED', object: onNode(pod(`agent-${i}`, { node: `node-${i}`, hash: 'h1', terminating: true }), `node-${i}`), atMs: at() });
    for (let i = b; i < end; i++) {
      changes.push({ kind: 'Pod', type: 'DELETED', object: onNode(pod(`agent-${i}`, { node: `node-${i}`, hash: 'h1', terminating: true }), `node-${i}`), atMs: at() });
      changes.push({ kind: 'Pod', type: 'ADDED', object: onNode(pod(`agent-${i}-v2`, { hash: 'h2', ready: false }), `node-${i}`), atMs: at() });
      changes.push({ kind: 'Pod', type: 'MODIFIED', object: onNode(pod(`agent-${i}-v2`, { node: `node-${i}`, hash: 'h2', ready: false }), `node-${i}`), atMs: at() });
      if (i % 5 === 0) {
        ds = { ...ds, status: { ...ds.status!, numberAvailable: i } as never };
        changes.push({ kind: 'DaemonSet', type: 'MODIFIED', object: ds, atMs: at() });
      }
    }
    for (let i = b; i < end; i++) changes.push({ kind: 'Pod', type: 'MODIFIED', object: onNode(pod(`agent-${i}-v2`, { node: `node-${i}`, hash: 'h2' }), `node-${i}`), atMs: at() });
  }
  return changes;
}

export function judgeSim(n: number): JudgeSimResult {
  const changes = rollout(n);
  const start = 3 + 2 * n; // judged from the first change of the update on, as a step's invariant is
  const now = Date.now();
  const tracker = new BudgetTracker('default', 'log-agent');
  for (const c of changes.slice(0, start)) tracker.apply(c);
  let t = performance.now();
  for (const c of changes.slice(start)) {
    tracker.apply(c);
    if (!tracker.judge(now)!.ok) throw new Error('the simulated rollout broke its budget');
  }
  const trackerMs = performance.now() - t;
  // The whole-snapshot judge, on the same states (maps kept as a recorder keeps them).
  const sample = n > 300 ? 10 : 1;
  const maps = { Node: new Map(), Pod: new Map(), DaemonSet: new Map(), ControllerRevision: new Map() } as Record<string, Map<string, unknown>>;
  let wholeMs = 0; let judged = 0;
  changes.forEach((c, i) => {
    const key = `${c.object.metadata?.namespace ?? ''}/${c.object.metadata?.name}`;
    if (c.type === 'DELETED') maps[c.kind]!.delete(key); else maps[c.kind]!.set(key, c.object);
    if (i < start || (i - start) % sample !== 0) return;
    t = performance.now();
    const s = {
      daemonSet: maps.DaemonSet!.values().next().value as V1DaemonSet,
      nodes: Object.freeze([...maps.Node!.values()]), pods: Object.freeze([...maps.Pod!.values()]), revisions: Object.freeze([...maps.ControllerRevision!.values()]), now,
    };
    unavailableWithinBudget(s as never);
    wholeMs += performance.now() - t;
    judged++;
  });
  const updateChanges = changes.length - start;
  const trackerUs = (trackerMs / updateChanges) * 1000;
  const wholeUs = (wholeMs / judged) * 1000;
  return { nodes: n, changes: updateChanges, trackerUsPerChange: Math.round(trackerUs * 10) / 10, wholeUsPerChange: Math.round(wholeUs), ratio: Math.round(wholeUs / trackerUs) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const n of (process.env.BENCH_SCALE ?? '100,1000').split(',').map(Number)) console.log(JSON.stringify(judgeSim(n)));
}
