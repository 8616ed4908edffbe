// `t`, the object a scenario's run() receives: steps, DaemonSets, node chaos, the cluster's
// kubeconfig/client/kubectl, timings, invariants and custom assertions.
import type { KubernetesObject, V1DaemonSet } from '@kubernetes/client-node';
import { execa } from 'execa';

import { toJudgement, type ClusterSnapshot, type IncrementalJudge, type Judgement, type JudgeResult } from '../expect/index.js';
import type { BadImageKind } from '../providers/cluster.js';
import { apiMessage, type KubeClient } from '../kube/kube-client.js';
import { loadManifests, pickDaemonSet } from '../kube/manifests.js';
import type { StepReport, TimingReport } from '../report/report-model.js';
import { AssertionFailure, CapabilityError, UsageError } from '../util/errors.js';
import { durationIn, formatMs, type Duration } from '../util/duration.js';
import { sleep } from '../util/sleep.js';
import type { Act, ActionRecord } from '../chaos/chaos-runtime.js';
import { NodeChaos } from '../chaos/node-chaos.js';
import { RegistryChaos } from '../chaos/registry-chaos.js';
import { ControlPlaneChaos } from '../chaos/control-plane-chaos.js';
import { ManifestApply } from '../chaos/manifest-apply.js';
import { DaemonSetHandle } from './daemonset-handle.js';
import type { ExpectationHost } from './expectation.js';
import { describeGaps, judgeGaps, type AcrossGaps, type ObservationGap } from '../observe/observation-gaps.js';
import type { ScenarioRuntime } from './scenario-runtime.js';

/** Anything with a time on the scenario clock: an action or a passed expectation. */
export interface TimePoint {
  atMs: number;
  description?: string;
  name?: string;
}

/** What `t.kubectl(...)` hands back once kubectl exited 0. */
export interface KubectlResult extends ActionRecord {
  stdout: string;
  stderr: string;
}

/**
 * `t`, what a scenario's `run(t)` receives. Everything it does is recorded on the scenario's
 * timeline, and every change it makes is undone at the end, newest first, also after a failure.
 *
 * @example
 * async run(t) {
 *   const ds = await t.daemonSet('manifests/fluent-bit.yaml', { name: 'fluent-bit' });
 *   await t.step('covered', () => ds.expectCoverage().within('60s'));
 *   await t.step('survives a failed node', async () => {
 *     t.invariant('within budget', ds.withinBudget, ds);
 *     await t.nodes.fail('worker-2');
 *     await t.kubectl('get', 'pods', '-o', 'wide');
 *     t.assert('the DaemonSet still exists', (await t.kube.apps.listNamespacedDaemonSet({ namespace: t.namespace })).items.length === 1);
 *   });
 * }
 */
export class ScenarioContext {
  /** Node chaos: add, remove, taint, label, cordon, drain, fail, recover. */
  readonly nodes: NodeChaos;
  /** The registry the nodes pull from: fresh images, outages (kind; `requires: ['registry-outage']`). */
  readonly registry: RegistryChaos;
  /** The control plane's processes: restart or freeze one (kwok; `requires: ['control-plane-restart']` / `['control-plane-pause']`). */
  readonly controlPlane: ControlPlaneChaos;
  private readonly host: ExpectationHost;
  private readonly manifests: ManifestApply;
  private currentStep?: StepReport;
  private invariants = new Set<{ name: string; dispose(): void }>();
  /** Running steps, innermost last; an invariant violation fails every one of them at once. */
  private running: Array<(err: unknown) => void> = [];
  /** A violation of an invariant registered outside any step, reported when run() returns. */
  private lateViolation?: unknown;

  constructor(private readonly rt: ScenarioRuntime) {
    this.host = { recorder: rt.recorder, signal: rt.signal, file: rt.file, recordAssertion: (a) => rt.assertions.push({ ...a, step: this.currentStep?.name }) };
    this.nodes = new NodeChaos(rt, this.act);
    this.registry = new RegistryChaos(rt, this.act);
    this.controlPlane = new ControlPlaneChaos(rt, this.act);
    this.manifests = new ManifestApply(rt, this.act);
  }

