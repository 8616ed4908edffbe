// Node chaos: every action is recorded on the timeline, waits until the recorder has seen its
// effect, and registers its undo before it starts (restoring what the node had before).
import type { V1Node, V1Taint } from '@kubernetes/client-node';
import { cordonNode, drainNode, getNode, labelNode, taintNode, untaintNode, type TaintEffect } from '../kube/node-api.js';
import { isNodeUsable, nodeReadyStatus } from '../kube/node-conditions.js';
import type { NodeSpec } from '../providers/cluster.js';
import type { RecorderState } from '../observe/recorder.js';
import { UsageError } from '../util/errors.js';
import { durationIn, type Duration } from '../util/duration.js';
import { withUndo, type Act, type ActionRecord, type ChaosRuntime } from './chaos-runtime.js';

/** What `nodes.add` hands back: the action, and the names of the nodes it created. */
export interface AddedNodes extends ActionRecord {
  names: string[];
}

/**
 * Node chaos for a scenario (`t.nodes`). Each method waits until the change is visible in the
 * recorded watch stream, and its undo runs at the end of the scenario, newest first.
 *
 * @example
 * const added = await t.nodes.add({ name: 'worker-4', labels: { pool: 'b' } });
 * await t.nodes.taint('worker-1', { key: 'maintenance', effect: 'NoExecute' });
 * await t.nodes.fail('worker-2');        // the kubelet reports NotReady; undo recovers it
 * await t.nodes.drain('worker-3');       // evictions honour PodDisruptionBudgets
 */
export class NodeChaos {
  constructor(private readonly rt: ChaosRuntime, private readonly act: Act) {}

  /** Names of the nodes in the cluster right now (from the recorder). */
  names(): string[] {
    return [...this.rt.recorder.state.nodes.values()].map((n) => n.metadata!.name!).sort();
  }

  /** Adds nodes (a count, or specs with name/labels/taints) and waits until each is usable; undo removes them. */
  async add(what: number | NodeSpec | NodeSpec[] = 1): Promise<AddedNodes> {
    const specs: NodeSpec[] = typeof what === 'number' ? Array.from({ length: what }, () => ({})) : Array.isArray(what) ? what : [what];
    const before = new Set(this.names());
    let added: string[] | undefined;
    const description = `add ${specs.length} node(s)${specs.some((s) => s.name) ? ` ${specs.map((s) => s.name ?? '?').join(', ')}` : ''}`;
    return this.act('node.add', description, () =>
      withUndo(this.rt.undo, `remove the node(s) of "${description}"`, async () => {
        // Without the names (the add failed half-way), remove whatever appeared since.
        const names = added ?? this.names().filter((n) => !before.has(n));
        for (const n of names) await this.ifExists(n, () => this.rt.cluster.removeNode(n));
      }, async () => {
        added = await this.rt.cluster.addNodes(specs);
        const names = added;
        await this.seen((st) => names.every((n) => usable(st.nodes.get(`/${n}`))), `nodes ${names.join(', ')} Ready and untainted`);
        return { names };
      }),
    );
  }

  /** Removes a node: `drain: true` cordons and evicts its pods first (as before decommissioning). No undo: the machine is gone. */
  async remove(name: string, opts: { drain?: boolean; drainTimeout?: Duration } = {}): Promise<ActionRecord> {
    await this.known(name);
    const drainTimeoutMs = opts.drainTimeout === undefined ? undefined : this.duration(opts.drainTimeout, 'drainTimeout');
    return this.act('node.remove', `${opts.drain ? 'drain and ' : ''}remove node ${name}`, async () => {
      if (opts.drain) await drainNode(this.rt.cluster.kube, name, { timeoutMs: drainTimeoutMs });
      await this.rt.cluster.removeNode(name);
      await this.seen((st) => !st.nodes.has(`/${name}`), `node ${name} deleted`);
      return {};
    });
  }

