// The rolling-update budget judged change by change: per-node states kept up to date, so a change
// re-classifies only the nodes it touched (the pod's target node, the node itself) and the verdict
// comes from counts. Classification is update-state.ts classifyNode, the verdict invariants.ts
// budgetJudgement: the same rules as unavailableWithinBudget over a whole snapshot, which a unit
// test checks change by change. A change of the DaemonSet's template facts or current revision
// re-classifies every node; with minReadySeconds, nodes whose pod waits out its minReadySeconds are
// re-classified as time passes.
import type { KubernetesObject, V1ControllerRevision, V1DaemonSet, V1Node, V1Pod } from '@kubernetes/client-node';
import { rollingBudget } from './budget.js';
import { byAge, currentRevision, currentTemplateHash, isPodReady, isTerminating, podRevisionHash, targetNodeName } from './daemon-pods.js';
import { nodeShouldRunDaemonPod } from './eligibility.js';
import { budgetJudgement } from './invariants.js';
import type { Judgement } from './judgement.js';
import { isOwnedBy } from './ownership.js';
import { classifyNode, type ClassifyContext, type NodeUpdateState } from './update-state.js';

/** One change of a watched object, as a recorder sees it; `atMs` dates the evidence lines. */
export interface ObjectChange {
  kind: string;
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | string;
  object: KubernetesObject;
  atMs?: number;
}

/** Since when a node has counted against the budget, and the change that made it so. */
interface Since {
  atMs: number;
  cause: string;
}

const keyOf = (o: KubernetesObject) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

/** A judge kept up to date change by change instead of re-judging whole snapshots (t.invariant uses it). */
export interface IncrementalJudge {
  apply(c: ObjectChange): void;
  /** The verdict for the changes fed so far at wall-clock `now`, or undefined before the object is seen. */
  judge(now: number): Judgement | undefined;
}

export class BudgetTracker implements IncrementalJudge {
  /** Nodes in the order the recorder first saw them (a snapshot lists them so). */
  private readonly nodes = new Map<string, V1Node>();
  /** Every pod of the namespace that targets a node, by node then pod key; ownership is decided when classifying. */
  private readonly podsOn = new Map<string, Map<string, V1Pod>>();
  private readonly podTarget = new Map<string, string>();
  private readonly revisions = new Map<string, V1ControllerRevision>();
  private ds?: V1DaemonSet;
  /** The DaemonSet facts every node's state depends on; when they change, every node is re-classified. */
  private facts?: string;
  private hash?: string;
  private dsChanged = true;
  private surge = false;
  /** Classified eligible nodes; ineligible nodes are absent. */
  private readonly states = new Map<string, NodeUpdateState>();
  private readonly dirty = new Set<string>();
  /** Every node must be re-classified, and why (the evidence says it). */
  private allDirty: string | false = 'when the invariant started';
  /** Nodes whose pod is Ready but not yet for minReadySeconds: time alone can make them available. */
  private readonly waiting = new Set<string>();
  private unavailable = 0;
  private surging = 0;
  private readonly since = new Map<string, Since>();
  /** Why each dirty node was touched last, for the evidence of a broken budget. */
  private readonly causes = new Map<string, Since>();
  private lastNow?: number;

  constructor(readonly namespace: string, readonly name: string) {}

  /** Feeds one change; Events and changes of other DaemonSets are ignored. */
  apply(c: ObjectChange): void {
    const at = c.atMs ?? this.lastAt;
    this.lastAt = at;
    const obj = c.object;
    const gone = c.type === 'DELETED';
    switch (c.kind) {
      case 'Node': {
        const name = obj.metadata?.name ?? '';
        if (gone) this.nodes.delete(name);
        else this.nodes.set(name, obj as V1Node);
        this.touch(name, at, gone ? 'node deleted' : c.type === 'ADDED' ? 'node added' : 'node changed');
        return;
      }
      case 'Pod': {
        const key = keyOf(obj);
        const before = this.podTarget.get(key);
        if (before !== undefined) {
          this.podsOn.get(before)?.delete(key);
          this.podTarget.delete(key);
          this.touch(before, at, this.podCause(c));
        }
        const target = gone ? undefined : targetNodeName(obj as V1Pod);
        if (target === undefined) return;
        let pods = this.podsOn.get(target);
        if (!pods) this.podsOn.set(target, (pods = new Map()));
        pods.set(key, obj as V1Pod);
        this.podTarget.set(key, target);
        // A hash no revision seen has means the current revision changed (currentTemplateHash).
        const h = podRevisionHash(obj as V1Pod);
        if (h && !this.hashesSeen.has(h)) {
          this.hashesSeen.add(h);
          this.dsChanged = true;
        }
        this.touch(target, at, this.podCause(c));
        return;
      }
      case 'DaemonSet': {
        if (obj.metadata?.name !== this.name || (obj.metadata?.namespace ?? this.namespace) !== this.namespace) return;
        this.ds = gone ? undefined : (obj as V1DaemonSet);
        this.dsChanged = true;
        return;
      }
      case 'ControllerRevision': {
        if (gone) this.revisions.delete(keyOf(obj));
        else this.revisions.set(keyOf(obj), obj as V1ControllerRevision);
        this.dsChanged = true;
        return;
      }
      default:
    }
  }

