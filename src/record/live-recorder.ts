// Follows a cluster's nodes and chosen DaemonSets (their pods, ControllerRevisions, Events and PDBs) with
// get/list/watch only, and turns what it sees into the initial twin and compact change lines.
import type { CoreV1Event, KubernetesObject, V1ControllerRevision, V1DaemonSet, V1Node, V1Pod, V1PodDisruptionBudget } from '@kubernetes/client-node';
import type { KubeClient } from '../kube/kube-client.js';
import { ResumableWatch } from '../kube/resumable-watch.js';
import { ChangeEncoder, type ObjectRewriter } from '../recording/change-encoder.js';
import { compactObject, controllingDaemonSet } from '../recording/compact-objects.js';
import type { ChangeLine, RecordedKind } from '../recording/recording-model.js';
import { labelSelectorMatches } from '../expect/ownership.js';
import type { ClusterTwin } from '../twin/twin-model.js';
import { buildTwin } from './build-twin.js';

export interface LiveRecorderOptions {
  kube: KubeClient;
  /** Watch only this namespace; absent means all. */
  namespace?: string;
  /** DaemonSet names to record; empty means every DaemonSet in scope. */
  daemonSets?: string[];
  /** Receives each change line once the initial twin is taken. */
  onLine: (line: ChangeLine) => void;
  /** What the twin's metadata names as its source. */
  context: string;
  rollcallVersion?: string;
  /** Rewrites the twin and every line (`--anonymize`). */
  anonymizer?: ObjectRewriter & { twin(t: ClusterTwin): ClusterTwin };
}

interface Source {
  kind: RecordedKind;
  objects: Map<string, KubernetesObject>;
  watch: ResumableWatch<KubernetesObject>;
}

/**
 * Records what happens to the chosen DaemonSets, change by change.
 *
 * @example
 * const rec = new LiveRecorder({ kube, namespace: 'monitoring', onLine: (l) => writer.write(l), context: 'prod' });
 * const twin = await rec.start();   // every list is in: this is t = 0
 * rec.stop();
 */
export class LiveRecorder {
  private readonly sources: Source[];
  private encoder?: ChangeEncoder;
  private readonly wanted: Set<string> | undefined;
  private origin = performance.now();

  constructor(private readonly opts: LiveRecorderOptions) {
    this.wanted = opts.daemonSets?.length ? new Set(opts.daemonSets) : undefined;
    const ns = opts.namespace ? `/namespaces/${encodeURIComponent(opts.namespace)}` : '';
    this.sources = [
      this.source('Node', '/api/v1/nodes', 'v1'),
      this.source('DaemonSet', `/apis/apps/v1${ns}/daemonsets`, 'apps/v1'),
      this.source('Pod', `/api/v1${ns}/pods`, 'v1'),
      this.source('ControllerRevision', `/apis/apps/v1${ns}/controllerrevisions`, 'apps/v1'),
      this.source('PodDisruptionBudget', `/apis/policy/v1${ns}/poddisruptionbudgets`, 'policy/v1'),
      this.source('Event', `/api/v1${ns}/events`, 'v1'),
      // Node events live in the default namespace whatever namespace is watched.
      ...(opts.namespace ? [this.source('Event', '/api/v1/events', 'v1', 'involvedObject.kind=Node')] : []),
    ];
  }

  /** Lists everything and starts following it; resolves with the initial twin (t = 0). */
  async start(): Promise<ClusterTwin> {
    await Promise.all(this.sources.map((s) => s.watch.start()));
    const objects = (kind: RecordedKind) => this.sources.filter((s) => s.kind === kind).flatMap((s) => [...s.objects.values()]);
    const built = await buildTwin(this.opts.kube, {
      nodes: objects('Node') as V1Node[],
      daemonSets: objects('DaemonSet') as V1DaemonSet[],
      pods: objects('Pod') as V1Pod[],
      revisions: objects('ControllerRevision') as V1ControllerRevision[],
      pdbs: objects('PodDisruptionBudget') as V1PodDisruptionBudget[],
    }, { context: this.opts.context, namespace: this.opts.namespace, rollcallVersion: this.opts.rollcallVersion });
    const twin = this.opts.anonymizer ? this.opts.anonymizer.twin(built) : built;
    this.encoder = new ChangeEncoder(twin, this.opts.anonymizer);
    this.origin = performance.now();
    return twin;
  }

