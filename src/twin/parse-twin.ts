// Reads and validates a ClusterTwin YAML file: a malformed twin is one UsageError naming the file and field.
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { V1Taint } from '@kubernetes/client-node';
import { UsageError } from '../util/errors.js';
import { FieldReader } from './field-reader.js';
import { parseQuantity } from './quantity.js';
import {
  TWIN_API_VERSION, TWIN_KIND, type ClusterTwin, type TwinConditions, type TwinDaemonSet, type TwinNode, type TwinPod,
  type TwinPodDisruptionBudget,
} from './twin-model.js';
import { validateDaemonSetSpec } from './validate-daemon-set-spec.js';

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;
const CONDITION_TYPES = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable'];
const CONDITION_STATUSES = ['True', 'False', 'Unknown'] as const;

/** Reads a twin file; a missing or unreadable file is a UsageError too. */
export function readTwinFile(path: string): ClusterTwin {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`${path}: cannot read the twin (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return parseTwin(text, path);
}

/** Parses and validates twin YAML; `file` names it in errors. */
export function parseTwin(text: string, file: string): ClusterTwin {
  const doc = parseDocument(text, { uniqueKeys: true });
  const bad = doc.errors[0];
  if (bad) {
    const where = bad.linePos ? `line ${bad.linePos[0].line}, column ${bad.linePos[0].col}` : 'YAML';
    throw new UsageError(`${file}: ${where}: not valid YAML (${bad.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')})`);
  }
  const root = new FieldReader(file, '', doc.toJS({ maxAliasCount: 100 }));
  root.object(true);
  const apiVersion = root.get('apiVersion');
  if (apiVersion.string() !== TWIN_API_VERSION) apiVersion.fail(`"${apiVersion.value}" is not supported (this rollcall reads ${TWIN_API_VERSION})`);
  if (root.get('kind').string() !== TWIN_KIND) root.get('kind').fail(`"${root.get('kind').value}" is not ${TWIN_KIND}`);
  const meta = root.get('metadata');
  meta.object(true);
  const twin: ClusterTwin = {
    apiVersion: TWIN_API_VERSION,
    kind: TWIN_KIND,
    metadata: {
      name: meta.get('name').string(),
      capturedAt: meta.get('capturedAt').time(),
      ...(meta.get('source').present ? { source: meta.get('source').object() as ClusterTwin['metadata']['source'] } : {}),
      ...(meta.get('anonymized').present ? { anonymized: meta.get('anonymized').boolean() } : {}),
      ...(meta.get('namespaces').present ? { namespaces: meta.get('namespaces').list().map((n) => n.string()) } : {}),
    },
    serverVersion: readVersion(root.get('serverVersion')),
    nodes: root.get('nodes').list(true).map(readTwinNode),
    namespaces: root.get('namespaces').list().map((n) => ({ name: n.get('name').string(), ...optional('nodeSelector', n.get('nodeSelector').optionalString()) })),
    daemonSets: root.get('daemonSets').list(true).map(readDaemonSet),
    podDisruptionBudgets: root.get('podDisruptionBudgets').list().map(readPdb),
    priorityClasses: root.get('priorityClasses').list().map((p) => ({
      name: p.get('name').string(), value: p.get('value').integer(-(2 ** 31)), ...optional('globalDefault', p.get('globalDefault').present ? p.get('globalDefault').boolean() : undefined),
    })),
  };
  unique(root.get('nodes'), twin.nodes.map((n) => n.name), 'node');
  unique(root.get('daemonSets'), twin.daemonSets.map((d) => `${d.namespace}/${d.name}`), 'DaemonSet');
  return twin;
}

// `v1.36.3` or `1.36` style: major.minor must be there for the removed-API check.
function readVersion(f: FieldReader): string {
  const v = f.string();
  if (!/^v?\d+\.\d+(\.\d+)?([-+].*)?$/.test(v)) f.fail(`"${v}" is not a Kubernetes version (e.g. v1.36.3)`);
  return v;
}

/** One node of a twin, checked and with its optional fields filled in (also a recording's Node lines). */
export function readTwinNode(n: FieldReader): TwinNode {
  n.object(true);
  const quantities = (f: FieldReader) => {
    const map = f.object() as Record<string, unknown>;
    for (const [k, v] of Object.entries(map)) if (parseQuantity(v) === undefined) f.get(k).fail(`${JSON.stringify(v)} is not a quantity (e.g. "4", 500m, 16Gi)`);
    return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, String(v)]));
  };
  const conditions: TwinConditions = {};
  for (const type of Object.keys(n.get('conditions').object())) {
    const f = n.get('conditions').get(type);
    if (!CONDITION_TYPES.includes(type)) f.fail(`unknown condition type (use ${CONDITION_TYPES.join(', ')})`);
    conditions[type as keyof TwinConditions] = f.oneOf(CONDITION_STATUSES);
  }
  return {
    name: n.get('name').string(),
    labels: n.get('labels').stringMap(),
    taints: n.get('taints').list().map((t): V1Taint => ({
      key: t.get('key').string(), ...optional('value', t.get('value').optionalString()), effect: t.get('effect').oneOf(TAINT_EFFECTS),
    })),
    unschedulable: n.get('unschedulable').boolean(false),
    capacity: quantities(n.get('capacity')),
    allocatable: quantities(n.get('allocatable')),
    conditions,
  };
}

