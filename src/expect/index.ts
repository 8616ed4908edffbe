// The pure judgement layer: coverage, rollout and budget verdicts over a ClusterSnapshot. No I/O.
export type { ClusterSnapshot, Judgement, NodeObservation, JudgeResult } from './judgement.js';
export { judgement, toJudgement } from './judgement.js';
export { nodeShouldRunDaemonPod, effectiveTolerations, toleratesTaint } from './eligibility.js';
export type { Eligibility, EligibilityOptions } from './eligibility.js';
export { parseIntOrPercent, rollingBudget } from './budget.js';
export type { RollingBudget } from './budget.js';
export {
  daemonPodsByNode, isTerminating, isPodReady, isPodAvailable, isPodUpdated, podRevisionHash,
  currentRevision, revisionNumberOf, describePod,
} from './daemon-pods.js';
export type { CurrentRevision } from './daemon-pods.js';
export { expectedStatus } from './status-counts.js';
export type { StatusCounters } from './status-counts.js';
export { coverageRuledOut, judgeCoverage } from './coverage.js';
export type { CoverageOptions } from './coverage.js';
export { kubectlRolloutStatus, judgeRolloutHalted } from './rollout.js';
export type { RolloutStatus } from './rollout.js';
export { unavailableWithinBudget, noRestarts } from './invariants.js';
export { BudgetTracker } from './budget-tracker.js';
export type { IncrementalJudge, ObjectChange } from './budget-tracker.js';
