// Reads a KWOK `kwokctl snapshot export --record` file: full objects, then ResourcePatch documents (offset,
// create / patch / delete, a strategic merge patch), into the Recording model, through the same compaction.
import type { KubernetesObject, V1ControllerRevision, V1DaemonSet, V1Node, V1Pod, V1PodDisruptionBudget } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { twinOfObjects } from '../record/build-twin.js';
import { FieldReader } from '../twin/field-reader.js';
import { UsageError } from '../util/errors.js';
import { ChangeEncoder } from './change-encoder.js';
import { compactObject } from './compact-objects.js';
import { RECORDING_API_VERSION, RECORDING_KIND, type DeleteLine, type PutLine, type RecordedKind, type Recording } from './recording-model.js';
import { applyStrategicMerge } from './strategic-merge.js';

const PATCH_API_VERSION = 'action.kwok.x-k8s.io/v1alpha1';
/** KWOK writes times as offsets from its start; they are put back relative to this stand-in start. */
const BASE_MS = Date.UTC(2000, 0, 1);
const KINDS: Record<string, RecordedKind> = {
  nodes: 'Node', pods: 'Pod', daemonsets: 'DaemonSet', controllerrevisions: 'ControllerRevision', poddisruptionbudgets: 'PodDisruptionBudget', events: 'Event',
};

/** Parses KWOK recording text; `file` names it in errors (`file: document 12: method: ...`). */
export function parseKwokRecording(text: string, file: string): Recording {
  const withTimes = text.replace(/\$\(time-offset-nanosecond (-?\d+)\)/g, (_m, n: string) => new Date(BASE_MS + Number(n) / 1e6).toISOString());
  const docs = parseAllDocuments(withTimes);
  const warnings: string[] = [];
  const values: unknown[] = [];
  docs.forEach((doc, i) => {
    if (!doc.errors.length) values.push(doc.toJS());
    else if (i === docs.length - 1 && i > 0) warnings.push(`${file}: document ${i + 1}: cut short (the recorder was stopped mid-write): dropped`);
    else throw new UsageError(`${file}: document ${i + 1}: not valid YAML (${doc.errors[0]!.message.split('\n')[0]})`);
  });
  const isPatch = (v: unknown) => (v as KubernetesObject | null)?.kind === 'ResourcePatch';
  const firstPatch = values.findIndex(isPatch);
  const initial = (firstPatch < 0 ? values : values.slice(0, firstPatch)).filter((v): v is KubernetesObject => !!v && typeof v === 'object') as KubernetesObject[];
  const objects = new Map<string, KubernetesObject>();
  const byKind = (kind: string) => initial.filter((o) => o.kind === kind);
  for (const o of initial) if (Object.values(KINDS).includes(o.kind as RecordedKind)) objects.set(keyOf(resourceOf(o.kind!), o.metadata?.namespace, o.metadata?.name), o);
  const skipped = new Set(initial.filter((o) => !Object.values(KINDS).includes(o.kind as RecordedKind)).map((o) => o.kind));
  if (skipped.size) warnings.push(`${file}: kinds replay does not read were skipped: ${[...skipped].sort().join(', ')}`);
  const twin = twinOfObjects({
    nodes: byKind('Node') as V1Node[], daemonSets: byKind('DaemonSet') as V1DaemonSet[], pods: byKind('Pod') as V1Pod[],
    revisions: byKind('ControllerRevision') as V1ControllerRevision[], pdbs: byKind('PodDisruptionBudget') as V1PodDisruptionBudget[],
  }, { context: 'kwok recording', serverVersion: 'unknown', namespaces: [], capturedAt: new Date(BASE_MS).toISOString() });
  const enc = new ChangeEncoder(twin);
  const changes: Array<PutLine | DeleteLine> = [];
  values.forEach((v, i) => {
    if (firstPatch < 0 || i < firstPatch) return;
    const r = new FieldReader(`${file}: document ${i + 1}`, '', v);
    r.object(true);
    if (r.get('kind').value !== 'ResourcePatch') r.get('kind').fail(`${JSON.stringify(r.get('kind').value ?? null)} is not ResourcePatch (objects come before the first patch)`);
    if (r.get('apiVersion').value !== PATCH_API_VERSION) r.get('apiVersion').fail(`${JSON.stringify(r.get('apiVersion').value ?? null)} is not supported (this rollcall reads ${PATCH_API_VERSION})`);
    const resource = r.get('resource').get('resource').string();
    const name = r.get('target').get('name').string();
    const namespace = r.get('target').get('namespace').optionalString();
    const method = r.get('method').oneOf(['create', 'patch', 'delete'] as const);
    const nanos = r.get('durationNanosecond');
    if (typeof nanos.value !== 'number' || nanos.value < 0) nanos.fail(`expected nanoseconds since the start (a number >= 0), got ${JSON.stringify(nanos.value ?? null)}`);
    const kind = KINDS[resource];
    if (!kind) return;
    const key = keyOf(resource, namespace, name);
    const t = (nanos.value as number) / 1e6;
    if (method === 'delete') {
      objects.delete(key);
      const line = enc.del(t, kind, kind === 'Node' ? name : `${namespace}/${name}`);
      if (line) changes.push(line);
      return;
    }
    const template = r.get('template');
    template.object(true);
    const obj = (method === 'create' ? template.value : applyStrategicMerge(objects.get(key) as never, template.value as never)) as KubernetesObject;
    objects.set(key, obj);
    const compact = compactObject(kind, obj);
    const line = compact && enc.put(t, kind, compact);
    if (line) changes.push(line);
  });
  changes.sort((a, b) => a.t - b.t);
  return {
    file, format: 'kwok', twin, changes, warnings,
    header: { apiVersion: RECORDING_API_VERSION, kind: RECORDING_KIND, startedAt: twin.metadata.capturedAt, source: { format: 'kwok' }, daemonSets: twin.daemonSets.map((d) => `${d.namespace}/${d.name}`) },
    // A KWOK recording has no end marker: it ends where the file does.
    end: { t: changes.at(-1)?.t ?? 0, op: 'end', reason: 'end of the KWOK recording' },
  };
}

function resourceOf(kind: string): string {
  return Object.entries(KINDS).find(([, k]) => k === kind)![0];
}

function keyOf(resource: string, namespace: string | undefined, name: string | undefined): string {
  return `${resource}/${namespace ?? ''}/${name ?? ''}`;
}
