// rollcall's public API for scenario files.
export { defineScenario } from './scenario/define-scenario.js';
export type { Scenario, ScenarioDefinition } from './scenario/define-scenario.js';
export type { ScenarioContext, TimePoint } from './scenario/scenario-context.js';
export type { DaemonSetHandle, DaemonSetChanges } from './scenario/daemonset-handle.js';
export type { Expectation, ExpectationResult } from './scenario/expectation.js';
export type { NodeChaos } from './scenario/node-chaos.js';
export type { NodeSpec, BadImageKind } from './providers/cluster.js';
export type { Duration } from './util/duration.js';
export type { ClusterSnapshot, Judgement } from './expect/index.js';
export {
  judgeCoverage, judgeRolloutHalted, unavailableWithinBudget, noRestarts, nodeShouldRunDaemonPod,
  daemonPodsByNode, currentRevision, podRevisionHash, revisionNumberOf, isPodAvailable, describePod, kubectlRolloutStatus,
} from './expect/index.js';
