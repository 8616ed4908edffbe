// Fixture reports for the report writers: a passing rollout, a failing one full of hostile strings
// and planted credentials, and a 1,000-node rollout. Built with the runner's summary conventions.
import { REPORT_SCHEMA_VERSION, type RunReport, type ScenarioReport, type TimelineEntry } from '../../../src/report/report-model.js';

/** Markup that would run script if any renderer forgot to escape it. */
export const HOSTILE = '<img src=x onerror=alert(1)>';
/** Variants that set window.__xss instead of alerting, for the browser sentinel. */
export const HOSTILE_SENTINELS = [
  '<img src=x onerror="window.__xss=1">',
  '<script>window.__xss=2</script>',
  '"><svg onload="window.__xss=3">',
  "'><iframe srcdoc=\"<script>parent.__xss=4</script>\"></iframe>",
  '</title></style></textarea><script>window.__xss=5</script>',
];
export const HOSTILE_NODE = `node-${HOSTILE}`;
/** A fake credential (the shape of a kubeconfig user and a service-account token) planted in cluster strings. */
export const FAKE_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06YWRtaW4ifQ.c2VjcmV0c2lnbmF0dXJlMTIz';
export const FAKE_KEY_DATA = 'LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFb3dJQkFBS0NBUUVB';
export const FAKE_KUBECONFIG = `users:\n- name: admin\n  user:\n    client-key-data: ${FAKE_KEY_DATA}\n    token: ${FAKE_TOKEN}\n`;
export const FAKE_PEM = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAsecretsecret\n-----END RSA PRIVATE KEY-----';

type Summary = TimelineEntry['summary'];
const entry = (atMs: number, kind: TimelineEntry['kind'], type: TimelineEntry['type'], name: string, summary: Summary): TimelineEntry => ({ atMs, kind, type, name, summary });
const nodeSummary = (ready: 'True' | 'False' | 'Unknown', taints: string[] = [], unschedulable = false): Summary => ({ ready, taints, unschedulable });
const podSummary = (node: string, revision: number, o: { phase?: string; ready?: boolean; reason?: string; terminating?: boolean; restarts?: number } = {}): Summary => ({
  node, phase: o.phase ?? (o.ready ? 'Running' : 'Pending'), ready: o.ready ?? false, revision, hash: `h${revision}`, reason: o.reason,
  terminating: o.terminating ?? false, restarts: o.restarts ?? 0, daemonSet: 'agent',
});

/** Collects node, pod and revision changes, then replays them in time order emitting DaemonSet status like the recorder does. */
class RolloutBuilder {
  private changes: TimelineEntry[] = [];
  constructor(private nodes: string[]) {}

  node(at: number, name: string, s: Summary, type: TimelineEntry['type'] = 'MODIFIED'): void {
    this.changes.push(entry(at, 'Node', type, name, s));
  }
  revision(at: number, revision: number): void {
    this.changes.push(entry(at, 'ControllerRevision', 'ADDED', `agent-h${revision}`, { revision, hash: `h${revision}` }));
  }
  pod(at: number, name: string, s: Summary, type: TimelineEntry['type'] = 'MODIFIED'): void {
    this.changes.push(entry(at, 'Pod', type, name, s));
  }
  get timeline(): TimelineEntry[] {
    const out: TimelineEntry[] = [];
    const pods = new Map<string, { node: string; revision: number; ready: boolean }>();
    let latest = 0;
    for (const e of [...this.changes].sort((a, b) => a.atMs - b.atMs)) {
      out.push(e);
      if (e.kind === 'Node') continue;
      if (e.kind === 'ControllerRevision') latest = Number(e.summary.revision);
      else if (e.type === 'DELETED') pods.delete(e.name);
      else pods.set(e.name, { node: String(e.summary.node), revision: Number(e.summary.revision), ready: e.summary.ready === true && e.summary.terminating !== true });
      const list = [...pods.values()];
      const available = new Set(list.filter((p) => p.ready).map((p) => p.node)).size;
      const updated = new Set(list.filter((p) => p.revision === latest).map((p) => p.node)).size;
      const desired = this.nodes.length;
      out.push(entry(e.atMs, 'DaemonSet', 'MODIFIED', 'agent', {
        desired, current: list.length, ready: available, available, updated, misscheduled: 0, unavailable: desired - available, generation: latest, observedGeneration: latest,
      }));
    }
    return out;
  }
}