  /** Adds (or replaces, by key and effect) a taint; undo restores the node's taint of that key and effect, or removes it. */
  async taint(name: string, taint: V1Taint): Promise<ActionRecord> {
    const node = await this.known(name);
    const previous = node.spec?.taints?.find((x) => x.key === taint.key && x.effect === taint.effect);
    const kube = this.rt.cluster.kube;
    return this.act('node.taint', `taint ${name} ${taint.key}${taint.value ? `=${taint.value}` : ''}:${taint.effect}`, () =>
      withUndo(this.rt.undo, previous ? `restore taint ${taint.key}:${taint.effect} of ${name}` : `untaint ${name} ${taint.key}:${taint.effect}`,
        () => this.ifExists(name, () => (previous ? taintNode(kube, name, previous) : untaintNode(kube, name, taint.key, taint.effect as TaintEffect))),
        async () => {
          await taintNode(kube, name, taint);
          await this.seen((st) => !!st.nodes.get(`/${name}`)?.spec?.taints?.some((x) => x.key === taint.key && x.effect === taint.effect), `taint ${taint.key} on ${name}`);
          return {};
        },
        { type: 'node-taint', node: name, key: taint.key, effect: taint.effect, before: previous ? [bareTaint(previous)] : [], set: [bareTaint(taint)] }),
    );
  }

  /** Removes the node's taints with this key (and effect); undo puts them back. */
  async untaint(name: string, key: string, effect?: TaintEffect): Promise<ActionRecord> {
    const node = await this.known(name);
    const removed = (node.spec?.taints ?? []).filter((t) => t.key === key && (!effect || t.effect === effect));
    const kube = this.rt.cluster.kube;
    return this.act('node.untaint', `untaint ${name} ${key}${effect ? `:${effect}` : ''}`, () =>
      withUndo(this.rt.undo, `re-taint ${name} ${removed.map((t) => `${t.key}:${t.effect}`).join(', ') || '(nothing removed)'}`,
        () => this.ifExists(name, async () => { for (const t of removed) await taintNode(kube, name, t); }),
        async () => {
          await untaintNode(kube, name, key, effect);
          await this.seen((st) => !st.nodes.get(`/${name}`)?.spec?.taints?.some((x) => x.key === key && (!effect || x.effect === effect)), `taint ${key} gone from ${name}`);
          return {};
        },
        { type: 'node-taint', node: name, key, effect, before: removed.map(bareTaint), set: [] }),
    );
  }

  /** Sets labels; undo restores the previous values (removing labels that were not there). */
  async label(name: string, labels: Record<string, string>): Promise<ActionRecord> {
    const node = await this.known(name);
    return this.relabel(node, labels, `label ${name} ${Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',')}`, 'node.label');
  }

  /** Removes labels; undo restores them. */
  async unlabel(name: string, ...keys: string[]): Promise<ActionRecord> {
    const node = await this.known(name);
    return this.relabel(node, Object.fromEntries(keys.map((k) => [k, null])), `unlabel ${name} ${keys.join(',')}`, 'node.unlabel');
  }

  /** Marks the node unschedulable; undo restores what it was. */
  async cordon(name: string): Promise<ActionRecord> {
    return this.setUnschedulable(name, true, `cordon ${name}`, 'node.cordon');
  }

  /** Marks the node schedulable; undo restores what it was. */
  async uncordon(name: string): Promise<ActionRecord> {
    return this.setUnschedulable(name, false, `uncordon ${name}`, 'node.uncordon');
  }

  /** Cordons and evicts every non-DaemonSet pod, honouring PodDisruptionBudgets; undo restores schedulability (evicted pods are not brought back). */
  async drain(name: string, opts: { timeout?: Duration } = {}): Promise<ActionRecord & { evicted: string[] }> {
    const node = await this.known(name);
    const timeoutMs = opts.timeout === undefined ? undefined : this.duration(opts.timeout, 'drain timeout');
    return this.act('node.drain', `drain ${name}`, () =>
      withUndo(this.rt.undo, `restore schedulability of ${name}`, this.restoreUnschedulable(node), () => drainNode(this.rt.cluster.kube, name, { timeoutMs }),
        { type: 'node-unschedulable', node: name, before: !!node.spec?.unschedulable, set: true }),
    );
  }