function readDaemonSet(d: FieldReader): TwinDaemonSet {
  d.object(true);
  const revisions = d.get('revisions');
  return {
    namespace: d.get('namespace').string(),
    name: d.get('name').string(),
    generation: d.get('generation').present ? d.get('generation').integer(1) : 1,
    ...optional('labels', d.get('labels').present ? d.get('labels').stringMap() : undefined),
    spec: validateDaemonSetSpec(d.get('spec')),
    ...optional('status', readStatus(d.get('status'))),
    ...optional('revisions', revisions.present ? revisions.list().map((r) => ({ hash: r.get('hash').string(), number: r.get('number').integer(1) })) : undefined),
    pods: d.get('pods').list().map(readPod),
  };
}

// DaemonSetStatus counters: whole numbers, missing ones 0 as the API omits them.
function readStatus(s: FieldReader): TwinDaemonSet['status'] {
  if (!s.present) return undefined;
  const obj = s.object();
  for (const k of Object.keys(obj)) if (k !== 'conditions' && k !== 'collisionCount') s.get(k).integer();
  return obj as unknown as TwinDaemonSet['status'];
}

function readPod(p: FieldReader): TwinPod {
  p.object(true);
  return {
    name: p.get('name').string(),
    node: p.get('node').string(),
    ...optional('revisionHash', p.get('revisionHash').optionalString()),
    phase: p.get('phase').oneOf(['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'] as const),
    ready: p.get('ready').boolean(false),
    ...optional('readySince', p.get('readySince').present ? p.get('readySince').time() : undefined),
    ...optional('reason', p.get('reason').optionalString()),
    ...optional('message', p.get('message').optionalString()),
    ...optional('terminating', p.get('terminating').present ? p.get('terminating').boolean() : undefined),
    ...optional('createdAt', p.get('createdAt').present ? p.get('createdAt').time() : undefined),
  };
}

function readPdb(p: FieldReader): TwinPodDisruptionBudget {
  p.object(true);
  const intOrPercent = (f: FieldReader) => {
    if (!f.present) return undefined;
    if (typeof f.value === 'number') return f.integer();
    const s = f.string();
    if (!/^[0-9]+%$/.test(s)) f.fail(`"${s}" is neither a whole number nor a percentage like "50%"`);
    return s;
  };
  return {
    namespace: p.get('namespace').string(),
    name: p.get('name').string(),
    ...optional('selector', p.get('selector').present ? p.get('selector').object() : undefined),
    ...optional('minAvailable', intOrPercent(p.get('minAvailable'))),
    ...optional('maxUnavailable', intOrPercent(p.get('maxUnavailable'))),
    ...optional('status', p.get('status').present ? p.get('status').object() : undefined),
  } as TwinPodDisruptionBudget;
}

// Names must be unique within a list: a twin with two nodes of one name is ambiguous.
function unique(list: FieldReader, names: string[], what: string): void {
  const seen = new Set<string>();
  names.forEach((n, i) => {
    if (seen.has(n)) list.list()[i]!.get('name').fail(`${what} "${n}" appears twice`);
    seen.add(n);
  });
}

// `{ key: value }` when value is defined, else `{}`: keeps absent fields absent.
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