/** A scenario skeleton with sensible defaults. */
function scenario(over: Partial<ScenarioReport> & Pick<ScenarioReport, 'name' | 'verdict'>): ScenarioReport {
  return {
    file: `scenarios/${over.name.replace(/\W+/g, '-')}.ts`, tags: [], startedAt: '2026-03-01T02:00:00.000Z', endedAt: '2026-03-01T02:00:12.000Z',
    durationMs: 12_000, cluster: { name: 'rollcall-kwok-1', nodeCount: 3 }, namespace: 'rollcall-ns', steps: [], assertions: [], timings: [],
    actions: [], timeline: [], events: [], finalNodes: [], cleanup: [], ...over,
  };
}

/** A clean rolling update from revision 1 to 2 over three Ready nodes. */
export function passingScenario(): ScenarioReport {
  const nodes = ['worker-1', 'worker-2', 'worker-3'];
  const b = new RolloutBuilder(nodes);
  b.revision(0, 1);
  nodes.forEach((n, i) => {
    b.node(0, n, nodeSummary('True'), 'ADDED');
    b.pod(100, `agent-old-${i}`, podSummary(n, 1), 'ADDED');
    b.pod(600 + i * 100, `agent-old-${i}`, podSummary(n, 1, { ready: true }));
  });
  b.revision(2000, 2);
  nodes.forEach((n, i) => {
    const t = 2100 + i * 1500;
    b.pod(t, `agent-old-${i}`, podSummary(n, 1, { ready: true, terminating: true }));
    b.pod(t + 200, `agent-old-${i}`, podSummary(n, 1), 'DELETED');
    b.pod(t + 250, `agent-new-${i}`, podSummary(n, 2, { reason: 'ContainerCreating' }), 'ADDED');
    b.pod(t + 1100, `agent-new-${i}`, podSummary(n, 2, { ready: true }));
  });
  return scenario({
    name: 'rolling update completes', verdict: 'passed', description: 'Image change rolls one node at a time.', tags: ['rollout'],
    steps: [{ name: 'apply DaemonSet', verdict: 'passed', startMs: 0, endMs: 1900 }, { name: 'set image v2 and wait for rollout', verdict: 'passed', startMs: 2000, endMs: 7000 }],
    assertions: [
      { name: 'coverage', step: 'apply DaemonSet', verdict: 'passed', expected: 'exactly one available pod of revision 1 on every eligible node', observed: '3/3 nodes covered', atMs: 900, nodes: [], problems: [] },
      { name: 'rollout complete', step: 'set image v2 and wait for rollout', verdict: 'passed', expected: 'updated == desired == available', observed: '3/3 updated, 3 available', atMs: 6500, nodes: [], problems: [] },
    ],
    timings: [{ name: 'rollout duration', ms: 4500, thresholdMs: 30_000, verdict: 'passed', from: 'image set', to: 'rollout complete' }],
    actions: [{ atMs: 2000, kind: 'daemonset.setImage', description: 'set image agent:v2', target: 'agent' }],
    timeline: b.timeline,
    events: [{ atMs: 2300, type: 'Normal', reason: 'SuccessfulDelete', object: 'DaemonSet/agent', message: 'Deleted pod: agent-old-0', count: 1 }],
    finalNodes: nodes.map((n, i) => ({ node: n, ready: 'True', taints: [], unschedulable: false, pods: [`agent-new-${i}`], labels: { 'kubernetes.io/hostname': n } })),
    cleanup: [{ what: 'delete namespace rollcall-ns', ok: true }],
  });
}

