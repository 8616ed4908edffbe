// Reads one scenario of a rollcall report.json as a recording: its timeline (node readiness, taints, cordon; pods;
// ControllerRevisions), its events, and the label, image and rollback actions it took. The DaemonSet spec comes from
// the manifest the user names, since a report holds none.
import type { V1DaemonSet, V1DaemonSetSpec, V1Taint } from '@kubernetes/client-node';
import type { ActionReport, RunReport, ScenarioReport, TimelineEntry } from '../report/report-model.js';
import { TWIN_API_VERSION, TWIN_KIND, type TwinNode } from '../twin/twin-model.js';
import { UsageError } from '../util/errors.js';
import { canonicalJson } from './canonical-json.js';
import { ChangeEncoder } from './change-encoder.js';
import { RECORDING_API_VERSION, RECORDING_KIND, type Recording, type RecordedPod } from './recording-model.js';
import { RecordingState } from './recording-state.js';

/** Converts one scenario of a report (`opts.scenario`, or the only one) into a Recording. */
export function reportRecording(report: unknown, file: string, opts: { scenario?: string; daemonSet?: V1DaemonSet }): Recording {
  const scenarios = (report as RunReport).scenarios;
  if (!Array.isArray(scenarios) || !scenarios.length) throw new UsageError(`${file}: scenarios: a report.json with no scenario`);
  const matching = opts.scenario === undefined ? scenarios : scenarios.filter((s) => s.name === opts.scenario);
  if (matching.length !== 1) throw new UsageError(`--scenario: ${opts.scenario === undefined ? 'the report has several scenarios; name one' : `no scenario "${opts.scenario}"`} (${scenarios.map((s) => `"${s.name}"`).join(', ')})`);
  const sc = matching[0]!;
  if (!opts.daemonSet?.spec) throw new UsageError(`${file}: a report.json holds no DaemonSet spec: pass --manifest FILE (the manifest the scenario applied)`);
  const dsName = opts.daemonSet.metadata?.name ?? '';
  const ns = sc.namespace;
  const dsAdded = sc.timeline.find((e) => e.kind === 'DaemonSet' && e.name === dsName);
  if (!dsAdded) throw new UsageError(`${file}: scenario "${sc.name}": its timeline never shows DaemonSet ${dsName} (is --manifest the DaemonSet it applied?)`);
  const t0 = dsAdded.atMs;
  // After the last step come the scenario's undos: cleanup, not part of what it rehearsed.
  const last = Math.round(Math.max(...sc.steps.map((st) => st.endMs), t0));
  const base = Date.parse(sc.startedAt);
  const iso = (atMs: number) => new Date(base + atMs).toISOString();
  const labels = new Map((sc.finalNodes ?? []).map((n) => [n.node, n.labels ?? {}]));
  const st = RecordingState.fromTwin({
    apiVersion: TWIN_API_VERSION, kind: TWIN_KIND, metadata: { name: `report ${sc.name}`, capturedAt: iso(t0) }, serverVersion: 'unknown',
    nodes: [], namespaces: [{ name: ns }], daemonSets: [], podDisruptionBudgets: [], priorityClasses: [],
  });
  const specs = new SpecHistory(opts.daemonSet.spec);
  let encoder: ChangeEncoder | undefined;
  const changes: Recording['changes'] = [];
  const emit = (line: Recording['changes'][number] | undefined) => {
    if (!line) return;
    if (line.op !== 'gap' && encoder) changes.push(line);
    st.apply(line);
  };
  const put = <K extends 'Node' | 'Pod' | 'DaemonSet' | 'ControllerRevision' | 'Event'>(atMs: number, kind: K, obj: Parameters<ChangeEncoder['put']>[2]) => {
    const t = atMs - t0;
    emit(encoder ? encoder.put(t, kind, obj as never) : { t, op: 'put', kind, obj } as never);
  };
  const del = (atMs: number, kind: 'Node' | 'Pod', name: string) => {
    const t = atMs - t0;
    emit(encoder ? encoder.del(t, kind, name) : { t, op: 'del', kind, name });
  };
  const steps = merge(sc.timeline, sc.actions.filter((a) => /^(node\.(un)?label|daemonset\.(setImage|rollback))$/.test(a.kind)), sc.events).filter((s) => s.atMs <= last);
  let twin: Recording['twin'] | undefined;
  for (const s of steps) {
    if (!encoder && s.atMs >= t0) {
      put(t0, 'DaemonSet', { namespace: ns, name: dsName, generation: 1, ...(opts.daemonSet.metadata?.labels ? { labels: opts.daemonSet.metadata.labels } : {}), spec: specs.current });
      twin = st.toTwin(iso(t0));
      encoder = new ChangeEncoder(twin);
    }
    if ('type' in s && 'summary' in s) entry(s, { put, del }, st, ns, dsName, labels, iso);
    else if ('kind' in s && 'description' in s) action(s, put, st, ns, dsName, specs, file);
    else put(s.atMs, 'Event', { namespace: ns, name: `${s.object}.${s.atMs}`, type: s.type, reason: s.reason, message: s.message, object: { kind: s.object.split('/')[0]!, name: s.object.split('/').slice(1).join('/'), namespace: ns }, count: s.count });
  }
  const warnings = sc.actions.filter((a) => a.kind === 'daemonset.patch').map((a) => `${file}: ${a.description} at +${Math.round((a.atMs - t0) / 1000)}s: a report does not say what the patch set; not replayed`);
  return {
    file, format: 'report.json', twin: twin ?? st.toTwin(iso(t0)), changes, warnings,
    header: { apiVersion: RECORDING_API_VERSION, kind: RECORDING_KIND, startedAt: iso(t0), source: { format: 'report.json' }, namespace: ns, daemonSets: [`${ns}/${dsName}`] },
    end: { t: last - t0, op: 'end', reason: `end of the last step of scenario "${sc.name}"` },
  };
}

