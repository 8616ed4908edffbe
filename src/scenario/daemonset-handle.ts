// A DaemonSet under test: workload chaos (image, patch, rollback, pod faults) and expectations.
import type { V1Affinity, V1DaemonSet, V1DaemonSetUpdateStrategy, V1Pod, V1Toleration } from '@kubernetes/client-node';
import {
  judgeCoverage, judgeRolloutHalted, kubectlRolloutStatus, unavailableWithinBudget, daemonPodsByNode,
  type ClusterSnapshot, type CoverageOptions, type Judgement,
} from '../expect/index.js';
import { ignoreNotFound, mergePatch, strategicPatch } from '../kube/kube-client.js';
import type { BadImageKind } from '../providers/cluster.js';
import type { RecorderState } from '../observe/recorder.js';
import { UsageError } from '../util/errors.js';
import { Expectation, type ExpectationHost } from './expectation.js';
import type { Act } from './node-chaos.js';
import type { ActionRecord, ScenarioRuntime } from './scenario-runtime.js';

/** Fields `patch()` accepts, mapped onto the DaemonSet spec. */
export interface DaemonSetChanges {
  updateStrategy?: V1DaemonSetUpdateStrategy;
  /** Shorthand for updateStrategy RollingUpdate with these budgets. */
  maxUnavailable?: number | string;
  maxSurge?: number | string;
  minReadySeconds?: number;
  /** Replaces the pod template's nodeSelector (null removes it). */
  nodeSelector?: Record<string, string> | null;
  affinity?: V1Affinity | null;
  tolerations?: V1Toleration[] | null;
}

export class DaemonSetHandle {
  constructor(
    private readonly rt: ScenarioRuntime,
    private readonly act: Act,
    private readonly host: ExpectationHost,
    readonly name: string,
  ) {}

  get namespace(): string {
    return this.rt.namespace;
  }

  /** The DaemonSet as last seen by the recorder. */
  current(): V1DaemonSet {
    const ds = this.rt.recorder.state.daemonSets.get(`${this.namespace}/${this.name}`);
    if (!ds) throw new Error(`DaemonSet ${this.name} not seen yet`);
    return ds;
  }

  /** Everything the judgements need, from the recorder's state (or a replayed one). */
  snapshot(state: RecorderState = this.rt.recorder.state, now = this.rt.recorder.epochAtStart + this.rt.recorder.now()): ClusterSnapshot | undefined {
    const daemonSet = state.daemonSets.get(`${this.namespace}/${this.name}`);
    if (!daemonSet) return undefined;
    return { daemonSet, nodes: [...state.nodes.values()], pods: [...state.pods.values()], revisions: [...state.revisions.values()], now };
  }

  /** The daemon pods per node right now. */
  podsByNode(): Map<string, V1Pod[]> {
    const s = this.snapshot();
    return s ? daemonPodsByNode(s) : new Map();
  }

  /** A custom expectation over the snapshot. */
  expect(name: string, expected: string, judge: (s: ClusterSnapshot) => Judgement): Expectation {
    const tick = (this.rt.recorder.state.daemonSets.get(`${this.namespace}/${this.name}`)?.spec?.minReadySeconds ?? 0) > 0 ? 500 : undefined;
    return new Expectation(this.host, name, expected, (state, now) => {
      const s = this.snapshot(state, now);
      return s ? judge(s) : { ok: false, summary: `DaemonSet ${this.name} not seen yet`, nodes: [], problems: [`DaemonSet ${this.name} not seen yet`] };
    }, tick);
  }

  /** Every eligible node runs exactly one available pod of the current revision; nothing elsewhere; status agrees. */
  expectCoverage(opts: CoverageOptions = {}): Expectation {
    return this.expect(`coverage of ${this.name}`, 'exactly one available pod of the current revision on every eligible node, none elsewhere, status counters agree', (s) => judgeCoverage(s, opts));
  }

  /** `kubectl rollout status daemonset` would say the rollout is done. */
  expectRolloutComplete(): Expectation {
    return this.expect(`rollout of ${this.name} complete`, 'kubectl rollout status: successfully rolled out', (s) => {
      const r = kubectlRolloutStatus(s.daemonSet);
      const ok = r.done && !r.error;
      return { ok, summary: r.error ?? r.message, nodes: [], problems: ok ? [] : [r.error ?? r.message] };
    });
  }

  /** The broken rollout stopped within its budget and the other nodes keep available old pods. Use `.within(d, { stableFor })`. */
  expectRolloutHalted(): Expectation {
    return this.expect(`rollout of ${this.name} halted within budget`, 'unavailable nodes within maxUnavailable/maxSurge, old pods elsewhere available, rollout not progressing', judgeRolloutHalted);
  }

  /** Judge for t.invariant: never more nodes without an available pod than the rolling-update budget. */
  readonly withinBudget = (s: ClusterSnapshot): Judgement => unavailableWithinBudget(s);

  /** Sets a container's image (the first container unless named). */
  async setImage(image: string, container?: string): Promise<ActionRecord> {
    const ds = this.current();
    const c = container ?? ds.spec?.template.spec?.containers[0]?.name;
    if (!ds.spec?.template.spec?.containers.some((x) => x.name === c)) throw new UsageError(`${this.rt.file}: DaemonSet ${this.name} has no container "${container}"`);
    return this.act('daemonset.setImage', `set image of ${this.name}/${c} to ${image}`, async () => {
      const updated = await this.rt.cluster.kube.apps.patchNamespacedDaemonSet(
        { name: this.name, namespace: this.namespace, body: { spec: { template: { spec: { containers: [{ name: c, image }] } } } } },
        strategicPatch,
      );
      await this.seenGeneration(updated);
      return {};
    });
  }

