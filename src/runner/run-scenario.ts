// Runs one scenario: its own cluster and namespace, a recorder, the body with a timeout, undos
// LIFO, then teardown; returns the scenario's report.
import { randomBytes } from 'node:crypto';
import { dirname, relative } from 'node:path';
import type { RunningCluster } from '../providers/cluster.js';
import { Recorder } from '../observe/recorder.js';
import { ScenarioContext } from '../scenario/scenario-context.js';
import type { Scenario } from '../scenario/define-scenario.js';
import type { ScenarioRuntime } from '../scenario/scenario-runtime.js';
import { compactAssertion, type ScenarioReport, type StepReport, type TimingReport, type Verdict } from '../report/report-model.js';
import { finalNodeStates, gapReports, revisionNumbers, TimelineBuilder } from '../report/timeline-summary.js';
import { MissingCapabilities, unmetRequirements, type CapabilitySet } from '../providers/capabilities.js';
import { clusterRequest, type ClusterRequest } from './cluster-request.js';
import { apiMessage, apiStatus, ignoreNotFound } from '../kube/kube-client.js';
import { CREATED_BY_ANNOTATION } from '../journal/journal-model.js';
import type { JournalWriter } from '../journal/journal-writer.js';
import { AssertionFailure, CapabilityError, UsageError } from '../util/errors.js';
import { parseDuration } from '../util/duration.js';
import { CleanupStack } from './cleanup-stack.js';
import type { CrashGuard } from './crash-guard.js';
import { activeHandles, handlesLeft } from './open-handles.js';
import { JournaledUndo } from './journaled-undo.js';

export interface ScenarioListener {
  scenarioStart(name: string, file: string): void;
  stepStart(scenario: string, step: string): void;
  stepEnd(scenario: string, step: StepReport): void;
  timing(scenario: string, t: TimingReport): void;
  log(scenario: string, line: string): void;
}

export interface RunScenarioOptions {
  /** Starts the scenario's cluster; the runner destroys it afterwards unless keepCluster. */
  createCluster: (cluster: ClusterRequest, signal: AbortSignal) => Promise<RunningCluster>;
  /** The provider's name and abilities: a scenario that `requires` more is skipped before any cluster starts. */
  capabilities?: { provider: string; set: CapabilitySet };
  keepCluster: boolean;
  /** Cleanups that must also run on Ctrl-C (the CLI's stack). */
  cleanup: CleanupStack;
  signal: AbortSignal;
  listener: ScenarioListener;
  /** The kubectl binary for `t.kubectl`, resolved on first use. */
  kubectl: () => Promise<string>;
  /** Turns errors escaping the scenario's code into its failure instead of a crash of rollcall. */
  crashes: CrashGuard;
  /**
   * On an existing cluster: opens the scenario's change journal, where every change is written
   * before it is made, so `rollcall gc --context` can revert what a killed run left.
   */
  journal?: (about: { scenario: string; file: string; namespace: string }) => JournalWriter;
}

export interface ScenarioOutcome {
  report: ScenarioReport;
  /** The error that decided the verdict (usage errors make the whole run exit 2). */
  error?: unknown;
  /** Handles (timers, sockets) still open after the scenario and its teardown, e.g. "1 Timeout". */
  handlesLeft: string[];
}

const DEFAULT_TIMEOUT = '5m';

