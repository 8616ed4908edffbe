// The report model: what one `rollcall run` observed and judged. report.json is this, serialised;
// index.html and junit.xml are rendered from it. Field names are a stable, documented schema.

export const REPORT_SCHEMA_VERSION = 1;

export type Verdict = 'passed' | 'failed' | 'error' | 'skipped';

export interface RunReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  runId: string;
  /** ISO 8601 wall-clock times. */
  startedAt: string;
  endedAt: string;
  verdict: Verdict;
  provider: string;
  /** e.g. "v1.36.3", from the API server's /version. */
  kubernetesVersion: string;
  rollcallVersion: string;
  /** The command line that reproduces this run. */
  command: string;
  scenarios: ScenarioReport[];
}

export interface ScenarioReport {
  name: string;
  /** Path of the scenario file, relative to the working directory. */
  file: string;
  description?: string;
  tags: string[];
  verdict: Verdict;
  startedAt: string;
  endedAt: string;
  /** Milliseconds since the scenario's timeline started (monotonic). */
  durationMs: number;
  cluster: { name: string; nodeCount: number };
  namespace: string;
  /** One line: why it failed or errored. */
  error?: string;
  steps: StepReport[];
  assertions: AssertionReport[];
  timings: TimingReport[];
  /** rollcall's own actions (node added, image set, ...), for markers on charts. */
  actions: ActionReport[];
  /** Every recorded change, compacted (see TimelineEntry). */
  timeline: TimelineEntry[];
  /** Kubernetes Events seen in the scenario's namespace and on nodes. */
  events: EventReport[];
  /** Last observed state per node at the end (or at the failure). */
  finalNodes: NodeState[];
  /** Undo actions run at the end. */
  cleanup: Array<{ what: string; ok: boolean; error?: string }>;
  /** Spans nothing was observed in, overlapping ones merged (absent in reports before gaps were kept). */
  gaps?: GapReport[];
}

export interface StepReport {
  name: string;
  verdict: Verdict;
  /** ms since scenario start. */
  startMs: number;
  endMs: number;
  error?: string;
}

export interface NodeObservationReport {
  node: string;
  expected: string;
  observed: string;
  ok: boolean;
}

export interface AssertionReport {
  name: string;
  step?: string;
  verdict: 'passed' | 'failed';
  /** What should hold, in words ("exactly one available pod of revision 2 on every eligible node"). */
  expected: string;
  /** What was last observed (one line). */
  observed: string;
  /** ms since scenario start when it was decided. */
  atMs: number;
  /** Every node; above 100 nodes only those that did not match (the others are counted in `nodesOk`). */
  nodes: NodeObservationReport[];
  /** How many nodes matched (left out of `nodes`: at 1,000 nodes they were most of report.json). */
  nodesOk?: number;
  problems: string[];
  /** Gaps in the recording within its window: why it failed as unobserved, or what a pass had to reckon with. */
  gaps?: GapReport[];
}

/** A span of the scenario's clock in which nothing was observed (a watch cut, a frozen API server). */
export interface GapReport {
  fromMs: number;
  /** Absent only for a gap still open when the report was made. */
  toMs?: number;
  /** Which watches (`all` for a fault that blinded every one). */
  watches: string[];
  reason: string;
}

export interface TimingReport {
  name: string;
  ms: number;
  thresholdMs?: number;
  verdict: 'passed' | 'failed';
  from: string;
  to: string;
}

export interface ActionReport {
  atMs: number;
  /** e.g. "node.add", "node.taint", "daemonset.setImage". */
  kind: string;
  description: string;
  target?: string;
}

/** One change seen by a watch, reduced to what the report shows. */
export interface TimelineEntry {
  atMs: number;
  kind: 'Node' | 'Pod' | 'DaemonSet' | 'ControllerRevision' | 'Event' | 'Gap';
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'GAP';
  name: string;
  /** Compact state: for a node "Ready" / "NotReady" + taints + cordon; for a pod phase/readiness/revision; for a DaemonSet its status counters. */
  summary: Record<string, string | number | boolean | string[] | undefined>;
}

export interface EventReport {
  atMs: number;
  type: string;
  reason: string;
  object: string;
  message: string;
  count: number;
  /** How many routine events of this reason this entry stands for (see foldEvents); absent for one event. */
  folded?: number;
}

export interface NodeState {
  node: string;
  ready: string;
  taints: string[];
  unschedulable: boolean;
  pods: string[];
  /** Node labels (optional; shown in the report's node tables). */
  labels?: Record<string, string>;
}

/** Up to this many nodes an assertion keeps every node (rehearse reads the matching ones too). */
export const ALL_NODES_UP_TO = 100;

/** An assertion as the report keeps it: at scale, the nodes that did not match and a count of those that did. */
export function compactAssertion(a: AssertionReport): AssertionReport {
  if (a.nodes.length <= ALL_NODES_UP_TO) return a;
  const ok = a.nodes.filter((n) => n.ok).length;
  return ok === 0 ? a : { ...a, nodes: a.nodes.filter((n) => !n.ok), nodesOk: (a.nodesOk ?? 0) + ok };
}
