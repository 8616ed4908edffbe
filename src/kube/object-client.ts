// Creating and deleting arbitrary objects (a bundle's ServiceAccount, ClusterRole, PDB) with the
// API server's own discovery deciding what is namespaced, and errors that say what was refused.
import type { KubernetesObject, V1APIResource } from '@kubernetes/client-node';
import { UsageError } from '../util/errors.js';
import { apiMessage, apiStatus, ignoreNotFound, type KubeClient } from './kube-client.js';
import { objectLabel } from './manifests.js';

/** The object already exists and rollcall did not create it: it is left alone, never overwritten. */
export class AlreadyExistsError extends UsageError {}

export class ObjectClient {
  constructor(private readonly kube: KubeClient) {}

  /** Whether the server serves this kind per namespace (from discovery, which client-node caches). */
  async isNamespaced(o: KubernetesObject, where: string): Promise<boolean> {
    // `resource()` is the discovery lookup KubernetesObjectApi itself uses to build request paths.
    const discover = (this.kube.objects as unknown as { resource(apiVersion: string, kind: string): Promise<V1APIResource | undefined> }).resource.bind(this.kube.objects);
    let found: V1APIResource | undefined;
    try {
      found = await discover(o.apiVersion!, o.kind!);
    } catch (err) {
      if (apiStatus(err) !== 404) throw err;
    }
    if (!found) throw new UsageError(`${where}: ${o.kind} ${o.metadata?.name}: the cluster does not serve kind ${o.kind} in ${o.apiVersion}`);
    return found.namespaced;
  }

  /** Creates the object; bad objects are a UsageError with the server's reason, an existing one an AlreadyExistsError. */
  async create<T extends KubernetesObject>(obj: T, where: string): Promise<T> {
    try {
      return (await this.kube.objects.create(obj)) as T;
    } catch (err) {
      const status = apiStatus(err);
      const msg = `${where}: the API server rejected ${objectLabel(obj)} (HTTP ${status ?? '?'}): ${apiMessage(err)}`;
      if (status === 409) throw new AlreadyExistsError(`${where}: ${objectLabel(obj)} already exists in the cluster; rollcall does not overwrite objects it did not create`);
      if (status === 422 || status === 400 || status === 404) throw new UsageError(msg);
      throw new Error(msg, { cause: err });
    }
  }

  /** Deletes the object; gone already counts as done. */
  async delete(obj: KubernetesObject): Promise<void> {
    await ignoreNotFound(() => this.kube.objects.delete(obj));
  }
}
