// Applying a scenario's manifests: namespaced objects into the scenario's namespace (removed with
// it), cluster-scoped ones (ClusterRole, PriorityClass) created with an undo that deletes them.
import type { KubernetesObject } from '@kubernetes/client-node';
import { ObjectClient } from '../kube/object-client.js';
import { objectLabel, placeObject } from '../kube/manifests.js';
import { CREATED_BY_ANNOTATION } from '../journal/journal-model.js';
import { withUndo, type Act, type ChaosRuntime } from './chaos-runtime.js';

/** Applies objects for one scenario, each at most once (two DaemonSets of one bundle share its companions). */
export class ManifestApply {
  private readonly client: ObjectClient;
  private readonly applied = new Set<string>();

  constructor(private readonly rt: ChaosRuntime, private readonly act: Act) {
    this.client = new ObjectClient(rt.cluster.kube);
  }

  /**
   * Creates each object (skipping ones this scenario already created, and Namespace objects: the
   * scenario's namespace stands in for them). Returns what the server stored, in order.
   */
  async apply(objects: KubernetesObject[], where: string): Promise<KubernetesObject[]> {
    const out: KubernetesObject[] = [];
    for (const o of objects) {
      if (o.kind === 'Namespace' && o.apiVersion === 'v1') continue;
      const namespaced = await this.client.isNamespaced(o, where);
      const obj = placeObject(o, this.rt.namespace, namespaced);
      const key = `${obj.apiVersion}/${obj.kind}/${obj.metadata?.namespace ?? ''}/${obj.metadata?.name}`;
      if (this.applied.has(key)) continue;
      await this.act('object.apply', `apply ${objectLabel(obj)}`, async () => {
        if (namespaced) this.rt.undo.note?.(`created ${objectLabel(obj)}`, { type: 'in-namespace', namespace: this.rt.namespace, what: `created ${objectLabel(obj)}` });
        out.push(namespaced ? await this.client.create(obj, where) : await this.createClusterScoped(obj, where));
        return {};
      });
      this.applied.add(key);
    }
    return out;
  }

  /**
   * The undo is registered (and journalled) before the create, so a create that times out is still
   * cleaned up, and withdrawn when the server refused it, e.g. because the object was there before.
   * On a journalled run the object carries the journal's id, so gc deletes it only if it is this run's.
   */
  private createClusterScoped(obj: KubernetesObject, where: string): Promise<KubernetesObject> {
    const createdBy = this.rt.undo.createdBy;
    const marked = createdBy ? { ...obj, metadata: { ...obj.metadata, annotations: { ...obj.metadata?.annotations, [CREATED_BY_ANNOTATION]: createdBy } } } : obj;
    return withUndo(this.rt.undo, `delete ${objectLabel(obj)}`, () => this.client.delete(obj), () => this.client.create(marked, where),
      { type: 'object', apiVersion: obj.apiVersion!, kind: obj.kind!, name: obj.metadata!.name! });
  }
}
