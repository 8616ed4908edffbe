// What `rollcall check` produces: per DaemonSet a coverage prediction, rollout arithmetic and findings.

/** How bad a finding is; `--fail-on` picks the lowest that fails the check (exit 1). */
export type Severity = 'info' | 'warning' | 'error';
export const SEVERITIES: readonly Severity[] = ['info', 'warning', 'error'];

/** Whether `s` is at least as bad as `threshold`. */
export function atLeast(s: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(s) >= SEVERITIES.indexOf(threshold);
}

/** One thing that will bite, with the evidence from the twin and what to change. */
export interface Finding {
  /** The check that found it (a CHECKS id). */
  check: string;
  severity: Severity;
  /** `namespace/name` of the DaemonSet, or the manifest file for removed-api. */
  subject: string;
  /** One line saying what is wrong. */
  message: string;
  /** The facts behind it, one per line (fields, counts, nodes). */
  evidence: string[];
  /** What to change. */
  fix: string;
  /** Nodes it concerns, if any. */
  nodes?: string[];
}

/** One node as one DaemonSet sees it: should it run the daemon, why not, and what runs there now. */
export interface NodeCoverage {
  node: string;
  /** nodeShouldRunDaemonPod's shouldRun: the node counts in desiredNumberScheduled. */
  eligible: boolean;
  /** Not eligible, but an existing pod may stay (untolerated NoSchedule only): it counts as misscheduled. */
  keepsExistingPod: boolean;
  /** Why it is not eligible (empty when eligible), in the oracle's words. */
  reasons: string[];
  /** The daemon pods there now, as describePod says them; `no daemon pod` when none. */
  pods: string;
  /** Exactly one available, non-terminating pod (of any revision) is there now. */
  availableNow: boolean;
}

/** What a rolling update of this DaemonSet does against its real desired count. */
export interface RolloutPlan {
  strategy: 'RollingUpdate' | 'OnDelete';
  /** Eligible nodes by the oracle (what desiredNumberScheduled will be). */
  desired: number;
  /** desiredNumberScheduled as the controller last wrote it. */
  statusDesired: number;
  maxUnavailable: number;
  maxSurge: number;
  /** Nodes without a serving daemon pod at once during the update (0 with surge). */
  nodesDownAtOnce: number;
  /** Extra pods at once (surge). */
  extraPodsAtOnce: number;
  /** Batches of nodes the update goes through; 0 for OnDelete. */
  waves: number;
  /** Per wave: assumed time to Ready plus minReadySeconds. */
  secondsPerWave: number;
  /** waves x secondsPerWave. */
  estimateSeconds: number;
  /** Adds terminationGracePeriodSeconds per wave when old pods must stop first (maxSurge 0). */
  worstCaseSeconds: number;
  /** One line saying what was assumed. */
  assumption: string;
}

/** Everything checked about one DaemonSet. */
export interface DaemonSetCheck {
  daemonSet: string;
  coverage: NodeCoverage[];
  rollout: RolloutPlan;
  findings: Finding[];
}

/** The whole result; check.json is this object. */
export interface CheckReport {
  schemaVersion: 1;
  /** Where the twin came from: a file path or `context CTX`. */
  source: string;
  twinName: string;
  capturedAt: string;
  serverVersion: string;
  /** `--kubernetes-version`, when given. */
  targetVersion?: string;
  failOn: Severity;
  /** Seconds assumed from pod creation to Ready, for the rollout estimate. */
  assumedReadySeconds: number;
  nodeCount: number;
  daemonSets: DaemonSetCheck[];
  /** Findings about manifests (--manifests), not about one DaemonSet. */
  manifestFindings: Finding[];
  /** Every check id that ran, for JUnit's DaemonSet x check grid. */
  checks: string[];
  /** Files read from --manifests. */
  manifestFiles: string[];
  /** Whether any finding reaches failOn. */
  failed: boolean;
}