  /** Pushes a broken image of the given kind (pull-error, crash-loop, never-ready). */
  async badImage(kind: BadImageKind, container?: string): Promise<ActionRecord> {
    if (!['pull-error', 'crash-loop', 'never-ready'].includes(kind)) throw new UsageError(`${this.rt.file}: badImage: "${kind}" is not one of pull-error, crash-loop, never-ready`);
    return this.setImage(this.rt.cluster.badImage(kind), container);
  }

  /** Changes update strategy, budgets, minReadySeconds, nodeSelector, affinity or tolerations. */
  async patch(changes: DaemonSetChanges): Promise<ActionRecord> {
    const spec: Record<string, unknown> = {};
    const pod: Record<string, unknown> = {};
    if (changes.updateStrategy) spec.updateStrategy = changes.updateStrategy;
    if (changes.maxUnavailable !== undefined || changes.maxSurge !== undefined) {
      spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: changes.maxUnavailable ?? 0, maxSurge: changes.maxSurge ?? 0 } };
    }
    if (changes.minReadySeconds !== undefined) spec.minReadySeconds = changes.minReadySeconds;
    if (changes.nodeSelector !== undefined) {
      // Merge patch merges maps: null out keys the new selector drops, so it replaces the old one.
      const old = this.current().spec?.template.spec?.nodeSelector ?? {};
      pod.nodeSelector = changes.nodeSelector === null ? null : { ...Object.fromEntries(Object.keys(old).map((k) => [k, null])), ...changes.nodeSelector };
    }
    if (changes.affinity !== undefined) pod.affinity = changes.affinity;
    if (changes.tolerations !== undefined) pod.tolerations = changes.tolerations;
    if (Object.keys(pod).length) spec.template = { spec: pod };
    const keys = Object.keys(changes);
    return this.act('daemonset.patch', `patch ${this.name}: ${keys.join(', ')}`, async () => {
      // JSON merge patch: maps merge, lists (tolerations) and nulls replace/remove, as a user expects.
      const updated = await this.rt.cluster.kube.apps.patchNamespacedDaemonSet({ name: this.name, namespace: this.namespace, body: { spec } }, mergePatch);
      await this.seenGeneration(updated);
      return {};
    });
  }

  /**
   * Rolls back as `kubectl rollout undo` does: applies the stored template of the previous
   * revision (or `toRevision`) from its ControllerRevision.
   */
  async rollback(toRevision?: number): Promise<ActionRecord & { revision: number }> {
    const s = this.snapshot();
    if (!s) throw new Error(`DaemonSet ${this.name} not seen yet`);
    const uid = s.daemonSet.metadata?.uid;
    const history = s.revisions
      .filter((r) => r.metadata?.ownerReferences?.some((o) => o.uid === uid))
      .sort((a, b) => Number(a.revision) - Number(b.revision));
    if (history.length < 2 && toRevision === undefined) throw new UsageError(`${this.rt.file}: rollback of ${this.name}: no previous revision`);
    const target = toRevision === undefined ? history[history.length - 2] : history.find((r) => Number(r.revision) === toRevision);
    if (!target) throw new UsageError(`${this.rt.file}: rollback of ${this.name}: revision ${toRevision} not found (have ${history.map((r) => r.revision).join(', ')})`);
    const revision = Number(target.revision);
    return this.act('daemonset.rollback', `roll back ${this.name} to revision ${revision}`, async () => {
      const updated = await this.rt.cluster.kube.apps.patchNamespacedDaemonSet({ name: this.name, namespace: this.namespace, body: target.data as object }, strategicPatch);
      await this.seenGeneration(updated);
      return { revision };
    });
  }

  /** Deletes the daemon pod on a node behind the controller's back. */
  async deletePod(node: string): Promise<ActionRecord & { pod: string }> {
    const pod = this.podOn(node);
    return this.act('pod.delete', `delete pod ${pod} on ${node}`, async () => {
      await ignoreNotFound(() => this.rt.cluster.kube.core.deleteNamespacedPod({ name: pod, namespace: this.namespace }));
      await this.rt.recorder.until((st) => { const p = st.pods.get(`${this.namespace}/${pod}`); return !p || !!p.metadata?.deletionTimestamp; }, `pod ${pod} deleted`);
      return { pod };
    });
  }

  /** Makes the daemon pod on a node fail (its container dies: phase Failed). */
  async failPod(node: string): Promise<ActionRecord & { pod: string }> {
    const pod = this.podOn(node);
    return this.act('pod.fail', `fail pod ${pod} on ${node}`, async () => {
      await this.rt.cluster.failPod(this.namespace, pod);
      return { pod };
    });
  }

  /** Waits until the recorder has seen the DaemonSet at (at least) the patched generation. */
  private seenGeneration(updated: V1DaemonSet): Promise<void> {
    const gen = updated.metadata?.generation ?? 0;
    return this.rt.recorder.until((st) => (st.daemonSets.get(`${this.namespace}/${this.name}`)?.metadata?.generation ?? 0) >= gen, `DaemonSet ${this.name} generation ${gen}`);
  }

  private podOn(node: string): string {
    const pods = (this.podsByNode().get(node) ?? []).filter((p) => !p.metadata?.deletionTimestamp);
    if (!this.rt.recorder.state.nodes.has(`/${node}`)) throw new UsageError(`${this.rt.file}: node "${node}" does not exist`);
    if (!pods.length) throw new UsageError(`${this.rt.file}: DaemonSet ${this.name} has no pod on node "${node}"`);
    return pods[0]!.metadata!.name!;
  }
}