/** A rollout that halts on a crash-looping image, with a node going NotReady; hostile strings and credentials everywhere the cluster speaks. */
export function failingScenario(): ScenarioReport {
  const nodes = ['worker-1', 'worker-2', HOSTILE_NODE];
  const b = new RolloutBuilder(nodes);
  b.revision(0, 1);
  nodes.forEach((n, i) => {
    b.node(0, n, nodeSummary('True'), 'ADDED');
    b.pod(100, `agent-old-${i}`, podSummary(n, 1, { ready: true }), 'ADDED');
  });
  b.revision(1500, 2);
  b.pod(1600, 'agent-old-0', podSummary('worker-1', 1, { ready: true, terminating: true }));
  b.pod(1800, 'agent-old-0', podSummary('worker-1', 1), 'DELETED');
  b.pod(1850, 'agent-bad-0', podSummary('worker-1', 2, { reason: 'ContainerCreating' }), 'ADDED');
  b.pod(2600, 'agent-bad-0', podSummary('worker-1', 2, { phase: 'Running', reason: 'CrashLoopBackOff', restarts: 3 }));
  b.node(3000, HOSTILE_NODE, nodeSummary('False', [`node.kubernetes.io/not-ready=${HOSTILE}:NoExecute`], true));
  b.pod(3200, 'agent-old-2', podSummary(HOSTILE_NODE, 1, { phase: 'Running', ready: false }));
  return scenario({
    name: `crash-looping image halts the rollout ${HOSTILE}`, verdict: 'failed', error: `rollout halted: 1 node without an available pod ${HOSTILE}`,
    steps: [
      { name: 'apply DaemonSet', verdict: 'passed', startMs: 0, endMs: 1400 },
      { name: `set bad image ${HOSTILE_SENTINELS[0]}`, verdict: 'failed', startMs: 1500, endMs: 9000, error: 'rollout did not halt within budget' },
    ],
    assertions: [
      { name: 'coverage', verdict: 'passed', expected: 'every eligible node covered', observed: '3/3 nodes covered', atMs: 1400, nodes: [], problems: [] },
      {
        name: 'unavailable within budget', step: 'set bad image', verdict: 'failed', expected: 'at most 1 node without an available pod (maxUnavailable 1)',
        observed: `2 nodes without an available pod: worker-1 (agent-bad-0 CrashLoopBackOff), ${HOSTILE_NODE} (NotReady) ${HOSTILE_SENTINELS[1]}`, atMs: 3200,
        nodes: [
          { node: 'worker-1', expected: 'available pod', observed: 'agent-bad-0 CrashLoopBackOff (3 restarts)', ok: false },
          { node: HOSTILE_NODE, expected: 'available pod', observed: `agent-old-2 not ready ${HOSTILE_SENTINELS[2]}`, ok: false },
          { node: 'worker-2', expected: 'available pod', observed: 'agent-old-1 ready', ok: true },
        ],
        problems: [`old pod on ${HOSTILE_NODE} became unready ${HOSTILE_SENTINELS[3]}`],
      },
    ],
    timings: [{ name: 'halt detected', ms: 7200, thresholdMs: 5000, verdict: 'failed', from: 'image set', to: 'rollout halted' }],
    actions: [
      { atMs: 1500, kind: 'daemonset.setImage', description: `set image ${HOSTILE}`, target: 'agent' },
      { atMs: 3000, kind: 'node.fail', description: 'stop heartbeats', target: HOSTILE_NODE },
    ],
    timeline: b.timeline,
    events: [
      { atMs: 1700, type: 'Normal', reason: 'SuccessfulCreate', object: 'DaemonSet/agent', message: 'Created pod: agent-bad-0', count: 1 },
      { atMs: 2600, type: 'Warning', reason: 'BackOff', object: 'Pod/agent-bad-0', message: `Back-off restarting failed container ${HOSTILE} ${HOSTILE_SENTINELS[4]}`, count: 4 },
      { atMs: 2700, type: 'Warning', reason: 'Leak', object: `Pod/${HOSTILE}`, message: `container logged its kubeconfig: ${FAKE_KUBECONFIG} and Authorization: Bearer ${FAKE_TOKEN} ${FAKE_PEM}`, count: 1 },
      { atMs: 3000, type: 'Normal', reason: 'NodeNotReady', object: `Node/${HOSTILE_NODE}`, message: 'Node is not ready \u0001\u001b[31m', count: 1 },
    ],
    finalNodes: [
      { node: 'worker-1', ready: 'True', taints: [], unschedulable: false, pods: ['agent-bad-0'], labels: { role: HOSTILE } },
      { node: 'worker-2', ready: 'True', taints: [], unschedulable: false, pods: ['agent-old-1'] },
      { node: HOSTILE_NODE, ready: 'False', taints: [`node.kubernetes.io/not-ready=${HOSTILE}:NoExecute`], unschedulable: true, pods: ['agent-old-2'], labels: { [HOSTILE]: 'x' } },
    ],
    cleanup: [{ what: 'delete namespace rollcall-ns', ok: true }, { what: 'uncordon node', ok: false, error: 'node not found' }],
  });
}

