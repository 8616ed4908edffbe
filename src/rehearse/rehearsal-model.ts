// What `rollcall rehearse` produces: per DaemonSet x battery step x Kubernetes version, what happened, beside check's prediction.
// rehearsal.json is this object; the matrix page is rendered from it.
import type { Finding } from '../check/check-model.js';
import type { Verdict } from '../report/report-model.js';
import type { NodePool } from './node-pools.js';
import type { NodePrediction } from './rehearsal-target.js';

/** One cell of the matrix: one step on one DaemonSet on one version. */
export interface StepOutcome {
  verdict: Verdict;
  /** Why it failed, errored or was skipped (one line). */
  reason?: string;
  durationMs: number;
  timings: Array<{ name: string; ms: number }>;
  /** Lines the step logged (e.g. a PDB refusing a daemon pod's eviction). */
  notes: string[];
  /** For the coverage step: nodes of the copy left without a pod, with the oracle's reason. */
  uncovered?: Array<{ node: string; observed: string }>;
}

/** One DaemonSet on one version. */
export interface DaemonSetRun {
  verdict: Verdict;
  /** The scenario's detail page, relative to the rehearsal folder. */
  detail: string;
  durationMs: number;
  steps: Record<string, StepOutcome>;
  /** Events of the run, as `Type Reason: message` with names replaced, once each. */
  events: string[];
  /** kube-controller-manager log lines that say a controller refused to act on a stale cache. */
  staleReads: number;
  error?: string;
}

export interface DaemonSetRehearsal {
  id: string;
  strategy: 'RollingUpdate' | 'OnDelete';
  prediction: NodePrediction[];
  findings: Array<Pick<Finding, 'check' | 'severity' | 'message'>>;
  /** Keyed by version, e.g. `v1.36.3`. */
  runs: Record<string, DaemonSetRun>;
}

/** One step x DaemonSet where the two versions differ. */
export interface Difference {
  daemonSet: string;
  step?: string;
  kind: 'verdict' | 'timing' | 'event' | 'controller-log';
  /** One line, naming both versions. */
  message: string;
}

export interface RehearsalReport {
  schemaVersion: 1;
  source: string;
  twinName: string;
  capturedAt: string;
  /** The twin's own API server version. */
  serverVersion: string;
  startedAt: string;
  endedAt: string;
  verdict: Verdict;
  /** Versions rehearsed, target first, then --against. */
  versions: Array<{ version: string; role: 'target' | 'current'; durationMs: number; verdict: Verdict }>;
  maxNodesPerPool: number;
  twinNodeCount: number;
  pools: NodePool[];
  steps: Array<{ id: string; title: string }>;
  daemonSets: DaemonSetRehearsal[];
  /** Present with --against. */
  diff?: { threshold: string; differences: Difference[] };
  /** What the copy does not reproduce, for the reader. */
  notes: string[];
}
