// What a running scenario is wired to: cluster, recorder, report collectors, undo stack.
import type { RunningCluster } from '../providers/cluster.js';
import type { Recorder } from '../observe/recorder.js';
import type { CleanupStack } from '../runner/cleanup-stack.js';
import type { ActionReport, AssertionReport, StepReport, TimingReport } from '../report/report-model.js';

export interface ScenarioRuntime {
  cluster: RunningCluster;
  recorder: Recorder;
  namespace: string;
  /** The scenario file, for error messages; manifests resolve relative to its folder. */
  file: string;
  baseDir: string;
  undo: CleanupStack;
  signal: AbortSignal;
  steps: StepReport[];
  assertions: AssertionReport[];
  timings: TimingReport[];
  actions: ActionReport[];
  /** Progress output (step start/end, timings, logs). */
  events: {
    stepStart(name: string): void;
    stepEnd(step: StepReport): void;
    timing(t: TimingReport): void;
    log(line: string): void;
  };
}

/** An action rollcall took, with when it started on the scenario's clock. */
export interface ActionRecord {
  kind: string;
  description: string;
  atMs: number;
}