/** Runs a scenario and always tears down what it created, even when its code crashes. */
export async function runScenario(scenario: Scenario, file: string, opts: RunScenarioOptions): Promise<ScenarioOutcome> {
  const handlesBefore = activeHandles();
  let bodyDone = false;
  let lateCrash: unknown;
  let crash!: (err: unknown) => void;
  const crashed = new Promise<never>((_, reject) => (crash = reject));
  crashed.catch(() => {});
  const onCrash = (err: unknown) => {
    const wrapped = new Error(`uncaught error in the scenario's code: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    if (!bodyDone) crash(wrapped);
    else lateCrash ??= wrapped;
  };
  try {
    const outcome = await opts.crashes.run(onCrash, () => runGuarded(scenario, file, opts, crashed, () => (bodyDone = true), () => lateCrash));
    outcome.handlesLeft = await settledHandlesLeft(handlesBefore);
    return outcome;
  } finally {
    opts.crashes.release(onCrash);
  }
}

/** What is still open a moment after teardown (sockets to a destroyed cluster take a tick to close). */
async function settledHandlesLeft(before: Map<string, number>): Promise<string[]> {
  if (!handlesLeft(before, activeHandles()).length) return [];
  await new Promise((r) => setTimeout(r, 300));
  return handlesLeft(before, activeHandles());
}

async function runGuarded(scenario: Scenario, file: string, opts: RunScenarioOptions, crashed: Promise<never>, bodyEnded: () => void, lateCrash: () => unknown): Promise<ScenarioOutcome> {
  const relFile = relative(process.cwd(), file) || file;
  const startedAt = new Date();
  const begin = performance.now();
  // The timeline's zero is when the recorder starts, after the cluster is up.
  let t0 = begin;
  const clock = () => performance.now() - t0;
  const rt: Partial<ScenarioRuntime> & Pick<ScenarioRuntime, 'steps' | 'assertions' | 'timings' | 'actions'> = { steps: [], assertions: [], timings: [], actions: [] };
  const teardown = new CleanupStack();
  const undo = new CleanupStack();
  let journal: JournalWriter | undefined;
  const removeFromCli = opts.cleanup.push(`tear down scenario ${scenario.name}`, async () => {
    await undo.runAll();
    await teardown.runAll();
    journal?.close();
  });
  const abort = new AbortController();
  const onOuterAbort = () => abort.abort(opts.signal.reason);
  opts.signal.addEventListener('abort', onOuterAbort, { once: true });
  let verdict: Verdict = 'passed';
  let error: unknown;
  let cluster: RunningCluster | undefined;
  let recorder: Recorder | undefined;
  const timeline = new TimelineBuilder();
  let namespace = '';
  let cleanupOutcomes: ScenarioReport['cleanup'] = [];
  opts.listener.scenarioStart(scenario.name, relFile);
  try {
    const timeoutMs = parseField(() => parseDuration(scenario.timeout ?? DEFAULT_TIMEOUT, 'timeout'), relFile);
    const request = clusterRequest(scenario.cluster, file);
    const unmet = opts.capabilities ? unmetRequirements(scenario.requires, opts.capabilities.set, relFile) : [];
    if (unmet.length) throw new MissingCapabilities(opts.capabilities!.provider, unmet);
    // Ctrl-C during the start aborts it; the CLI's cleanup then waits here until the provider has
    // stopped what it had started (the process exits once cleanup is done).
    const creating = opts.createCluster(request, abort.signal);
    const startWound = teardown.push('wait for the cluster start to stop', () => creating.then(() => {}, () => {}));
    cluster = await creating;
    startWound();
    const c = cluster;
    if (c.provider === 'existing') opts.listener.log(scenario.name, `on existing cluster ${c.name}: the scenario's node list is not used`);
    else if (!opts.keepCluster) teardown.push(`destroy cluster ${c.name}`, () => c.destroy());
    else opts.listener.log(scenario.name, `keeping cluster ${c.name}: KUBECONFIG=${c.kubeconfigPath}`);
    namespace = `rc-${slug(scenario.name)}-${randomBytes(3).toString('hex')}`;
    const ns = namespace;
    journal = opts.journal?.({ scenario: scenario.name, file: relFile, namespace: ns });
    // Journalled (on an existing cluster) before the namespace exists; withdrawn if the name was taken.
    const withdrawNs = new JournaledUndo(teardown, journal).push(`delete namespace ${ns}`, async () => void (await ignoreNotFound(() => c.kube.core.deleteNamespace({ name: ns }))), { type: 'namespace', name: ns });
    try {
      await c.kube.core.createNamespace({ body: { metadata: { name: ns, labels: { 'app.kubernetes.io/managed-by': 'rollcall' }, ...(journal ? { annotations: { [CREATED_BY_ANNOTATION]: journal.id } } : {}) } } });
    } catch (err) {
      if (apiStatus(err) === 409) withdrawNs();
      throw err;
    }
    // Pods other than the controller's are refused until the namespace's default ServiceAccount exists.
    await waitForDefaultServiceAccount(c, namespace);
    t0 = performance.now();
    recorder = new Recorder(c.kube, namespace, clock);
    // The report's timeline is built as changes come, so the recorder keeps only recent objects.
    recorder.subscribe((change) => timeline.add(change));
    await recorder.start();
    const rec = recorder;
    teardown.push('stop recorder', () => rec.stop());
    Object.assign(rt, {
      cluster: c, recorder, namespace, file: relFile, baseDir: dirname(file), undo: new JournaledUndo(undo, journal), signal: abort.signal, kubectl: opts.kubectl,
      events: {
        stepStart: (name: string) => opts.listener.stepStart(scenario.name, name),
        stepEnd: (s: StepReport) => opts.listener.stepEnd(scenario.name, s),
        timing: (tm: TimingReport) => opts.listener.timing(scenario.name, tm),
        log: (line: string) => opts.listener.log(scenario.name, line),
      },
    });
    const t = new ScenarioContext(rt as ScenarioRuntime);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const err = new AssertionFailure(`scenario timed out after ${scenario.timeout ?? DEFAULT_TIMEOUT}`);
        abort.abort(err);
        reject(err);
      }, timeoutMs);
    });
    try {
      await Promise.race([scenario.run(t), timedOut, crashed]);
      t.assertNoLateViolation();
    } finally {
      clearTimeout(timer);
      bodyEnded();
    }
  } catch (err) {
    error = opts.signal.aborted ? opts.signal.reason : err;
    // A provider that lacks an ability the scenario needs skips it, with the reason: not a failure.
    verdict = err instanceof AssertionFailure ? 'failed' : err instanceof CapabilityError && !opts.signal.aborted ? 'skipped' : 'error';
  } finally {
    bodyEnded();
    opts.signal.removeEventListener('abort', onOuterAbort);
    abort.abort(new Error('scenario finished'));
    cleanupOutcomes = [...(await undo.runAll())];
  }
  // A crash from the scenario's leftovers while its undos ran still makes it an error.
  if (lateCrash() !== undefined && verdict === 'passed') {
    error = lateCrash();
    verdict = 'error';
  }
  // Snapshot the report before tearing the cluster down.
  const revs = recorder ? revisionNumbers(recorder.state.revisions.values()) : new Map<string, number>();
  const report: ScenarioReport = {
    name: scenario.name,
    file: relFile,
    description: scenario.description,
    tags: scenario.tags ?? [],
    verdict,
    startedAt: startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    durationMs: Math.round(performance.now() - begin),
    cluster: { name: cluster?.name ?? '', nodeCount: recorder?.state.nodes.size ?? 0 },
    namespace,
    error: error === undefined ? undefined : oneLine(error),
    steps: rt.steps,
    assertions: rt.assertions.map(compactAssertion),
    timings: rt.timings,
    actions: rt.actions.map((a) => ({ ...a, atMs: Math.round(a.atMs) })),
    timeline: timeline.timeline(),
    events: timeline.events(),
    finalNodes: recorder ? finalNodeStates(recorder.state, revs) : [],
    cleanup: [],
    gaps: recorder ? gapReports(recorder.gaps) : [],
  };
  cleanupOutcomes.push(...(await teardown.runAll()));
  report.cleanup = cleanupOutcomes;
  const left = journal?.close() ?? [];
  if (left.length && cluster) {
    opts.listener.log(scenario.name, `${left.length} change(s) not undone (${left.map((e) => e.what).join('; ')}); journal kept: ${journal!.path}; revert with: rollcall gc --context ${cluster.context} --kubeconfig ${cluster.kubeconfigPath}`);
  }
  removeFromCli();
  return { report, error, handlesLeft: [] };
}

async function waitForDefaultServiceAccount(c: RunningCluster, namespace: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const found = await ignoreNotFound(() => c.kube.core.readNamespacedServiceAccount({ name: 'default', namespace }));
    if (found) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

function parseField<T>(fn: () => T, file: string): T {
  try {
    return fn();
  } catch (err) {
    throw new UsageError(`${file}: ${(err as Error).message}`);
  }
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40).replace(/-$/, '') || 'scenario';
}

function oneLine(err: unknown): string {
  return apiMessage(err).split('\n')[0]!;
}
