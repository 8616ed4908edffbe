// Loading DaemonSet (and other) manifests for scenarios, with errors that name file and field.
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubernetesObject, V1DaemonSet } from '@kubernetes/client-node';
import { UsageError } from '../util/errors.js';

/** Reads every YAML document of a file (relative paths resolve against `baseDir`). */
export function loadManifests(file: string, baseDir: string, label = file): { path: string; objects: KubernetesObject[] } {
  const path = isAbsolute(file) ? file : resolve(baseDir, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`${label}: manifest file not found (${path})`);
  }
  const docs = parseAllDocuments(text);
  const objects: KubernetesObject[] = [];
  for (const doc of docs) {
    if (doc.errors.length) throw new UsageError(`${label}: not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
    const obj = doc.toJS() as KubernetesObject | null;
    if (obj) objects.push(obj);
  }
  if (!objects.length) throw new UsageError(`${label}: no Kubernetes object in the file`);
  return { path, objects };
}

/** Checks that an object is a usable apps/v1 DaemonSet, naming the field that is wrong. */
export function validateDaemonSet(obj: KubernetesObject, source: string): V1DaemonSet {
  if (obj.kind !== 'DaemonSet') throw new UsageError(`${source}: kind is "${obj.kind ?? '(missing)'}", expected DaemonSet`);
  if (obj.apiVersion !== 'apps/v1') throw new UsageError(`${source}: apiVersion is "${obj.apiVersion ?? '(missing)'}", expected apps/v1`);
  const ds = obj as V1DaemonSet;
  if (!ds.metadata?.name) throw new UsageError(`${source}: metadata.name is missing`);
  if (!ds.spec?.selector) throw new UsageError(`${source}: spec.selector is missing`);
  if (!ds.spec.template?.spec?.containers?.length) throw new UsageError(`${source}: spec.template.spec.containers is empty`);
  const labels = ds.spec.template.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(ds.spec.selector.matchLabels ?? {})) {
    if (labels[k] !== v) throw new UsageError(`${source}: spec.selector.matchLabels ${k}=${v} does not match spec.template.metadata.labels`);
  }
  return ds;
}
