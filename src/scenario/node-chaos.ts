// Node chaos for scenarios: every action is recorded on the timeline and registers its undo.
import type { V1Taint } from '@kubernetes/client-node';
import { cordonNode, drainNode, getNode, labelNode, taintNode, untaintNode, type TaintEffect } from '../chaos/node-api.js';
import type { NodeSpec } from '../providers/cluster.js';
import { UsageError } from '../util/errors.js';
import { parseDuration, type Duration } from '../util/duration.js';
import type { ActionRecord, ScenarioRuntime } from './scenario-runtime.js';
import type { RecorderState } from '../observe/recorder.js';
import { isNodeUsable } from '../providers/node-conditions.js';
import type { V1Node } from '@kubernetes/client-node';

function usable(node: V1Node | undefined): boolean {
  return !!node && isNodeUsable(node);
}

function ready(node: V1Node | undefined): string | undefined {
  return node?.status?.conditions?.find((c) => c.type === 'Ready')?.status;
}

export type Act = <T>(kind: string, description: string, fn: () => Promise<T>) => Promise<T & ActionRecord>;

export interface AddedNodes extends ActionRecord {
  names: string[];
}

export class NodeChaos {
  constructor(private readonly rt: ScenarioRuntime, private readonly act: Act) {}

  /** Names of the nodes in the cluster right now (from the recorder). */
  names(): string[] {
    return [...this.rt.recorder.state.nodes.values()].map((n) => n.metadata!.name!).sort();
  }

  /** Adds nodes (a count, or specs with name/labels/taints); undo removes them. */
  async add(what: number | NodeSpec | NodeSpec[] = 1): Promise<AddedNodes> {
    const specs: NodeSpec[] = typeof what === "number" ? Array.from({ length: what }, () => ({})) : Array.isArray(what) ? what : [what];
    return this.act('node.add', `add ${specs.length} node(s)${specs.some((s) => s.name) ? ` ${specs.map((s) => s.name ?? '?').join(', ')}` : ''}`, async () => {
      const names = await this.rt.cluster.addNodes(specs);
      await this.seen((st) => names.every((n) => usable(st.nodes.get(`/${n}`))), `nodes ${names.join(', ')} Ready and untainted`);
      for (const n of names) this.rt.undo.push(`remove node ${n}`, () => this.rt.cluster.removeNode(n).catch(() => {}));
      return { names };
    });
  }

  /** Removes a node: `drain: true` cordons and evicts its pods first (as before decommissioning). */
  async remove(name: string, opts: { drain?: boolean; drainTimeout?: Duration } = {}): Promise<ActionRecord> {
    await this.known(name);
    return this.act('node.remove', `${opts.drain ? 'drain and ' : ''}remove node ${name}`, async () => {
      if (opts.drain) await drainNode(this.rt.cluster.kube, name, { timeoutMs: opts.drainTimeout ? parseDuration(opts.drainTimeout, 'drainTimeout') : undefined });
      await this.rt.cluster.removeNode(name);
      await this.seen((st) => !st.nodes.has(`/${name}`), `node ${name} deleted`);
      return {};
    });
  }

  async taint(name: string, taint: V1Taint): Promise<ActionRecord> {
    await this.known(name);
    return this.act('node.taint', `taint ${name} ${taint.key}${taint.value ? `=${taint.value}` : ''}:${taint.effect}`, async () => {
      await taintNode(this.rt.cluster.kube, name, taint);
      await this.seen((st) => !!st.nodes.get(`/${name}`)?.spec?.taints?.some((x) => x.key === taint.key && x.effect === taint.effect), `taint ${taint.key} on ${name}`);
      this.rt.undo.push(`untaint ${name} ${taint.key}:${taint.effect}`, () => untaintNode(this.rt.cluster.kube, name, taint.key, taint.effect as TaintEffect).catch(() => {}));
      return {};
    });
  }

  async untaint(name: string, key: string, effect?: TaintEffect): Promise<ActionRecord> {
    const node = await this.known(name);
    const removed = (node.spec?.taints ?? []).filter((t) => t.key === key && (!effect || t.effect === effect));
    return this.act('node.untaint', `untaint ${name} ${key}${effect ? `:${effect}` : ''}`, async () => {
      await untaintNode(this.rt.cluster.kube, name, key, effect);
      await this.seen((st) => !st.nodes.get(`/${name}`)?.spec?.taints?.some((x) => x.key === key && (!effect || x.effect === effect)), `taint ${key} gone from ${name}`);
      for (const t of removed) this.rt.undo.push(`re-taint ${name} ${t.key}:${t.effect}`, () => taintNode(this.rt.cluster.kube, name, t).catch(() => {}));
      return {};
    });
  }

