// The runtime half of a generated incident scenario: keeps the recorded schedule, records the replay with the same
// recorder as `rollcall record`, and at the end compares the two node by node in the scenario's report.
import type { ScenarioContext } from '../scenario/scenario-context.js';
import type { DaemonSetHandle } from '../scenario/daemonset-handle.js';
import { apiMessage, apiStatus } from '../kube/kube-client.js';
import { LiveRecorder } from '../record/live-recorder.js';
import type { ChangeLine } from '../recording/recording-model.js';
import type { ClusterTwin } from '../twin/twin-model.js';
import { formatMs } from '../util/duration.js';
import { compareOutcomes, type OutcomeVerdict } from './compare-outcomes.js';
import { coverageOutcomes } from './coverage-outcomes.js';
import { checkTime, type RecordedOutcomes } from './replay-plan.js';

const EVICTION_RETRY_MS = 30_000;

/**
 * Drives a replay: `at(i)` sleeps until cause group `i`'s recorded offset divided by the speed,
 * `end()` until the recorded window is over, and `compare()` asserts, per node, that coverage
 * was lost and regained as recorded (and per rollout, that it halted or completed as recorded).
 *
 * @example
 * const incident = await IncidentReplay.start(t, ds, recorded);
 * try {
 *   await incident.at(0);
 *   await t.step('+5.0s: worker-2 goes NotReady', () => t.nodes.fail('worker-2'));
 *   await incident.end();
 *   await t.step('outcomes as recorded', () => incident.compare());
 * } finally {
 *   incident.stop();
 * }
 */
export class IncidentReplay {
  private readonly lines: ChangeLine[] = [];
  private readonly marks: Array<number | undefined>;
  private recorder!: LiveRecorder;
  private twin!: ClusterTwin;

  private constructor(private readonly t: ScenarioContext, private readonly ds: DaemonSetHandle, readonly recorded: RecordedOutcomes) {
    this.marks = recorded.groups.map(() => undefined);
  }

  /** Starts recording the scenario's namespace; the replay's +0s is now. */
  static async start(t: ScenarioContext, ds: DaemonSetHandle, recorded: RecordedOutcomes): Promise<IncidentReplay> {
    const replay = new IncidentReplay(t, ds, recorded);
    replay.recorder = new LiveRecorder({ kube: t.kube, namespace: t.namespace, daemonSets: [ds.name], context: 'replay', onLine: (l) => replay.lines.push(l) });
    replay.twin = await replay.recorder.start();
    return replay;
  }

  /** Waits until cause group `group` is due (its recorded offset / speed), then notes when it started. */
  async at(group: number): Promise<void> {
    const due = (this.recorded.groups[group]?.at ?? 0) / this.recorded.speed;
    const wait = due - this.recorder.now();
    if (wait > 0) await this.t.sleep(Math.round(wait));
    else if (wait < -1000) this.t.log(`cause group ${group + 1} starts ${formatMs(-wait)} late (the step before took longer than the recorded gap)`);
    this.marks[group] = this.recorder.now();
  }

  /**
   * Waits until the recorded window is over, letting the controllers finish reacting: after the last
   * cause only controllers act, and they do not speed up, so that tail is waited out unscaled, plus
   * the tolerance (an effect up to that much later than recorded still counts as on time).
   */
  async end(): Promise<void> {
    const last = this.recorded.groups.length - 1;
    const mark = this.marks[last];
    const tail = mark === undefined ? this.recorded.end / this.recorded.speed : mark + (this.recorded.end - this.recorded.groups[last]!.at);
    const due = tail + this.recorded.tolerance.ms;
    const wait = due - this.recorder.now();
    if (wait > 0) await this.t.sleep(Math.round(wait));
  }

  /** Evicts the DaemonSet's pod on `node` through the Eviction API (which honours PodDisruptionBudgets), retrying while a budget refuses. */
  async evictPod(node: string): Promise<void> {
    const pod = (this.ds.podsByNode().get(node) ?? []).find((p) => !p.metadata?.deletionTimestamp)?.metadata?.name;
    if (!pod) throw new Error(`evictPod: DaemonSet ${this.ds.name} has no pod on node ${node}`);
    this.t.log(`evict pod ${pod} on ${node}`);
    const deadline = performance.now() + EVICTION_RETRY_MS;
    for (;;) {
      try {
        await this.t.kube.core.createNamespacedPodEviction({ name: pod, namespace: this.t.namespace, body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod, namespace: this.t.namespace } } });
        return;
      } catch (err) {
        if (apiStatus(err) !== 429 || performance.now() > deadline) throw new Error(`evicting ${pod}: ${apiMessage(err)}`, { cause: err });
        await this.t.sleep(1000);
      }
    }
  }

  /** The verdicts, replay against recording (also what `compare` asserts). */
  verdicts(): OutcomeVerdict[] {
    const now = this.recorder.now();
    const groups = this.recorded.groups.map((g, i) => ({ ...g, at: this.marks[i] }));
    const checks = groups.map((g, i) => (g.rollout && g.at !== undefined ? checkTime(groups, i, now) : undefined));
    const changes = this.lines.filter((l): l is Exclude<ChangeLine, { op: 'end' }> => l.op !== 'end');
    const out = coverageOutcomes(this.twin, changes, `${this.t.namespace}/${this.ds.name}`, 0, now, checks.filter((c): c is number => c !== undefined));
    let k = 0;
    const rollouts = checks.map((c) => (c === undefined ? undefined : out.rollouts[k++]));
    return compareOutcomes(
      { gaps: this.recorded.gaps, rollouts: this.recorded.rollouts.map((r) => r ?? undefined), groups: this.recorded.groups, end: this.recorded.end },
      { gaps: out.gaps, rollouts, groups },
      this.recorded.tolerance,
    );
  }

  /**
   * Asserts every verdict (one per node that lost coverage on either side, one per rollout) and
   * logs each divergence; all are in the report, and the step fails with the first.
   */
  compare(): void {
    let first: unknown;
    for (const v of this.verdicts()) {
      for (const d of v.divergences) this.t.log(d);
      const nodes = [{ node: v.node ?? v.name, expected: `recorded: ${v.expected}`, observed: `replay: ${v.observed}`, ok: v.ok }];
      const summary = v.ok ? `as recorded: ${v.observed}` : v.divergences.join('; ');
      try {
        this.t.assert(v.name, { ok: v.ok, summary, nodes, problems: v.ok ? [] : v.divergences });
      } catch (err) {
        first ??= err;
      }
    }
    if (first) throw first;
  }

  /** Stops recording (call in `finally`). */
  stop(): void {
    this.recorder?.stop();
  }
}