  /** Milliseconds since the initial twin was taken: the `t` of every change line. */
  now(): number {
    return performance.now() - this.origin;
  }

  /** Stops every watch. */
  stop(): void {
    for (const s of this.sources) s.watch.stop();
  }

  /** Node names seen right now (for the progress line). */
  nodeCount(): number {
    return this.sources[0]!.objects.size;
  }

  private source(kind: RecordedKind, path: string, apiVersion: string, fieldSelector?: string): Source {
    const src = { kind, objects: new Map() } as Source;
    src.watch = new ResumableWatch<KubernetesObject>(this.opts.kube.kubeconfig, {
      path,
      query: fieldSelector ? { fieldSelector } : undefined,
      name: kind,
      list: async () => {
        const res = await this.opts.kube.objects.list(apiVersion, kind, this.opts.namespace && !fieldSelector ? this.opts.namespace : undefined, undefined, undefined, undefined, fieldSelector);
        return { items: res.items, resourceVersion: res.metadata?.resourceVersion };
      },
      onList: (items, gap) => this.reconcile(src, items, gap),
      onEvent: (type, obj) => this.observe(src, type, obj),
    });
    return src;
  }

  // A relist: every difference from what was known becomes a change, after a gap line saying why.
  private reconcile(src: Source, items: KubernetesObject[], gap: string | undefined): void {
    if (gap && this.encoder) this.opts.onLine(this.encoder.gap(this.now(), src.kind, gap));
    const seen = new Set<string>();
    for (const obj of items) {
      if (!this.wants(src.kind, obj)) continue;
      const key = keyOf(obj);
      seen.add(key);
      if (src.objects.get(key)?.metadata?.resourceVersion !== obj.metadata?.resourceVersion) this.observe(src, 'MODIFIED', obj);
    }
    for (const [key, obj] of [...src.objects]) if (!seen.has(key)) this.observe(src, 'DELETED', obj);
  }

  private observe(src: Source, type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: KubernetesObject): void {
    if (!this.wants(src.kind, obj)) return;
    const key = keyOf(obj);
    if (type === 'DELETED') src.objects.delete(key);
    else src.objects.set(key, obj);
    const enc = this.encoder;
    if (!enc) return; // still listing: this is part of the initial twin
    const t = this.now();
    const compact = type === 'DELETED' ? undefined : compactObject(src.kind, obj);
    const line = type === 'DELETED' ? enc.del(t, src.kind, src.kind === 'Node' ? obj.metadata?.name ?? '' : key) : compact && enc.put(t, src.kind, compact);
    if (line) this.opts.onLine(line);
  }

  // Only the chosen DaemonSets, what they control, PDBs over their pods, and events about any of it or a node.
  private wants(kind: RecordedKind, obj: KubernetesObject): boolean {
    const ns = obj.metadata?.namespace ?? '';
    const recorded = (name: string | undefined) => !!name && (!this.wanted || this.wanted.has(name) || this.wanted.has(`${ns}/${name}`));
    switch (kind) {
      case 'Node': return true;
      case 'DaemonSet': return recorded(obj.metadata?.name);
      case 'Pod':
      case 'ControllerRevision': return recorded(controllingDaemonSet(obj.metadata));
      case 'PodDisruptionBudget': return this.daemonSets().some((d) => d.metadata?.namespace === ns && labelSelectorMatches((obj as V1PodDisruptionBudget).spec?.selector, d.spec?.template.metadata?.labels));
      default: {
        const about = (obj as CoreV1Event).involvedObject;
        if (about?.kind === 'Node') return true;
        if (about?.kind === 'DaemonSet') return recorded(about.name);
        return about?.kind === 'Pod' && this.sources.some((s) => s.kind === 'Pod' && s.objects.has(`${about.namespace ?? ns}/${about.name}`));
      }
    }
  }

  private daemonSets(): V1DaemonSet[] {
    return [...this.sources[1]!.objects.values()] as V1DaemonSet[];
  }
}

function keyOf(o: KubernetesObject): string {
  return `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
}
