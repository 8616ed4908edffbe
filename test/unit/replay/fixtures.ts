// Plain-data recordings for the replay unit tests: a twin with nodes and one DaemonSet, and change lines built by hand.
import type { V1DaemonSetSpec } from '@kubernetes/client-node';
import type { ChangeLine, Recording, RecordedPod } from '../../../src/recording/recording-model.js';
import type { ClusterTwin, TwinNode } from '../../../src/twin/twin-model.js';

export const STARTED_AT = '2025-06-01T12:00:00.000Z';
export const NS = 'mon';
export const DS = 'agent';
export const DS_KEY = `${NS}/${DS}`;

export function spec(image = 'agent:1', maxUnavailable: number | string = 1): V1DaemonSetSpec {
  return {
    selector: { matchLabels: { app: DS } },
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable, maxSurge: 0 } },
    template: { metadata: { labels: { app: DS } }, spec: { containers: [{ name: 'main', image }] } },
  };
}

export function node(name: string, extra: Partial<TwinNode> = {}): TwinNode {
  return {
    name, labels: { 'kubernetes.io/hostname': name }, taints: [], unschedulable: false, capacity: {}, allocatable: {},
    conditions: { Ready: 'True' }, ...extra,
  };
}

/** A Running, Ready pod of revision `hash` on `nodeName`, Ready since `readyAtMs` after the start. */
export function pod(name: string, nodeName: string, extra: Partial<RecordedPod> = {}, readyAtMs = -60_000): RecordedPod {
  return {
    name, node: nodeName, revisionHash: 'h1', phase: 'Running', ready: true, readySince: at(readyAtMs), createdAt: at(readyAtMs),
    namespace: NS, daemonSet: DS, ...extra,
  };
}

/** RFC 3339 time `ms` after the recording's start. */
export function at(ms: number): string {
  return new Date(Date.parse(STARTED_AT) + ms).toISOString();
}

/** A twin of `nodes`, one pod of revision h1 on each. */
export function twin(names: string[], daemonSpec: V1DaemonSetSpec = spec()): ClusterTwin {
  return {
    apiVersion: 'rollcall.dev/v1alpha1', kind: 'ClusterTwin', metadata: { name: 'test', capturedAt: STARTED_AT }, serverVersion: 'v1.36.3',
    nodes: names.map((n) => node(n)), namespaces: [{ name: NS }], priorityClasses: [], podDisruptionBudgets: [],
    daemonSets: [{
      namespace: NS, name: DS, generation: 1, spec: daemonSpec, revisions: [{ hash: 'h1', number: 1 }],
      pods: names.map((n) => {
        const { namespace: _n, daemonSet: _d, ...p } = pod(`${DS}-${n}`, n);
        return p;
      }),
    }],
  };
}

/** A recording of `changes`, put in time order as a recorder writes them. */
export function recording(t: ClusterTwin, lines: ChangeLine[], ended = true): Recording {
  const changes = lines.map((l, i) => ({ l, i })).sort((a, b) => a.l.t - b.l.t || a.i - b.i).map((x) => x.l);
  const end = changes.find((c) => c.op === 'end');
  return {
    file: 'test.rec', format: 'rollcall', twin: t, warnings: [],
    header: { apiVersion: 'rollcall.dev/v1alpha1', kind: 'Recording', startedAt: STARTED_AT, source: { cluster: 'test' }, daemonSets: [DS_KEY] },
    changes: changes.filter((c): c is Exclude<ChangeLine, { op: 'end' }> => c.op !== 'end'),
    ...(end && end.op === 'end' ? { end } : ended ? { end: { t: (changes.at(-1)?.t ?? 0) + 1000, op: 'end', reason: 'test' } } : {}),
  };
}

/** Change lines for: the pod on `nodeName` is deleted at `t` and a new one is Ready `readyAfter` ms later. */
export function replacePod(t: number, nodeName: string, oldName: string, newName: string, readyAfter: number, hash = 'h1'): ChangeLine[] {
  return [
    { t, op: 'put', kind: 'Pod', obj: pod(oldName, nodeName, { terminating: true }) },
    { t: t + 10, op: 'del', kind: 'Pod', name: `${NS}/${oldName}` },
    { t: t + 20, op: 'put', kind: 'Pod', obj: pod(newName, nodeName, { phase: 'Pending', ready: false, readySince: undefined, revisionHash: hash, createdAt: at(t + 20) }) },
    { t: t + readyAfter, op: 'put', kind: 'Pod', obj: pod(newName, nodeName, { revisionHash: hash, readySince: at(t + readyAfter), createdAt: at(t + 20) }) },
  ];
}