type Step = TimelineEntry | ActionReport | ScenarioReport['events'][number];
type Put = (atMs: number, kind: 'Node' | 'Pod' | 'DaemonSet' | 'ControllerRevision' | 'Event', obj: never) => void;
type Del = (atMs: number, kind: 'Node' | 'Pod', name: string) => void;

// Timeline entries, actions and events in time order (an action before the changes it caused at the same ms).
function merge(timeline: TimelineEntry[], actions: ActionReport[], events: ScenarioReport['events']): Step[] {
  return [...actions, ...timeline, ...events.map((e) => ({ ...e, atMs: e.atMs }))].map((s, i) => ({ s, i })).sort((a, b) => a.s.atMs - b.s.atMs || a.i - b.i).map((x) => x.s);
}

function entry(e: TimelineEntry, { put, del }: { put: Put; del: Del }, st: RecordingState, ns: string, ds: string, labels: Map<string, Record<string, string>>, iso: (ms: number) => string): void {
  const s = e.summary;
  if (e.kind === 'Node') {
    if (e.type === 'DELETED') return del(e.atMs, 'Node', e.name);
    const before = st.nodes.get(e.name);
    const node: TwinNode = {
      name: e.name, labels: before?.labels ?? labels.get(e.name) ?? {}, taints: ((s.taints as string[] | undefined) ?? []).map(parseTaint),
      unschedulable: s.unschedulable === true, capacity: {}, allocatable: {}, conditions: { Ready: String(s.ready ?? 'Unknown') },
    };
    put(e.atMs, 'Node', node as never);
  } else if (e.kind === 'Pod' && s.daemonSet === ds) {
    const before = st.pods.get(`${ns}/${e.name}`);
    const ready = s.ready === true;
    const pod: RecordedPod = {
      name: e.name, node: String(s.node || before?.node || ''), ...(s.hash ? { revisionHash: String(s.hash) } : {}), phase: String(s.phase ?? 'Pending'), ready,
      ...(ready ? { readySince: before?.ready ? before.readySince! : iso(e.atMs) } : {}), ...(s.reason ? { reason: String(s.reason) } : {}),
      ...(s.terminating ? { terminating: true } : {}), createdAt: before?.createdAt ?? iso(e.atMs), namespace: ns, daemonSet: ds,
    };
    if (e.type === 'DELETED') {
      if (before && !before.terminating) put(e.atMs, 'Pod', { ...before, terminating: true } as never);
      del(e.atMs, 'Pod', `${ns}/${e.name}`);
    } else if (pod.node) put(e.atMs, 'Pod', pod as never);
  } else if (e.kind === 'ControllerRevision' && e.name.startsWith(`${ds}-`)) {
    put(e.atMs, 'ControllerRevision', { namespace: ns, daemonSet: ds, hash: String(s.hash), number: Number(s.revision) } as never);
  } else if (e.kind === 'DaemonSet' && e.name === ds) {
    const d = st.daemonSets.get(`${ns}/${ds}`);
    if (d) put(e.atMs, 'DaemonSet', { ...d, generation: Number(s.generation ?? d.generation), status: { desiredNumberScheduled: Number(s.desired ?? 0), currentNumberScheduled: Number(s.current ?? 0), numberReady: Number(s.ready ?? 0), numberMisscheduled: Number(s.misscheduled ?? 0), numberAvailable: Number(s.available ?? 0), updatedNumberScheduled: Number(s.updated ?? 0), observedGeneration: Number(s.observedGeneration ?? 0) } } as never);
  }
}

