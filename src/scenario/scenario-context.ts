// `t`, the object a scenario's run() receives: steps, DaemonSets, node chaos, timings, invariants.
import type { KubernetesObject, V1DaemonSet } from '@kubernetes/client-node';

import type { ClusterSnapshot, Judgement } from '../expect/index.js';
import type { BadImageKind } from '../providers/cluster.js';
import type { StepReport, TimingReport } from '../report/report-model.js';
import { AssertionFailure, RollcallError, UsageError } from '../util/errors.js';
import { formatMs, parseDuration, type Duration } from '../util/duration.js';
import { apiMessage, apiStatus } from '../kube/kube-client.js';
import { DaemonSetHandle } from './daemonset-handle.js';
import type { ExpectationHost } from './expectation.js';
import { loadManifests, validateDaemonSet } from './manifest.js';
import { NodeChaos, type Act } from './node-chaos.js';
import type { ActionRecord, ScenarioRuntime } from './scenario-runtime.js';

/** Anything with a time on the scenario clock: an action or a passed expectation. */
export interface TimePoint {
  atMs: number;
  description?: string;
  name?: string;
}

export class ScenarioContext {
  /** Node chaos: add, remove, taint, label, cordon, drain, fail, recover. */
  readonly nodes: NodeChaos;
  private readonly host: ExpectationHost;
  private currentStep?: StepReport;
  private invariants = new Set<{ name: string; dispose(): void }>();
  /** Running steps, innermost last; an invariant violation fails every one of them at once. */
  private running: Array<(err: unknown) => void> = [];
  /** A violation of an invariant registered outside any step, reported when run() returns. */
  private lateViolation?: unknown;

  constructor(private readonly rt: ScenarioRuntime) {
    this.host = { recorder: rt.recorder, signal: rt.signal, file: rt.file, recordAssertion: (a) => rt.assertions.push({ ...a, step: this.currentStep?.name }) };
    this.nodes = new NodeChaos(rt, this.act);
  }

