// Workload chaos on one DaemonSet: image changes, spec patches, rollback, pod faults. Each action
// is recorded on the timeline and waits until the recorder has seen its effect.
import type { V1Affinity, V1ControllerRevision, V1DaemonSet, V1DaemonSetUpdateStrategy, V1Node, V1Pod, V1Toleration } from '@kubernetes/client-node';
import { daemonPodsByNode, type ClusterSnapshot } from '../expect/index.js';
import { ignoreNotFound, mergePatch, strategicPatch } from '../kube/kube-client.js';
import { BAD_IMAGE_KINDS, type BadImageKind } from '../providers/cluster.js';
import type { RecorderState } from '../observe/recorder.js';
import { UsageError } from '../util/errors.js';
import type { Act, ActionRecord, ChaosRuntime } from './chaos-runtime.js';

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

/**
 * The chaos a scenario can do to one DaemonSet in its namespace, and what the recorder last saw
 * of it. The scenario's DaemonSetHandle adds expectations on top.
 */
export class WorkloadChaos {
  constructor(
    protected readonly rt: ChaosRuntime,
    protected readonly act: Act,
    /** The DaemonSet's name in the scenario's namespace. */
    readonly name: string,
  ) {}

  /** The scenario's namespace, where the DaemonSet runs. */
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
    // The lists are built when a judge first reads one: kubectl's rule reads only the DaemonSet.
    let lists: Pick<ClusterSnapshot, 'nodes' | 'pods' | 'revisions'> | undefined;
    const get = () => (lists ??= this.lists(state));
    return {
      daemonSet, now,
      get nodes() { return get().nodes; },
      get pods() { return get().pods; },
      get revisions() { return get().revisions; },
    };
  }

  private cached?: { version: number; lists: Pick<ClusterSnapshot, 'nodes' | 'pods' | 'revisions'> };

  /**
   * The state's objects as lists. For the live state they are built once per recorder change and
   * frozen, so every judge of that change shares them (and the views derived from them).
   */
  private lists(state: RecorderState): Pick<ClusterSnapshot, 'nodes' | 'pods' | 'revisions'> {
    const build = () => ({ nodes: [...state.nodes.values()], pods: [...state.pods.values()], revisions: [...state.revisions.values()] });
    const rec = this.rt.recorder;
    if (state !== rec.state) return build();
    if (this.cached?.version !== rec.stateVersion) {
      const l = build();
      this.cached = { version: rec.stateVersion, lists: { nodes: Object.freeze(l.nodes) as V1Node[], pods: Object.freeze(l.pods) as V1Pod[], revisions: Object.freeze(l.revisions) as V1ControllerRevision[] } };
    }
    return this.cached.lists;
  }

  /** The daemon pods per node right now. */
  podsByNode(): Map<string, V1Pod[]> {
    const s = this.snapshot();
    return s ? daemonPodsByNode(s) : new Map();
  }

  /** Sets a container's image (the first container unless named). */
  async setImage(image: string, container?: string): Promise<ActionRecord> {
    const ds = this.current();
    const c = container ?? ds.spec?.template.spec?.containers[0]?.name;
    if (!ds.spec?.template.spec?.containers.some((x) => x.name === c)) throw new UsageError(`${this.rt.file}: DaemonSet ${this.name} has no container "${container}"`);
    return this.act('daemonset.setImage', `set image of ${this.name}/${c} to ${image}`, async () => {
      this.inNamespace(`set image of DaemonSet ${this.name}/${c} to ${image}`);
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
    if (!BAD_IMAGE_KINDS.includes(kind)) throw new UsageError(`${this.rt.file}: badImage: "${kind}" is not one of ${BAD_IMAGE_KINDS.join(', ')}`);
    const spec = this.current().spec?.template.spec?.containers;
    // The provider may need the container it replaces (on kind, never-ready needs its readiness probe).
    const target = spec?.find((c) => c.name === (container ?? spec[0]?.name));
    return this.setImage(this.rt.cluster.badImage(kind, target), container);
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
    return this.act('daemonset.patch', `patch ${this.name}: ${Object.keys(changes).join(', ')}`, async () => {
      this.inNamespace(`patched DaemonSet ${this.name}: ${Object.keys(changes).join(', ')}`);
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
      this.inNamespace(`rolled back DaemonSet ${this.name} to revision ${revision}`);
      const updated = await this.rt.cluster.kube.apps.patchNamespacedDaemonSet({ name: this.name, namespace: this.namespace, body: target.data as object }, strategicPatch);
      await this.seenGeneration(updated);
      return { revision };
    });
  }

  /** Deletes the daemon pod on a node behind the controller's back. */
  async deletePod(node: string): Promise<ActionRecord & { pod: string }> {
    const pod = this.podOn(node);
    return this.act('pod.delete', `delete pod ${pod} on ${node}`, async () => {
      this.inNamespace(`deleted pod ${pod} on ${node}`);
      await ignoreNotFound(() => this.rt.cluster.kube.core.deleteNamespacedPod({ name: pod, namespace: this.namespace }));
      await this.rt.recorder.until((st) => { const p = st.pods.get(`${this.namespace}/${pod}`); return !p || !!p.metadata?.deletionTimestamp; }, `pod ${pod} deleted`);
      return { pod };
    });
  }

  /** Makes the daemon pod on a node fail (its container dies: phase Failed). */
  async failPod(node: string): Promise<ActionRecord & { pod: string }> {
    const pod = this.podOn(node);
    return this.act('pod.fail', `fail pod ${pod} on ${node}`, async () => {
      this.inNamespace(`failed pod ${pod} on ${node}`);
      await this.rt.cluster.failPod(this.namespace, pod);
      return { pod };
    });
  }

  /** Journals a change to this namespace's objects (on an existing cluster): deleting the namespace reverts it. */
  private inNamespace(what: string): void {
    this.rt.undo.note?.(what, { type: 'in-namespace', namespace: this.namespace, what });
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
