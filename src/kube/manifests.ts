// Manifests as users keep them: one file with many documents (a DaemonSet bundle with its
// ServiceAccount, ConfigMap and RBAC, or `helm template` output). Loading, checking, picking the
// DaemonSet, and placing every object in the scenario's namespace, with errors naming file and field.
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubernetesObject, V1DaemonSet, V1RoleBinding } from '@kubernetes/client-node';
import { UsageError } from '../util/errors.js';

/** Reads every YAML document of a file (relative paths resolve against `baseDir`); empty documents and `List`s are flattened away. */
export function loadManifests(file: string, baseDir: string, label = file): { path: string; objects: KubernetesObject[] } {
  const path = isAbsolute(file) ? file : resolve(baseDir, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`${label}: manifest file not found (${path})`);
  }
  const objects: KubernetesObject[] = [];
  parseAllDocuments(text).forEach((doc, i) => {
    if (doc.errors.length) throw new UsageError(`${label}: document ${i + 1} is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
    const obj = doc.toJS() as (KubernetesObject & { items?: KubernetesObject[] }) | null;
    if (obj === null || obj === undefined) return;
    if (typeof obj !== 'object' || Array.isArray(obj)) throw new UsageError(`${label}: document ${i + 1} is not a Kubernetes object`);
    if (obj.kind?.endsWith('List') && Array.isArray(obj.items)) objects.push(...obj.items);
    else objects.push(obj);
  });
  if (!objects.length) throw new UsageError(`${label}: no Kubernetes object in the file`);
  objects.forEach((o, i) => {
    for (const field of ['apiVersion', 'kind'] as const) if (!o[field]) throw new UsageError(`${label}: object ${i + 1}: ${field} is missing`);
    if (!o.metadata?.name) throw new UsageError(`${label}: ${o.kind} (object ${i + 1}): metadata.name is missing`);
  });
  return { path, objects };
}

/**
 * The DaemonSet of a bundle: the one called `name`, or the only one. The rest of the bundle are its
 * companions (everything but other DaemonSets, which are picked by their own call).
 */
export function pickDaemonSet(objects: KubernetesObject[], name: string | undefined, where: string): { daemonSet: V1DaemonSet; companions: KubernetesObject[] } {
  const daemonSets = objects.filter((o) => o.kind === 'DaemonSet');
  const names = daemonSets.map((d) => d.metadata?.name ?? '?');
  if (!daemonSets.length) throw new UsageError(`${where}: no DaemonSet in the file (found ${objects.map((o) => `${o.kind} ${o.metadata?.name}`).join(', ')})`);
  let picked: KubernetesObject | undefined;
  if (name !== undefined) {
    picked = daemonSets.find((d) => d.metadata?.name === name);
    if (!picked) throw new UsageError(`${where}: name: no DaemonSet "${name}" in the file (DaemonSets: ${names.join(', ')})`);
  } else if (daemonSets.length > 1) {
    throw new UsageError(`${where}: the file has ${daemonSets.length} DaemonSets (${names.join(', ')}): say which with { name }`);
  } else {
    picked = daemonSets[0];
  }
  return { daemonSet: validateDaemonSet(picked!, where), companions: objects.filter((o) => o.kind !== 'DaemonSet') };
}

/** Checks that an object is a usable apps/v1 DaemonSet, naming the field that is wrong. */
export function validateDaemonSet(obj: KubernetesObject, source: string): V1DaemonSet {
  if (obj.kind !== 'DaemonSet') throw new UsageError(`${source}: kind is "${obj.kind ?? '(missing)'}", expected DaemonSet`);
  if (obj.apiVersion !== 'apps/v1') throw new UsageError(`${source}: apiVersion is "${obj.apiVersion ?? '(missing)'}", expected apps/v1`);
  const ds = obj as V1DaemonSet;
  const at = `${source}: DaemonSet ${ds.metadata?.name ?? '?'}`;
  if (!ds.metadata?.name) throw new UsageError(`${source}: metadata.name is missing`);
  if (!ds.spec?.selector) throw new UsageError(`${at}: spec.selector is missing`);
  const containers: unknown = ds.spec.template?.spec?.containers;
  if (containers !== undefined && !Array.isArray(containers)) throw new UsageError(`${at}: spec.template.spec.containers must be a list, got ${JSON.stringify(containers)}`);
  if (!ds.spec.template?.spec?.containers?.length) throw new UsageError(`${at}: spec.template.spec.containers is empty`);
  const labels = ds.spec.template.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(ds.spec.selector.matchLabels ?? {})) {
    if (labels[k] !== v) throw new UsageError(`${at}: spec.selector.matchLabels ${k}=${v} does not match spec.template.metadata.labels`);
  }
  return ds;
}

/**
 * A copy of `obj` placed for a scenario: namespaced objects move into `namespace`; cluster-scoped
 * ones keep no namespace. RBAC bindings' ServiceAccount subjects that name a namespace are
 * rewritten to `namespace`, so a ClusterRoleBinding to `logging/fluent-bit` binds the scenario's
 * ServiceAccount instead.
 */
export function placeObject<T extends KubernetesObject>(obj: T, namespace: string, namespaced: boolean): T {
  const out = structuredClone(obj);
  out.metadata = { ...out.metadata };
  if (namespaced) out.metadata.namespace = namespace;
  else delete out.metadata.namespace;
  // Server-set fields from `kubectl get -o yaml` output would make the create fail.
  for (const f of ['resourceVersion', 'uid', 'creationTimestamp', 'generation', 'managedFields', 'selfLink'] as const) delete out.metadata[f];
  if ((out.kind === 'RoleBinding' || out.kind === 'ClusterRoleBinding') && out.apiVersion?.startsWith('rbac.authorization.k8s.io/')) {
    const binding = out as unknown as V1RoleBinding;
    binding.subjects = binding.subjects?.map((s) => (s.kind === 'ServiceAccount' && s.namespace ? { ...s, namespace } : s));
  }
  return out;
}

/** `Kind name` (with the namespace for namespaced objects), for messages and the action log. */
export function objectLabel(o: KubernetesObject): string {
  return `${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`;
}