  /** Makes the node's kubelet report NotReady; undo recovers it. */
  async fail(name: string): Promise<ActionRecord> {
    await this.known(name);
    return this.act('node.fail', `fail ${name} (NotReady)`, () =>
      withUndo(this.rt.undo, `recover ${name}`, () => this.ifExists(name, () => this.rt.cluster.recoverNode(name)), async () => {
        await this.rt.cluster.failNode(name);
        await this.seen((st) => ['False', 'Unknown'].includes(readyOf(st.nodes.get(`/${name}`))), `${name} NotReady`);
        return {};
      }),
    );
  }

  /** Brings a failed node back and waits until it is usable again (Ready, not-ready taint lifted). */
  async recover(name: string): Promise<ActionRecord> {
    await this.known(name);
    return this.act('node.recover', `recover ${name}`, async () => {
      await this.rt.cluster.recoverNode(name);
      await this.seen((st) => usable(st.nodes.get(`/${name}`)), `${name} Ready and untainted`);
      return {};
    });
  }

  private async relabel(node: V1Node, labels: Record<string, string | null>, description: string, kind: string): Promise<ActionRecord> {
    const name = node.metadata!.name!;
    const before = Object.fromEntries(Object.keys(labels).map((k) => [k, node.metadata?.labels?.[k] ?? null]));
    const kube = this.rt.cluster.kube;
    return this.act(kind, description, () =>
      withUndo(this.rt.undo, `restore labels ${Object.keys(labels).join(',')} of ${name}`, () => this.ifExists(name, () => labelNode(kube, name, before)), async () => {
        await labelNode(kube, name, labels);
        await this.seen((st) => Object.entries(labels).every(([k, v]) => (st.nodes.get(`/${name}`)?.metadata?.labels?.[k] ?? null) === v), `labels on ${name}`);
        return {};
      }, { type: 'node-labels', node: name, before, set: labels }),
    );
  }

  private async setUnschedulable(name: string, unschedulable: boolean, description: string, kind: string): Promise<ActionRecord> {
    const node = await this.known(name);
    return this.act(kind, description, () =>
      withUndo(this.rt.undo, `restore schedulability of ${name}`, this.restoreUnschedulable(node), async () => {
        await cordonNode(this.rt.cluster.kube, name, unschedulable);
        await this.seen((st) => !!st.nodes.get(`/${name}`)?.spec?.unschedulable === unschedulable, `${name} ${unschedulable ? 'cordoned' : 'uncordoned'}`);
        return {};
      }, { type: 'node-unschedulable', node: name, before: !!node.spec?.unschedulable, set: unschedulable }),
    );
  }

  private restoreUnschedulable(node: V1Node): () => Promise<void> {
    const name = node.metadata!.name!;
    const was = !!node.spec?.unschedulable;
    return () => this.ifExists(name, () => cordonNode(this.rt.cluster.kube, name, was));
  }

  /** Runs an undo on a node unless the node is gone (a later action removed it): nothing left to restore. */
  private async ifExists(name: string, fn: () => Promise<void>): Promise<void> {
    try {
      await getNode(this.rt.cluster.kube, name);
    } catch (err) {
      if (err instanceof UsageError) return;
      throw err;
    }
    await fn();
  }

  private seen(predicate: (st: RecorderState) => boolean, what: string): Promise<void> {
    return this.rt.recorder.until(predicate, what);
  }

  private duration(d: Duration, field: string): number {
    return durationIn(this.rt.file, d, field);
  }

  /** The node, or a usage error naming the scenario file and the unknown node. */
  private async known(name: string): Promise<V1Node> {
    try {
      return await getNode(this.rt.cluster.kube, name);
    } catch (err) {
      if (err instanceof UsageError) throw new UsageError(`${this.rt.file}: node "${name}" does not exist (nodes: ${this.names().join(', ')})`);
      throw err;
    }
  }
}

/** A taint as the journal keeps it: the API server's timeAdded is not part of what is restored. */
function bareTaint(t: V1Taint): V1Taint {
  return { key: t.key, ...(t.value ? { value: t.value } : {}), effect: t.effect };
}

function usable(node: V1Node | undefined): boolean {
  return !!node && isNodeUsable(node);
}

function readyOf(node: V1Node | undefined): string {
  return node ? nodeReadyStatus(node) : 'Missing';
}
