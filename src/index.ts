// rollcall's public API for scenario files: `import { defineScenario } from 'rollcall'`.
export { defineScenario } from './scenario/define-scenario.js';
export type { Scenario, ScenarioDefinition } from './scenario/define-scenario.js';
export type { ScenarioContext, TimePoint, KubectlResult } from './scenario/scenario-context.js';
export type { DaemonSetHandle, CustomJudge } from './scenario/daemonset-handle.js';
export type { DaemonSetChanges, WorkloadChaos } from './chaos/workload-chaos.js';
export type { Expectation, ExpectationResult, WithinOptions } from './scenario/expectation.js';
export type { NodeChaos, AddedNodes } from './chaos/node-chaos.js';
export type { RegistryChaos } from './chaos/registry-chaos.js';
export type { ControlPlaneChaos, ControlPlaneFault, ControlPlaneOptions } from './chaos/control-plane-chaos.js';
export type { ControlPlaneComponent } from './providers/cluster.js';
export type { ObservationGap, AcrossGaps } from './observe/observation-gaps.js';
export type { Capability } from './providers/capabilities.js';
export type { ActionRecord } from './chaos/chaos-runtime.js';
export type { NodeSpec, BadImageKind } from './providers/cluster.js';
export type { KubeClient } from './kube/kube-client.js';
export type { TaintEffect } from './kube/node-api.js';
export type { Duration } from './util/duration.js';
export type { ClusterSnapshot, Judgement, JudgeResult, NodeObservation, CoverageOptions } from './expect/index.js';
export {
  judgement, judgeCoverage, judgeRolloutHalted, unavailableWithinBudget, noRestarts, nodeShouldRunDaemonPod,
  daemonPodsByNode, currentRevision, podRevisionHash, revisionNumberOf, isPodAvailable, describePod, kubectlRolloutStatus,
} from './expect/index.js';
export { IncidentReplay } from './replay/incident-replay.js';
export type { RecordedOutcomes } from './replay/replay-plan.js';
// The rehearsal battery (`rollcall rehearse`): its steps and the scenario that runs them, to read, reuse and copy.
export { rehearsalScenario, BATTERY } from './rehearse/battery/rehearsal-scenario.js';
export type { StepObserver } from './rehearse/battery/rehearsal-scenario.js';
export { StepSkipped, fromFullCoverage } from './rehearse/battery/battery-step.js';
export type { BatteryStep } from './rehearse/battery/battery-step.js';
export { planRehearsal } from './rehearse/rehearsal-target.js';
export type { RehearsalTarget, NodePrediction, ChurnTrigger } from './rehearse/rehearsal-target.js';
export { readTwinFile as readTwin } from './twin/parse-twin.js';
export type { ClusterTwin } from './twin/twin-model.js';
