// What a running scenario is wired to: the chaos runtime (cluster, recorder, undo registry) plus
// the report collectors and progress output.
import type { ChaosRuntime } from '../chaos/chaos-runtime.js';
import type { ActionReport, AssertionReport, StepReport, TimingReport } from '../report/report-model.js';

export interface ScenarioRuntime extends ChaosRuntime {
  /** Manifests resolve relative to the scenario file's folder. */
  baseDir: string;
  signal: AbortSignal;
  /** The kubectl binary for `t.kubectl` (resolved, and built if need be, on first use). */
  kubectl: () => Promise<string>;
  steps: StepReport[];
  assertions: AssertionReport[];
  timings: TimingReport[];
  actions: ActionReport[];
  /** Progress output (step start/end, timings, t.log lines). */
  events: {
    stepStart(name: string): void;
    stepEnd(step: StepReport): void;
    timing(t: TimingReport): void;
    log(line: string): void;
  };
}