  /**
   * The budget verdict for the state fed so far, at wall-clock time `now` (epoch ms), or undefined
   * before the DaemonSet has been seen. Throws TypeError for an invalid update strategy, as rollingBudget does.
   */
  judge(now: number): Judgement | undefined {
    const ds = this.ds;
    if (!ds) return undefined;
    if (this.dsChanged) {
      this.dsChanged = false;
      this.revisionList = [...this.revisions.values()];
      const hash = currentTemplateHash(currentRevision({ daemonSet: ds, nodes: [], pods: [], revisions: this.revisionList, now }), this.revisionList, ds, this.liveHashes(ds));
      // With any eligible node, the surge mode is whether maxSurge scales above 0 (update.go maxSurge == 0).
      this.surge = rollingBudget(ds, 1).maxSurge > 0;
      const spec = ds.spec?.template?.spec;
      const facts = JSON.stringify([ds.metadata?.uid, ds.metadata?.name, ds.spec?.selector, spec?.nodeName, spec?.nodeSelector, spec?.affinity?.nodeAffinity,
        spec?.tolerations, spec?.hostNetwork, ds.metadata?.annotations?.['deprecated.daemonset.template.generation'], ds.spec?.minReadySeconds,
        this.surge, hash, this.revisionList.length]);
      if (facts !== this.facts) {
        this.allDirty = this.facts === undefined ? 'when the invariant started' : 'the DaemonSet or its revisions changed';
        this.facts = facts;
        this.hash = hash;
      }
    }
    if (now !== this.lastNow) {
      for (const n of this.waiting) this.dirty.add(n);
      this.lastNow = now;
    }
    const minReadySeconds = ds.spec?.minReadySeconds ?? 0;
    const c: ClassifyContext = { ds, hash: this.hash, minReadySeconds, now, surge: this.surge, describe: { daemonSet: ds, revisions: this.revisionList, now } };
    const everything = this.allDirty;
    const names = everything ? [...this.nodes.keys(), ...[...this.states.keys()].filter((n) => !this.nodes.has(n))] : [...this.dirty];
    this.allDirty = false;
    this.dirty.clear();
    for (const name of names) this.classify(name, c, minReadySeconds, everything || undefined);
    const budget = rollingBudget(ds, this.states.size);
    return budgetJudgement(budget, this.states.size, this.unavailable, this.surging, () => this.ordered(), () => this.evidence());
  }

  private revisionList: V1ControllerRevision[] = [];
  /** Every template hash seen on a pod: a new one may be a revision not seen yet. */
  private readonly hashesSeen = new Set<string>();

  /** Hashes of the DaemonSet's live (not terminating) pods; only read when the DaemonSet, its revisions or a new hash changed. */
  private *liveHashes(ds: V1DaemonSet): Iterable<string> {
    for (const pods of this.podsOn.values()) {
      for (const p of pods.values()) if (!isTerminating(p) && isOwnedBy(p.metadata, ds)) yield podRevisionHash(p) ?? '';
    }
  }

  private classify(name: string, c: ClassifyContext, minReadySeconds: number, why?: string): void {
    const old = this.states.get(name);
    if (old) {
      if (old.unavailable) this.unavailable--;
      if (old.surging) this.surging--;
      this.states.delete(name);
    }
    this.waiting.delete(name);
    const node = this.nodes.get(name);
    const cause = this.causes.get(name);
    this.causes.delete(name);
    if (!node || !nodeShouldRunDaemonPod(node, c.ds).shouldRun) {
      this.since.delete(name);
      return;
    }
    const pods = [...(this.podsOn.get(name)?.values() ?? [])]
      .filter((p) => isOwnedBy(p.metadata, c.ds) && !(isTerminal(p) && isTerminating(p)))
      .sort(byAge);
    const s = classifyNode(name, pods, c);
    // Keep the snapshot's order: a node re-classified stays where the recorder listed it.
    this.states.set(name, s);
    if (s.unavailable) this.unavailable++;
    if (s.surging) this.surging++;
    if (minReadySeconds > 0 && pods.some((p) => isPodReady(p) && !isTerminating(p))) this.waiting.add(name);
    if (s.unavailable || s.surging) {
      if (!this.since.has(name)) this.since.set(name, cause ?? { atMs: this.lastAt, cause: why ?? 'as time passed' });
    } else {
      this.since.delete(name);
    }
  }

  private lastAt = 0;

  private touch(node: string, atMs: number, cause: string): void {
    this.dirty.add(node);
    this.causes.set(node, { atMs, cause });
  }

  private podCause(c: ObjectChange): string {
    const pod = c.object as V1Pod;
    const name = `pod ${pod.metadata?.name ?? '?'}`;
    if (c.type === 'DELETED') return `${name} removed`;
    if (c.type === 'ADDED') return `${name} created`;
    return isTerminating(pod) ? `${name} deleted (Terminating)` : `${name} changed`;
  }

  /** Eligible node states in the recorder's node order (as a snapshot would list them). */
  private ordered(): NodeUpdateState[] {
    const out: NodeUpdateState[] = [];
    for (const name of this.nodes.keys()) {
      const s = this.states.get(name);
      if (s) out.push(s);
    }
    return out;
  }

  /** When each node that counts against the budget started to, oldest first: which deletions, in which order. */
  private evidence(): string[] {
    const lines = [...this.since].sort((a, b) => a[1].atMs - b[1].atMs)
      .map(([node, s]) => `+${(s.atMs / 1000).toFixed(3)}s ${node}: ${s.cause}`);
    return lines.length ? [`in order, since when each of them counts: ${lines.join('; ')}`] : [];
  }
}

function isTerminal(p: V1Pod): boolean {
  return p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded';
}
