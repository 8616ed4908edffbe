// A DaemonSet under test: the workload chaos of chaos/ plus expectations judged on the timeline.
import {
  BudgetTracker, coverageRuledOut, judgeCoverage, judgeRolloutHalted, kubectlRolloutStatus, toJudgement, unavailableWithinBudget,
  type ClusterSnapshot, type IncrementalJudge, type CoverageOptions, type Judgement, type JudgeResult,
} from '../expect/index.js';
import type { V1DaemonSet } from '@kubernetes/client-node';
import { WorkloadChaos } from '../chaos/workload-chaos.js';
import type { Act, ChaosRuntime } from '../chaos/chaos-runtime.js';
import { Expectation, type ExpectationHost } from './expectation.js';

/** A custom judge over one consistent snapshot: true, false, a failure message, or a Judgement. */
export type CustomJudge = (s: ClusterSnapshot) => JudgeResult;

/**
 * The DaemonSet a scenario applied (`await t.daemonSet(...)`): chaos on it (setImage, badImage,
 * patch, rollback, deletePod, failPod) and expectations over what the controller does.
 *
 * @example
 * const ds = await t.daemonSet('manifests/fluent-bit.yaml', { name: 'fluent-bit' });
 * await ds.expectCoverage().within('60s');
 * await ds.badImage('pull-error');
 * await ds.expectRolloutHalted().within('60s', { stableFor: '10s' });
 * await ds.expect('no pod on the GPU pool', (s) => !s.pods.some((p) => p.spec?.nodeName?.startsWith('gpu-'))).holdsFor('30s');
 */
export class DaemonSetHandle extends WorkloadChaos {
  constructor(rt: ChaosRuntime, act: Act, private readonly host: ExpectationHost, name: string) {
    super(rt, act, name);
  }

  /**
   * A custom expectation: `judge` sees a snapshot on every recorded change and returns true,
   * false, a failure message, or a Judgement. `expected` words the rule for the report.
   */
  expect(name: string, judge: CustomJudge, opts: { expected?: string } = {}): Expectation {
    return this.expectation(name, judge, opts.expected ?? name);
  }

  /** Every eligible node runs exactly one available pod of the current revision; nothing elsewhere; status agrees. */
  expectCoverage(opts: CoverageOptions = {}): Expectation {
    // While the status shows the controller is not done, waiting need not judge every node (1,000 of them, per change).
    return this.expectation(`coverage of ${this.name}`, (s) => judgeCoverage(s, opts), 'exactly one available pod of the current revision on every eligible node, none elsewhere, status counters agree', (ds) => coverageRuledOut(ds, opts) !== undefined);
  }

  private expectation(name: string, judge: CustomJudge, expected: string, ruledOut?: (ds: V1DaemonSet) => boolean): Expectation {
    const key = `${this.namespace}/${this.name}`;
    const tick = (this.rt.recorder.state.daemonSets.get(key)?.spec?.minReadySeconds ?? 0) > 0 ? 500 : undefined;
    return new Expectation(this.host, name, expected, (state, now) => {
      const s = this.snapshot(state, now);
      return s ? toJudgement(judge(s), name) : { ok: false, summary: `DaemonSet ${this.name} not seen yet`, nodes: [], problems: [`DaemonSet ${this.name} not seen yet`] };
    }, tick, ruledOut && ((state) => {
      const ds = state.daemonSets.get(key);
      return ds === undefined || ruledOut(ds);
    }));
  }

  /** `kubectl rollout status daemonset` would say the rollout is done. */
  expectRolloutComplete(): Expectation {
    return this.expect(`rollout of ${this.name} complete`, (s) => {
      const r = kubectlRolloutStatus(s.daemonSet);
      return r.done && !r.error ? { ok: true, summary: r.message, nodes: [], problems: [] } : (r.error ?? r.message);
    }, { expected: 'kubectl rollout status: successfully rolled out' });
  }

  /** The broken rollout stopped within its budget and the other nodes keep available old pods. Use `.within(d, { stableFor })`. */
  expectRolloutHalted(): Expectation {
    return this.expect(`rollout of ${this.name} halted within budget`, judgeRolloutHalted, { expected: 'unavailable nodes within maxUnavailable/maxSurge, old pods elsewhere available, rollout not progressing' });
  }

  /**
   * Judge for t.invariant: never more nodes without an available pod than the rolling-update budget.
   * On the live timeline t.invariant keeps it up to date per change (BudgetTracker) instead of
   * re-judging every node on every change.
   */
  readonly withinBudget: ((s: ClusterSnapshot) => Judgement) & { incremental: () => IncrementalJudge } = Object.assign(
    (s: ClusterSnapshot): Judgement => unavailableWithinBudget(s),
    { incremental: (): IncrementalJudge => new BudgetTracker(this.namespace, this.name) },
  );
}