  /** The namespace this scenario runs in (created for it, deleted afterwards). */
  get namespace(): string {
    return this.rt.namespace;
  }

  /** Absolute path of a kubeconfig for the scenario's cluster. */
  get kubeconfig(): string {
    return this.rt.cluster.kubeconfigPath;
  }

  /** @kubernetes/client-node clients for the scenario's cluster (`core`, `apps`, `objects`, `version`; `kubeconfig.makeApiClient(X)` for others). */
  get kube(): KubeClient {
    return this.rt.cluster.kube;
  }

  /** Runs a named phase; shown in progress output and the report. Invariants registered inside end with it. */
  async step<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
    const step: StepReport = { name, verdict: 'passed', startMs: this.rt.recorder.now(), endMs: 0 };
    const outer = this.currentStep;
    const outerInvariants = new Set(this.invariants);
    this.currentStep = step;
    this.rt.steps.push(step);
    this.rt.events.stepStart(name);
    let fail!: (err: unknown) => void;
    const violated = new Promise<never>((_, reject) => (fail = reject));
    violated.catch(() => {});
    this.running.push(fail);
    try {
      return await Promise.race([Promise.resolve().then(fn), violated]);
    } catch (err) {
      step.verdict = err instanceof AssertionFailure ? 'failed' : err instanceof CapabilityError ? 'skipped' : 'error';
      step.error = apiMessage(err);
      throw err;
    } finally {
      this.running = this.running.filter((f) => f !== fail);
      for (const inv of [...this.invariants]) if (!outerInvariants.has(inv)) inv.dispose();
      step.endMs = this.rt.recorder.now();
      this.currentStep = outer;
      this.rt.events.stepEnd(step);
    }
  }

  /**
   * Applies a DaemonSet in the scenario's namespace: a manifest file relative to the scenario (one
   * DaemonSet, or a bundle with its ServiceAccount, ConfigMaps and RBAC, or `helm template`
   * output: `name` picks the DaemonSet, and the rest of the file is applied too), or an object.
   */
  async daemonSet(source: string | V1DaemonSet, opts: { name?: string } = {}): Promise<DaemonSetHandle> {
    const where = typeof source === 'string' ? `${this.rt.file}: ${source}` : `${this.rt.file}: daemonSet()`;
    const objects = typeof source === 'string' ? loadManifests(source, this.rt.baseDir, where).objects : [source];
    const { daemonSet, companions } = pickDaemonSet(objects, opts.name, where);
    await this.manifests.apply(companions, where);
    const [created] = await this.manifests.apply([daemonSet], where);
    const name = created?.metadata?.name ?? daemonSet.metadata!.name!;
    await this.rt.recorder.until((st) => st.daemonSets.has(`${this.namespace}/${name}`), `DaemonSet ${name}`);
    return new DaemonSetHandle(this.rt, this.act, this.host, name);
  }

  /** Applies other objects (a PodDisruptionBudget, a Deployment, a ClusterRole): namespaced ones into the scenario's namespace, cluster-scoped ones removed at the end. */
  async apply(source: string | KubernetesObject | KubernetesObject[]): Promise<KubernetesObject[]> {
    const where = typeof source === 'string' ? `${this.rt.file}: ${source}` : `${this.rt.file}: apply()`;
    const objects = typeof source === 'string' ? loadManifests(source, this.rt.baseDir, where).objects : Array.isArray(source) ? source : [source];
    for (const o of objects) if (!o.kind || !o.apiVersion || !o.metadata?.name) throw new UsageError(`${where}: every object needs apiVersion, kind and metadata.name`);
    return this.manifests.apply(objects, where);
  }

  /**
   * Runs the toolchain's kubectl against the scenario's cluster (in its namespace unless the
   * arguments name one), as a recorded action. A non-zero exit fails the scenario with kubectl's stderr.
   */
  async kubectl(...args: string[]): Promise<KubectlResult> {
    const namesNamespace = args.some((a) => a === '-n' || a === '-A' || a === '--all-namespaces' || a.startsWith('--namespace') || /^-n./.test(a));
    const base = ['--kubeconfig', this.kubeconfig, ...(this.rt.cluster.context ? ['--context', this.rt.cluster.context] : []), ...(namesNamespace ? [] : ['--namespace', this.namespace])];
    const binary = await this.rt.kubectl();
    return this.act('kubectl', `kubectl ${args.join(' ')}`, async () => {
      const r = await execa(binary, [...base, ...args], { reject: false, cancelSignal: this.rt.signal, stripFinalNewline: true });
      if (r.exitCode !== 0) {
        const why = (r.stderr || r.stdout || (r.isCanceled ? 'cancelled' : `signal ${r.signal ?? '?'}`)).trim().split('\n').slice(-3).join(' / ');
        throw new AssertionFailure(`kubectl ${args.join(' ')}: exit ${r.exitCode ?? r.signal}: ${why}`);
      }
      return { stdout: r.stdout, stderr: r.stderr };
    });
  }

  /**
   * Records a custom check as an assertion in the report: `result` is true, false, a failure
   * message, or a Judgement (see `judgement()`). A failed one fails the step, and the scenario (exit 1).
   */
  assert(name: string, result: JudgeResult): Judgement {
    const j = toJudgement(result, name);
    this.rt.assertions.push({ name, step: this.currentStep?.name, verdict: j.ok ? 'passed' : 'failed', expected: name, observed: j.summary, atMs: this.rt.recorder.now(), nodes: j.nodes, problems: j.problems });
    if (!j.ok) throw new AssertionFailure(`${name}: ${j.summary}`);
    return j;
  }

  /** The image reference that behaves as this kind of broken image on the current provider. */
  badImage(kind: BadImageKind): string {
    return this.rt.cluster.badImage(kind);
  }

  /** A working image for DaemonSets on the current provider. */
  get workloadImage(): string {
    return this.rt.cluster.workloadImage;
  }

  /**
   * Records a named duration between two points of the timeline (an action and a passed
   * expectation, say); with `max`, a longer duration fails the scenario.
   */
  timing(name: string, from: TimePoint, to: TimePoint, opts: { max?: Duration } = {}): TimingReport {
    const thresholdMs = opts.max === undefined ? undefined : durationIn(this.rt.file, opts.max, `timing "${name}": max`);
    const ms = Math.max(0, to.atMs - from.atMs);
    const t: TimingReport = {
      name, ms, thresholdMs,
      verdict: thresholdMs !== undefined && ms > thresholdMs ? 'failed' : 'passed',
      from: from.description ?? from.name ?? formatMs(from.atMs),
      to: to.description ?? to.name ?? formatMs(to.atMs),
    };
    this.rt.timings.push(t);
    this.rt.events.timing(t);
    if (t.verdict === 'failed') throw new AssertionFailure(`timing "${name}": ${formatMs(ms)} exceeds ${formatMs(thresholdMs!)}`);
    return t;
  }

  /**
   * Checks `judge` on every recorded change until the enclosing step ends (or dispose is called);
   * the first violation fails the step with what was observed. `judge` returns like `ds.expect`'s.
   * A gap in the recording while it is checked fails it as unobserved, unless `allowGaps`
   * accepts gaps it held on both sides of (the rule of `holdsFor`).
   */
  invariant(name: string, judge: (s: ClusterSnapshot) => JudgeResult, on: DaemonSetHandle, opts: AcrossGaps = {}): () => void {
    let failed = false;
    const rec = this.rt.recorder;
    const since = rec.now();
    // A judge that can be kept up to date (ds.withinBudget) is fed each change instead of whole snapshots.
    const tracker = (judge as { incremental?: () => IncrementalJudge }).incremental?.();
    if (tracker) {
      const atMs = rec.now();
      const seed = [['Node', rec.state.nodes], ['Pod', rec.state.pods], ['DaemonSet', rec.state.daemonSets], ['ControllerRevision', rec.state.revisions]] as const;
      for (const [kind, map] of seed) for (const object of map.values()) tracker.apply({ kind, type: 'ADDED', object, atMs });
    }
    const violate = (observed: string, j: Judgement, message: string, gaps?: ObservationGap[]) => {
      failed = true;
      this.rt.assertions.push({ name, step: this.currentStep?.name, verdict: 'failed', expected: `invariant: ${name}`, observed, atMs: rec.now(), nodes: j.nodes, problems: j.problems, ...(gaps ? { gaps: gaps.map((g) => ({ ...g, watches: [...g.watches] })) } : {}) });
      const err = new AssertionFailure(message);
      if (this.running.length) for (const f of this.running) f(err);
      else this.lateViolation ??= err;
    };
    /** Gaps in its window; before the end only closed ones decide, and the window goes on (a gap closed by now has its after side). */
    const gapVerdict = (final: boolean) => (final ? judgeGaps(rec.gaps, since, rec.now(), opts) : judgeGaps(rec.gaps.filter((g) => g.toMs !== undefined), since, Infinity, opts));
    const check = (final = false) => {
      if (failed) return;
      let j: Judgement | undefined;
      if (tracker) {
        j = tracker.judge(rec.epochAtStart + rec.now());
      } else {
        const s = on.snapshot();
        j = s && toJudgement(judge(s), name);
      }
      if (!j) return;
      if (!j.ok) return violate(j.summary, j, `invariant "${name}" broken: ${j.summary}${j.problems.length ? `; ${j.problems.slice(0, 4).join('; ')}` : ''}`);
      const { unobserved, accepted } = gapVerdict(final);
      if (unobserved.length) return violate(`unobserved: ${describeGaps(unobserved)}`, j, `invariant "${name}" unobserved: ${describeGaps(unobserved)}`, unobserved);
      return accepted;
    };
    const unsubscribe = this.rt.recorder.subscribe((c) => {
      if (c.kind === 'Event') return;
      tracker?.apply(c);
      check();
    });
    const entry = {
      name,
      dispose: () => {
        unsubscribe();
        this.invariants.delete(entry);
        const accepted = check(true);
        if (!failed) this.rt.assertions.push({ name, step: this.currentStep?.name, verdict: 'passed', expected: `invariant: ${name}`, observed: `held on every recorded change${accepted?.length ? `; held on both sides of it: ${describeGaps(accepted)}` : ''}`, atMs: rec.now(), nodes: [], problems: [], ...(accepted?.length ? { gaps: accepted } : {}) });
      },
    };
    this.invariants.add(entry);
    check();
    return entry.dispose;
  }

  /** Throws the first violation of an invariant that was registered outside any step. */
  assertNoLateViolation(): void {
    for (const inv of [...this.invariants]) inv.dispose();
    if (this.lateViolation) throw this.lateViolation;
  }

  /** A line in the progress output and in the report's action log. */
  log(line: string): void {
    this.rt.actions.push({ atMs: this.rt.recorder.now(), kind: 'log', description: String(line) });
    this.rt.events.log(String(line));
  }

  /** The wall-clock time of a point on the scenario's timeline (to line it up with logs or other tools). */
  wallClock(point: TimePoint | number): Date {
    return new Date(this.rt.recorder.epochAtStart + (typeof point === 'number' ? point : point.atMs));
  }

  /** Waits a fixed time. Prefer expectations; this is for letting chaos play out (e.g. a hold window). */
  async sleep(d: Duration): Promise<void> {
    // Ends with the scenario (timeout, crash, Ctrl-C), so no timer outlives it.
    await sleep(durationIn(this.rt.file, d, 'sleep'), this.rt.signal);
  }

  /** Records an action on the timeline (before it starts) and runs it. */
  private readonly act: Act = async (kind, description, fn) => {
    const atMs = this.rt.recorder.now();
    this.rt.actions.push({ atMs, kind, description });
    const result = await fn();
    return Object.assign(result as object, { kind, description, atMs }) as Awaited<ReturnType<typeof fn>> & ActionRecord;
  };
}