/** A rolling update over `count` nodes in batches of 10%, with a few nodes going NotReady and one crash-looping pod. */
export function largeScenario(count = 1000): ScenarioReport {
  const nodes = Array.from({ length: count }, (_, i) => `node-${String(i + 1).padStart(4, '0')}`);
  const b = new RolloutBuilder(nodes);
  b.revision(0, 1);
  nodes.forEach((n, i) => {
    b.node(0, n, nodeSummary('True'), 'ADDED');
    b.pod(50, `agent-old-${i}`, podSummary(n, 1, { ready: true }), 'ADDED');
  });
  b.revision(2000, 2);
  const batch = Math.max(1, Math.ceil(count / 10));
  nodes.forEach((n, i) => {
    const t = 2100 + Math.floor(i / batch) * 1500 + (i % batch);
    b.pod(t, `agent-old-${i}`, podSummary(n, 1, { ready: true, terminating: true }));
    b.pod(t + 200, `agent-old-${i}`, podSummary(n, 1), 'DELETED');
    b.pod(t + 250, `agent-new-${i}`, podSummary(n, 2), 'ADDED');
    b.pod(t + 1000, `agent-new-${i}`, podSummary(n, 2, i === 7 ? { phase: 'Running', reason: 'CrashLoopBackOff', restarts: 2 } : { ready: true }));
  });
  for (const i of [3, 400, 401, 998]) {
    b.node(9000, nodes[i]!, nodeSummary('False', ['node.kubernetes.io/unreachable:NoExecute']));
    b.node(12_000, nodes[i]!, nodeSummary('True'));
  }
  return scenario({
    name: 'rolling update on 1000 nodes', verdict: 'passed', durationMs: 20_000, cluster: { name: 'rollcall-kwok-big', nodeCount: count },
    steps: [{ name: 'apply', verdict: 'passed', startMs: 0, endMs: 1900 }, { name: 'rollout', verdict: 'passed', startMs: 2000, endMs: 18_000 }],
    assertions: [{ name: 'rollout complete', verdict: 'passed', expected: 'updated == desired', observed: `${count}/${count} updated`, atMs: 17_000, nodes: [], problems: [] }],
    timings: [{ name: 'rollout duration', ms: 15_500, thresholdMs: 60_000, verdict: 'passed', from: 'image set', to: 'rollout complete' }],
    actions: [{ atMs: 2000, kind: 'daemonset.setImage', description: 'set image agent:v2', target: 'agent' }, { atMs: 9000, kind: 'node.fail', description: 'fail 4 nodes' }],
    timeline: b.timeline,
    events: Array.from({ length: 300 }, (_, i) => ({ atMs: 2000 + i, type: i % 50 ? 'Normal' : 'Warning', reason: 'SuccessfulCreate', object: 'DaemonSet/agent', message: `Created pod: agent-new-${i}`, count: 1 })),
    finalNodes: nodes.map((n, i) => ({ node: n, ready: 'True', taints: [], unschedulable: false, pods: [`agent-new-${i}`] })),
  });
}

/** A run around the given scenarios; the verdict is the worst of theirs. */
export function runReport(scenarios: ScenarioReport[], over: Partial<RunReport> = {}): RunReport {
  const order = ['error', 'failed', 'passed', 'skipped'] as const;
  const verdict = order.find((v) => scenarios.some((s) => s.verdict === v)) ?? 'passed';
  return {
    schemaVersion: REPORT_SCHEMA_VERSION, runId: '20260301-020000-ab12', startedAt: '2026-03-01T02:00:00.000Z', endedAt: '2026-03-01T02:00:30.000Z',
    verdict, provider: 'kwok', kubernetesVersion: 'v1.36.3', rollcallVersion: '0.1.0', command: 'rollcall run scenarios/ --provider kwok --seed 42',
    scenarios, ...over,
  };
}
