// The cluster as a recording shows it at one moment: the initial twin with every change up to then applied.
import type { V1DaemonSetSpec } from '@kubernetes/client-node';
import type { ClusterTwin, TwinDaemonSet, TwinNode, TwinPodDisruptionBudget } from '../twin/twin-model.js';
import {
  recordedKey, type PutLine, type DeleteLine, type GapLine, type RecordedDaemonSet, type RecordedEvent, type RecordedPod,
  type RecordedRevision,
} from './recording-model.js';

/** A DaemonSet in the state always has a spec: a line without one kept the previous. */
export type StateDaemonSet = RecordedDaemonSet & { spec: V1DaemonSetSpec };

/**
 * Mutable maps keyed as change lines name their objects. `apply` folds one line in; `toTwin`
 * writes the state back as a ClusterTwin (the starting twin of a replay that begins mid-recording).
 *
 * @example
 * const st = RecordingState.fromTwin(rec.twin);
 * for (const c of rec.changes) if (c.t <= fromMs) st.apply(c);
 */
export class RecordingState {
  readonly nodes = new Map<string, TwinNode>();
  readonly daemonSets = new Map<string, StateDaemonSet>();
  readonly pods = new Map<string, RecordedPod>();
  readonly revisions = new Map<string, RecordedRevision>();
  readonly events = new Map<string, RecordedEvent>();
  readonly pdbs = new Map<string, TwinPodDisruptionBudget>();

  constructor(private readonly base: ClusterTwin) {}

  /** The state at `t` = 0. */
  static fromTwin(twin: ClusterTwin): RecordingState {
    const st = new RecordingState(twin);
    for (const n of twin.nodes) st.nodes.set(n.name, n);
    for (const d of twin.daemonSets) {
      const { pods, revisions, ...ds } = d;
      st.daemonSets.set(`${d.namespace}/${d.name}`, ds);
      for (const p of pods) st.pods.set(`${d.namespace}/${p.name}`, { ...p, namespace: d.namespace, daemonSet: d.name });
      for (const r of revisions ?? []) st.revisions.set(`${d.namespace}/${d.name}-${r.hash}`, { namespace: d.namespace, daemonSet: d.name, ...r });
    }
    for (const p of twin.podDisruptionBudgets) st.pdbs.set(`${p.namespace}/${p.name}`, p);
    return st;
  }

  /** Folds one change in. A DaemonSet line without a spec keeps the spec it had. */
  apply(line: PutLine | DeleteLine | GapLine): void {
    if (line.op === 'gap') return;
    const map = this.mapOf(line.kind);
    if (line.op === 'del') {
      map.delete(line.name);
      return;
    }
    const key = recordedKey(line.kind, line.obj as { name?: string; namespace?: string });
    if (line.kind === 'DaemonSet') {
      const spec = line.obj.spec ?? this.daemonSets.get(key)?.spec;
      if (!spec) return; // a DaemonSet first seen without a spec: nothing to judge it by
      this.daemonSets.set(key, { ...line.obj, spec });
      return;
    }
    map.set(key, line.obj);
  }

  /** The daemon pods of one DaemonSet (`namespace/name`). */
  podsOf(daemonSet: string): RecordedPod[] {
    return [...this.pods.values()].filter((p) => `${p.namespace}/${p.daemonSet}` === daemonSet);
  }

  /** The revisions of one DaemonSet, oldest first; the last is the current template. */
  revisionsOf(daemonSet: string): RecordedRevision[] {
    return [...this.revisions.values()].filter((r) => `${r.namespace}/${r.daemonSet}` === daemonSet).sort((a, b) => a.number - b.number);
  }

  /** The state as a ClusterTwin captured at `capturedAt` (RFC 3339). */
  toTwin(capturedAt: string): ClusterTwin {
    const daemonSets: TwinDaemonSet[] = [...this.daemonSets.entries()].map(([key, d]) => {
      const revisions = this.revisionsOf(key).map((r) => ({ hash: r.hash, number: r.number }));
      return {
        ...d,
        ...(revisions.length ? { revisions } : {}),
        pods: this.podsOf(key).map(({ namespace: _ns, daemonSet: _ds, disruption: _d, ...p }) => p),
      };
    });
    return {
      ...this.base,
      metadata: { ...this.base.metadata, capturedAt },
      nodes: [...this.nodes.values()].sort((a, b) => a.name.localeCompare(b.name)),
      daemonSets,
      podDisruptionBudgets: [...this.pdbs.values()],
    };
  }

  private mapOf(kind: PutLine['kind']): Map<string, unknown> {
    switch (kind) {
      case 'Node': return this.nodes;
      case 'Pod': return this.pods;
      case 'DaemonSet': return this.daemonSets;
      case 'ControllerRevision': return this.revisions;
      case 'Event': return this.events;
      default: return this.pdbs;
    }
  }
}