// rollcall's own actions say what the timeline cannot: which labels and images it set, which revision it rolled back to.
function action(a: ActionReport, put: Put, st: RecordingState, ns: string, ds: string, specs: SpecHistory, file: string): void {
  const label = /^(un)?label (\S+) (\S+)$/.exec(a.description);
  if (label) {
    const node = st.nodes.get(label[2]!);
    if (!node) return;
    const next = { ...node.labels };
    for (const kv of label[3]!.split(',')) {
      if (label[1]) delete next[kv];
      else next[kv.slice(0, kv.indexOf('='))] = kv.slice(kv.indexOf('=') + 1);
    }
    return void put(a.atMs, 'Node', { ...node, labels: next } as never);
  }
  const d = st.daemonSets.get(`${ns}/${ds}`);
  const image = /^set image of ([^/]+)\/(\S+) to (\S+)$/.exec(a.description);
  const rollback = /^roll back (\S+) to revision (\d+)$/.exec(a.description);
  if (!d || (image && image[1] !== ds) || (rollback && rollback[1] !== ds)) return;
  if (image) put(a.atMs, 'DaemonSet', { ...d, spec: specs.setImage(image[2]!, image[3]!) } as never);
  else if (rollback) put(a.atMs, 'DaemonSet', { ...d, spec: specs.rollback(Number(rollback[2]), `${file}: ${a.description}`) } as never);
}

function parseTaint(s: string): V1Taint {
  const [kv, effect] = [s.slice(0, s.lastIndexOf(':')), s.slice(s.lastIndexOf(':') + 1)];
  const eq = kv.indexOf('=');
  return eq < 0 ? { key: kv, effect } : { key: kv.slice(0, eq), value: kv.slice(eq + 1), effect };
}

/** The DaemonSet's templates by revision number, renumbered as the controller does when one comes back. */
class SpecHistory {
  current: V1DaemonSetSpec;
  private readonly byNumber = new Map<number, V1DaemonSetSpec['template']>();

  constructor(initial: V1DaemonSetSpec) {
    this.current = JSON.parse(JSON.stringify(initial)) as V1DaemonSetSpec;
    this.byNumber.set(1, this.current.template);
  }

  setImage(container: string, image: string): V1DaemonSetSpec {
    const next = JSON.parse(JSON.stringify(this.current)) as V1DaemonSetSpec;
    for (const c of next.template.spec?.containers ?? []) if (c.name === container) c.image = image;
    return this.become(next.template);
  }

  rollback(revision: number, where: string): V1DaemonSetSpec {
    const template = this.byNumber.get(revision);
    if (!template) throw new UsageError(`${where}: revision ${revision} is not in the timeline`);
    return this.become(template);
  }

  private become(template: V1DaemonSetSpec['template']): V1DaemonSetSpec {
    const max = Math.max(...this.byNumber.keys());
    const same = [...this.byNumber.entries()].find(([, t]) => canonicalJson(t) === canonicalJson(template));
    if (same && same[0] === max) return this.current;
    if (same) this.byNumber.delete(same[0]);
    this.byNumber.set(max + 1, template);
    this.current = { ...this.current, template };
    return this.current;
  }
}