  /** The namespace this scenario runs in (created for it, deleted afterwards). */
  get namespace(): string {
    return this.rt.namespace;
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
      step.verdict = err instanceof AssertionFailure ? 'failed' : 'error';
      step.error = err instanceof Error ? err.message : String(err);
      throw err;
    } finally {
      this.running = this.running.filter((f) => f !== fail);
      for (const inv of [...this.invariants]) if (!outerInvariants.has(inv)) inv.dispose();
      step.endMs = this.rt.recorder.now();
      this.currentStep = outer;
      this.rt.events.stepEnd(step);
    }
  }

  /** Applies a DaemonSet (a manifest file relative to the scenario, or an object) in the scenario's namespace. */
  async daemonSet(source: string | V1DaemonSet): Promise<DaemonSetHandle> {
    const where = typeof source === 'string' ? `${this.rt.file}: ${source}` : `${this.rt.file}: daemonSet()`;
    const objects = typeof source === 'string' ? loadManifests(source, this.rt.baseDir, where).objects : [source];
    if (objects.length !== 1) throw new UsageError(`${where}: expected exactly one DaemonSet, found ${objects.length} objects`);
    const ds = structuredClone(validateDaemonSet(objects[0]!, where));
    ds.metadata!.namespace = this.namespace;
    await this.act('daemonset.apply', `apply DaemonSet ${ds.metadata!.name}`, async () => {
      await this.create(ds, where);
      await this.rt.recorder.until((st) => st.daemonSets.has(`${this.namespace}/${ds.metadata!.name}`), `DaemonSet ${ds.metadata!.name}`);
      return {};
    });
    return new DaemonSetHandle(this.rt, this.act, this.host, ds.metadata!.name!);
  }

  /** Applies other objects (a PodDisruptionBudget, a Deployment) into the scenario's namespace. */
  async apply(source: string | KubernetesObject | KubernetesObject[]): Promise<KubernetesObject[]> {
    const where = typeof source === 'string' ? `${this.rt.file}: ${source}` : `${this.rt.file}: apply()`;
    const objects = typeof source === 'string' ? loadManifests(source, this.rt.baseDir, where).objects : Array.isArray(source) ? source : [source];
    const out: KubernetesObject[] = [];
    for (const o of objects) {
      const obj = structuredClone(o);
      if (!obj.kind || !obj.apiVersion || !obj.metadata?.name) throw new UsageError(`${where}: every object needs apiVersion, kind and metadata.name`);
      obj.metadata.namespace = this.namespace;
      await this.act('object.apply', `apply ${obj.kind} ${obj.metadata.name}`, async () => {
        out.push(await this.create(obj, where));
        return {};
      });
    }
    return out;
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
    const thresholdMs = opts.max === undefined ? undefined : this.duration(opts.max, `timing "${name}": max`);
    const ms = Math.max(0, to.atMs - from.atMs);
    const t: TimingReport = {
      name, ms, thresholdMs,
      verdict: thresholdMs !== undefined && ms > thresholdMs ? 'failed' : 'passed',
      from: from.description ?? from.name ?? `${from.atMs} ms`,
      to: to.description ?? to.name ?? `${to.atMs} ms`,
    };
    this.rt.timings.push(t);
    this.rt.events.timing(t);
    if (t.verdict === 'failed') throw new AssertionFailure(`timing "${name}": ${formatMs(ms)} exceeds ${formatMs(thresholdMs!)}`);
    return t;
  }

  /**
   * Checks `judge` on every recorded change until the enclosing step ends (or dispose is called);
   * the first violation fails the step with what was observed.
   */
  invariant(name: string, judge: (s: ClusterSnapshot) => Judgement, on: DaemonSetHandle): () => void {
    let failed = false;
    const check = () => {
      const s = on.snapshot();
      if (!s || failed) return;
      const j = judge(s);
      if (!j.ok) {
        failed = true;
        this.rt.assertions.push({ name, step: this.currentStep?.name, verdict: 'failed', expected: `invariant: ${name}`, observed: j.summary, atMs: this.rt.recorder.now(), nodes: j.nodes, problems: j.problems });
        const err = new AssertionFailure(`invariant "${name}" broken: ${j.summary}${j.problems.length ? `; ${j.problems.slice(0, 4).join('; ')}` : ''}`);
        if (this.running.length) for (const f of this.running) f(err);
        else this.lateViolation ??= err;
      }
    };
    const unsubscribe = this.rt.recorder.subscribe(check);
    const entry = {
      name,
      dispose: () => {
        unsubscribe();
        this.invariants.delete(entry);
        if (!failed) this.rt.assertions.push({ name, step: this.currentStep?.name, verdict: 'passed', expected: `invariant: ${name}`, observed: 'held on every recorded change', atMs: this.rt.recorder.now(), nodes: [], problems: [] });
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

  /** A line in the progress output and the report's action log. */
  log(line: string): void {
    this.rt.events.log(line);
  }

  /** Waits a fixed time. Prefer expectations; this is for letting chaos play out (e.g. a hold window). */
  async sleep(d: Duration): Promise<void> {
    const ms = this.duration(d, 'sleep');
    await new Promise((r) => setTimeout(r, ms));
  }

  private duration(d: Duration, field: string): number {
    try {
      return parseDuration(d, field);
    } catch (err) {
      throw new UsageError(`${this.rt.file}: ${(err as Error).message}`);
    }
  }

  /** Records an action on the timeline (before it starts) and runs it. */
  private readonly act: Act = async (kind, description, fn) => {
    const atMs = this.rt.recorder.now();
    this.rt.actions.push({ atMs, kind, description });
    this.rt.events.log(`  - ${description}`);
    const result = await fn();
    return Object.assign(result as object, { kind, description, atMs }) as Awaited<ReturnType<typeof fn>> & ActionRecord;
  };

  private async create<T extends KubernetesObject>(obj: T, where: string): Promise<T> {
    try {
      return (await this.rt.cluster.kube.objects.create(obj)) as T;
    } catch (err) {
      if (err instanceof RollcallError) throw err;
      const status = apiStatus(err);
      const msg = `${where}: the API server rejected ${obj.kind} ${obj.metadata?.name} (HTTP ${status ?? '?'}): ${apiMessage(err)}`;
      if (status === 422 || status === 400 || status === 404) throw new UsageError(msg);
      throw new Error(msg, { cause: err });
    }
  }
}

