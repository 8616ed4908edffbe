// One `rollcall record` run: take the initial twin, write it, append changes until --for elapses or a signal arrives.
import { apiMessage, apiStatus } from '../kube/kube-client.js';
import { RECORDING_API_VERSION, RECORDING_KIND, type ChangeLine, type RecordingHeader } from '../recording/recording-model.js';
import { RecordingAnonymizer } from '../recording/recording-anonymizer.js';
import { RecordingWriter } from '../recording/recording-writer.js';
import { CleanupStack } from '../runner/cleanup-stack.js';
import { formatMs } from '../util/duration.js';
import { InfraError, UsageError } from '../util/errors.js';
import type { Progress } from '../util/progress.js';
import { guardSignals } from '../util/signals.js';
import { LiveRecorder } from './live-recorder.js';
import type { RecordTarget } from './record-target.js';

export interface RecordOptions {
  target: RecordTarget;
  output: string;
  namespace?: string;
  daemonSets: string[];
  /** Stop after this many ms; absent: until Ctrl-C. */
  forMs?: number;
  anonymize?: boolean;
  force?: boolean;
  rollcallVersion: string;
  progress: Progress;
}

const NEEDS = 'record needs get/list/watch on nodes, pods, daemonsets, controllerrevisions, events and poddisruptionbudgets';

/** Records until `forMs` elapses (exit 0) or a signal arrives (the end line is written, then exit 128+signo). */
export async function recordCluster(opts: RecordOptions): Promise<{ changes: number; bytes: number; ms: number }> {
  const cleanup = new CleanupStack();
  const guard = guardSignals(cleanup, opts.progress);
  const anonymizer = opts.anonymize ? new RecordingAnonymizer() : undefined;
  let writer: RecordingWriter | undefined;
  // Changes seen between the twin and the file's creation wait here, so none is lost.
  const early: ChangeLine[] = [];
  const recorder = new LiveRecorder({
    kube: opts.target.kube, namespace: opts.namespace, daemonSets: opts.daemonSets, context: opts.target.source.context ?? opts.target.source.cluster ?? '',
    rollcallVersion: opts.rollcallVersion, anonymizer, onLine: (line) => (writer ? writer.write(line) : early.push(line)),
  });
  // Registered first, so a signal during the initial lists still stops the watches.
  cleanup.push('stop the recording', () => {
    recorder.stop();
    if (!writer) return;
    writer.end(recorder.now(), guard.interrupted ? `interrupted by ${guard.interrupted}` : `--for ${formatMs(opts.forMs ?? 0)} elapsed`);
    opts.progress(`recorded ${writer.changes} changes (${(writer.bytes / 1024).toFixed(1)} KiB) in ${formatMs(recorder.now())} to ${opts.output}`);
  });
  try {
    const twin = await recorder.start().catch((err: unknown) => {
      const status = apiStatus(err);
      if (status === 401 || status === 403) throw new UsageError(`${opts.target.label}: the credential was refused (HTTP ${status}: ${apiMessage(err).split('\n')[0]}); ${NEEDS}`, { cause: err });
      throw new InfraError(`${opts.target.label}: cannot list what to record (${apiMessage(err).split('\n')[0]})`, { cause: err });
    });
    guard.check();
    const missing = opts.daemonSets.filter((d) => !twin.daemonSets.some((x) => x.name === d || `${x.namespace}/${x.name}` === d));
    if (missing.length || !twin.daemonSets.length) {
      const found = twin.daemonSets.map((d) => `${d.namespace}/${d.name}`).join(', ') || 'none';
      throw new UsageError(`--daemonset: ${missing.length ? `no DaemonSet ${missing.join(', ')}` : 'no DaemonSet'} ${opts.namespace ? `in namespace ${opts.namespace}` : 'in the cluster'} (found: ${found})`);
    }
    const header: RecordingHeader = {
      apiVersion: RECORDING_API_VERSION,
      kind: RECORDING_KIND,
      startedAt: twin.metadata.capturedAt,
      source: { ...(anonymizer ? {} : opts.target.source), rollcallVersion: opts.rollcallVersion },
      ...(opts.namespace ? { namespace: opts.namespace } : {}),
      daemonSets: twin.daemonSets.map((d) => `${d.namespace}/${d.name}`),
      ...(anonymizer ? { anonymized: true } : {}),
    };
    writer = RecordingWriter.create(opts.output, header, twin, { force: opts.force });
    for (const line of early.splice(0)) writer.write(line);
    const pods = twin.daemonSets.reduce((n, d) => n + d.pods.length, 0);
    opts.progress(`recording ${twin.nodes.length} nodes and DaemonSet(s) ${header.daemonSets!.join(', ')} (${pods} pods) from ${opts.target.label} to ${opts.output}; ${opts.forMs ? `for ${formatMs(opts.forMs)}, ` : ''}Ctrl-C to stop`);
    await waitFor(opts.forMs);
    const result = { changes: writer.changes, bytes: writer.bytes, ms: recorder.now() };
    await cleanup.runAll();
    return result;
  } catch (err) {
    await cleanup.runAll();
    throw err;
  } finally {
    guard.dispose();
  }
}

// Resolves after `ms`, or never: Ctrl-C is the normal end, and the signal guard then runs the cleanup
// (end line, summary) and exits, so this wait need not end.
function waitFor(ms: number | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (ms !== undefined) setTimeout(resolve, ms);
  });
}
