// `record --anonymize`: the twin and every change line anonymized as `snapshot --anonymize` does, with one
// salt for the whole file so a value gets one hash throughout, and node names that stay put as nodes come and go.
import { randomBytes } from 'node:crypto';
import { anonymizeTwin, nodeNames } from '../snapshot/anonymize-twin.js';
import type { ClusterTwin, TwinDaemonSet } from '../twin/twin-model.js';
import type { ObjectRewriter } from './change-encoder.js';
import type { RecordedKind, RecordedObjects } from './recording-model.js';

const HOSTNAME = 'kubernetes.io/hostname';
/** Events whose messages name only pods (the DaemonSet controller's), which replay needs; others say too much. */
const KEPT_MESSAGES = new Set(['SuccessfulCreate', 'SuccessfulDelete']);

/**
 * Anonymizes through src/snapshot's anonymizeTwin: each object is wrapped in a small twin with
 * the DaemonSets known so far (their Gt/Lt keys keep their numbers), then its node names are set
 * from one map made from the initial twin (`pool-1-001`, ...); nodes added later become `added-001`.
 *
 * @example
 * const anon = new RecordingAnonymizer();
 * const twin = anon.twin(captured);
 * const enc = new ChangeEncoder(twin, anon);
 */
export class RecordingAnonymizer implements ObjectRewriter {
  private names = new Map<string, string>();
  private daemonSets: TwinDaemonSet[] = [];

  constructor(private readonly salt: string = randomBytes(16).toString('hex')) {}

  /** The anonymized initial twin; fixes the node names for the rest of the recording. */
  twin(original: ClusterTwin): ClusterTwin {
    this.names = nodeNames(original.nodes);
    this.daemonSets = original.daemonSets.map((d) => ({ ...d, pods: [] }));
    return this.fixNames(anonymizeTwin(original, this.salt), original);
  }

  /** One recorded object, anonymized consistently with the twin. */
  rewrite<K extends RecordedKind>(kind: K, obj: RecordedObjects[K]): RecordedObjects[K] {
    const wrap = (t: Partial<ClusterTwin>) => anonymizeTwin({ ...this.emptyTwin(), ...t }, this.salt);
    switch (kind) {
      case 'Node': {
        const n = obj as RecordedObjects['Node'];
        const out = wrap({ nodes: [n] }).nodes[0]!;
        out.name = this.rename(n.name);
        if (HOSTNAME in out.labels) out.labels[HOSTNAME] = out.name;
        return out as RecordedObjects[K];
      }
      case 'Pod': {
        const { namespace, daemonSet, disruption, ...p } = obj as RecordedObjects['Pod'];
        return { ...p, node: this.rename(p.node), namespace, daemonSet, ...(disruption ? { disruption } : {}) } as RecordedObjects[K];
      }
      case 'DaemonSet': {
        const d = obj as RecordedObjects['DaemonSet'];
        if (!d.spec) return obj;
        this.daemonSets = [...this.daemonSets.filter((x) => x.namespace !== d.namespace || x.name !== d.name), { ...d, spec: d.spec, pods: [] }];
        const spec = wrap({}).daemonSets.at(-1)!.spec;
        return { ...d, spec } as RecordedObjects[K];
      }
      case 'PodDisruptionBudget':
        return wrap({ podDisruptionBudgets: [obj as RecordedObjects['PodDisruptionBudget']] }).podDisruptionBudgets[0] as RecordedObjects[K];
      case 'Event': {
        const e = obj as RecordedObjects['Event'];
        const object = e.object.kind === 'Node' ? { ...e.object, name: this.rename(e.object.name) } : e.object;
        return { ...e, object, message: KEPT_MESSAGES.has(e.reason) ? e.message : '' } as RecordedObjects[K];
      }
      default:
        return obj;
    }
  }

  private rename(name: string): string {
    if (!this.names.has(name)) this.names.set(name, `added-${String([...this.names.values()].filter((v) => v.startsWith('added-')).length + 1).padStart(3, '0')}`);
    return this.names.get(name)!;
  }

  // anonymizeTwin names nodes from the nodes it is given; the recording keeps its own map.
  private fixNames(anon: ClusterTwin, original: ClusterTwin): ClusterTwin {
    anon.nodes.forEach((n, i) => {
      n.name = this.rename(original.nodes[i]!.name);
      if (HOSTNAME in n.labels) n.labels[HOSTNAME] = n.name;
    });
    anon.daemonSets.forEach((d, i) => d.pods.forEach((p, j) => (p.node = this.rename(original.daemonSets[i]!.pods[j]!.node))));
    return anon;
  }

  private emptyTwin(): ClusterTwin {
    return {
      apiVersion: 'rollcall.dev/v1alpha1', kind: 'ClusterTwin', metadata: { name: 'x', capturedAt: new Date(0).toISOString() },
      serverVersion: 'v0.0', nodes: [], namespaces: [], daemonSets: this.daemonSets, podDisruptionBudgets: [], priorityClasses: [],
    };
  }
}
