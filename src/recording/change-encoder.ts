// Turns watched objects into change lines, keeping the file compact: an object whose recorded form did not
// change (a node heartbeat, a resourceVersion bump) writes nothing, and a DaemonSet repeats its spec only when it changed.
import type { ClusterTwin } from '../twin/twin-model.js';
import { canonicalJson } from './canonical-json.js';
import { recordedKey, type DeleteLine, type GapLine, type PutLine, type RecordedKind, type RecordedObjects } from './recording-model.js';

/** Rewrites recorded objects before they are written (`record --anonymize`). */
export interface ObjectRewriter {
  rewrite<K extends RecordedKind>(kind: K, obj: RecordedObjects[K]): RecordedObjects[K];
}

/**
 * Remembers the last form written per object, so that only real changes become lines.
 *
 * @example
 * const enc = new ChangeEncoder(twin);
 * const line = enc.put(1200, 'Node', compactNode(node)); // undefined when nothing recorded changed
 */
export class ChangeEncoder {
  private readonly last = new Map<string, string>();
  private readonly specs = new Map<string, string>();

  /** `initial` is the twin already written: objects as it has them are not repeated. */
  constructor(initial?: ClusterTwin, private readonly rewriter?: ObjectRewriter) {
    for (const n of initial?.nodes ?? []) this.last.set(`Node/${n.name}`, canonicalJson(n));
    for (const d of initial?.daemonSets ?? []) {
      this.specs.set(`${d.namespace}/${d.name}`, canonicalJson(d.spec));
      for (const p of d.pods) this.last.set(`Pod/${d.namespace}/${p.name}`, canonicalJson({ ...p, namespace: d.namespace, daemonSet: d.name }));
    }
  }

  /** A put line for the object, or undefined when its recorded form is unchanged. */
  put<K extends RecordedKind>(t: number, kind: K, original: RecordedObjects[K]): PutLine | undefined {
    const obj = this.rewriter ? this.rewriter.rewrite(kind, original) : original;
    const key = recordedKey(kind, obj as { name?: string; namespace?: string });
    let written: RecordedObjects[K] = obj;
    if (kind === 'DaemonSet') {
      const ds = obj as RecordedObjects['DaemonSet'];
      const spec = canonicalJson(ds.spec);
      if (this.specs.get(key) === spec) {
        const { spec: _same, ...rest } = ds;
        written = rest as RecordedObjects[K];
      } else {
        this.specs.set(key, spec);
      }
    }
    const text = canonicalJson(written);
    // A DaemonSet line is compared without its spec, so a changed spec alone still writes one.
    if (this.last.get(`${kind}/${key}`) === text) return undefined;
    this.last.set(`${kind}/${key}`, text);
    return { t: Math.round(t), op: 'put', kind, obj: written } as PutLine;
  }

  /** A delete line, unless the object was never written (filtered out, or already deleted). */
  del(t: number, kind: RecordedKind, key: string): DeleteLine | undefined {
    const name = this.rewriter ? this.renamedKey(kind, key) : key;
    if (!this.last.delete(`${kind}/${name}`) && !(kind === 'DaemonSet' && this.specs.has(name))) return undefined;
    if (kind === 'DaemonSet') this.specs.delete(name);
    return { t: Math.round(t), op: 'del', kind, name };
  }

  /** A gap line: the watch of `kind` was relisted. */
  gap(t: number, kind: RecordedKind, reason: string): GapLine {
    return { t: Math.round(t), op: 'gap', kind, reason };
  }

  // A deleted node is named as the rewriter renamed it (pods keep their names).
  private renamedKey(kind: RecordedKind, key: string): string {
    if (kind !== 'Node') return key;
    return recordedKey('Node', this.rewriter!.rewrite('Node', { name: key, labels: {}, taints: [], unschedulable: false, capacity: {}, allocatable: {}, conditions: {} }));
  }
}