  /** Sets labels; undo restores the previous values. */
  async label(name: string, labels: Record<string, string>): Promise<ActionRecord> {
    const node = await this.known(name);
    const before = Object.fromEntries(Object.keys(labels).map((k) => [k, node.metadata?.labels?.[k] ?? null]));
    return this.act('node.label', `label ${name} ${Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',')}`, async () => {
      await labelNode(this.rt.cluster.kube, name, labels);
      await this.seen((st) => Object.entries(labels).every(([k, v]) => st.nodes.get(`/${name}`)?.metadata?.labels?.[k] === v), `labels on ${name}`);
      this.rt.undo.push(`restore labels of ${name}`, () => labelNode(this.rt.cluster.kube, name, before).catch(() => {}));
      return {};
    });
  }

  async unlabel(name: string, ...keys: string[]): Promise<ActionRecord> {
    const node = await this.known(name);
    const before = Object.fromEntries(keys.map((k) => [k, node.metadata?.labels?.[k] ?? null]));
    return this.act('node.unlabel', `unlabel ${name} ${keys.join(',')}`, async () => {
      await labelNode(this.rt.cluster.kube, name, Object.fromEntries(keys.map((k) => [k, null])));
      await this.seen((st) => keys.every((k) => st.nodes.get(`/${name}`)?.metadata?.labels?.[k] === undefined), `labels gone from ${name}`);
      this.rt.undo.push(`restore labels of ${name}`, () => labelNode(this.rt.cluster.kube, name, before).catch(() => {}));
      return {};
    });
  }

  async cordon(name: string): Promise<ActionRecord> {
    await this.known(name);
    return this.act('node.cordon', `cordon ${name}`, async () => {
      await cordonNode(this.rt.cluster.kube, name, true);
      await this.seen((st) => !!st.nodes.get(`/${name}`)?.spec?.unschedulable, `${name} cordoned`);
      this.rt.undo.push(`uncordon ${name}`, () => cordonNode(this.rt.cluster.kube, name, false).catch(() => {}));
      return {};
    });
  }

  async uncordon(name: string): Promise<ActionRecord> {
    await this.known(name);
    return this.act('node.uncordon', `uncordon ${name}`, async () => {
      await cordonNode(this.rt.cluster.kube, name, false);
      await this.seen((st) => !st.nodes.get(`/${name}`)?.spec?.unschedulable, `${name} uncordoned`);
      return {};
    });
  }

  /** Cordons and evicts every non-DaemonSet pod, honouring PodDisruptionBudgets; undo uncordons. */
  async drain(name: string, opts: { timeout?: Duration } = {}): Promise<ActionRecord & { evicted: string[] }> {
    await this.known(name);
    return this.act('node.drain', `drain ${name}`, async () => {
      this.rt.undo.push(`uncordon ${name}`, () => cordonNode(this.rt.cluster.kube, name, false).catch(() => {}));
      return drainNode(this.rt.cluster.kube, name, { timeoutMs: opts.timeout ? parseDuration(opts.timeout, 'drain timeout') : undefined });
    });
  }

  /** Makes the node's kubelet report NotReady; undo recovers it. */
  async fail(name: string): Promise<ActionRecord> {
    await this.known(name);
    return this.act('node.fail', `fail ${name} (NotReady)`, async () => {
      await this.rt.cluster.failNode(name);
      await this.seen((st) => ready(st.nodes.get(`/${name}`)) === 'False', `${name} NotReady`);
      this.rt.undo.push(`recover ${name}`, () => this.rt.cluster.recoverNode(name).catch(() => {}));
      return {};
    });
  }

  async recover(name: string): Promise<ActionRecord> {
    await this.known(name);
    return this.act('node.recover', `recover ${name}`, async () => {
      await this.rt.cluster.recoverNode(name);
      await this.seen((st) => usable(st.nodes.get(`/${name}`)), `${name} Ready and untainted`);
      return {};
    });
  }

  private seen(predicate: (st: RecorderState) => boolean, what: string): Promise<void> {
    return this.rt.recorder.until(predicate, what);
  }

  /** The node, or a usage error naming the scenario file and the unknown node. */
  private async known(name: string) {
    try {
      return await getNode(this.rt.cluster.kube, name);
    } catch (err) {
      if (err instanceof UsageError) throw new UsageError(`${this.rt.file}: node "${name}" does not exist (nodes: ${this.names().join(', ')})`);
      throw err;
    }
  }
}
