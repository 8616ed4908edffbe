// `rollcall check`'s judgement: every check over every DaemonSet of a twin, pure and in a fixed order.
import { UsageError } from '../util/errors.js';
import type { ClusterTwin } from '../twin/twin-model.js';
import { twinNodeObject } from '../twin/twin-snapshot.js';
import { atLeast, type CheckReport, type DaemonSetCheck, type Severity } from './check-model.js';
import type { Check } from './check.js';
import { CLUSTER_CHECKS } from './cluster-checks.js';
import { daemonSetContext } from './daemon-set-context.js';
import { removedApiFindings, type ManifestObject } from './removed-apis.js';
import { SPEC_CHECKS } from './spec-checks.js';
import { STATE_CHECKS } from './state-checks.js';

/** Every per-DaemonSet check, in report order. */
export const CHECKS: Check[] = [...STATE_CHECKS, ...SPEC_CHECKS, ...CLUSTER_CHECKS];
/** The manifest check's id (not per DaemonSet). */
export const REMOVED_API = 'removed-api';

export interface CheckOptions {
  /** Where the twin came from, for the report. */
  source: string;
  /** Only this `namespace/name`. */
  daemonSet?: string;
  failOn?: Severity;
  /** Seconds from pod creation to Ready assumed for the rollout estimate. */
  assumedReadySeconds?: number;
  targetVersion?: string;
  /** Objects from --manifests, with their files. */
  manifests?: ManifestObject[];
  manifestFiles?: string[];
}

/** Checks the twin. Throws a UsageError when `daemonSet` names none of its DaemonSets. */
export function checkTwin(twin: ClusterTwin, opts: CheckOptions): CheckReport {
  const failOn = opts.failOn ?? 'error';
  const ready = opts.assumedReadySeconds ?? 10;
  const picked = opts.daemonSet ? twin.daemonSets.filter((d) => `${d.namespace}/${d.name}` === opts.daemonSet) : twin.daemonSets;
  if (opts.daemonSet && !picked.length) {
    throw new UsageError(`--daemonset: ${opts.daemonSet} is not in the twin (DaemonSets: ${twin.daemonSets.map((d) => `${d.namespace}/${d.name}`).join(', ') || 'none'})`);
  }
  const nodes = twin.nodes.map(twinNodeObject);
  const daemonSets = picked.map((ds): DaemonSetCheck => {
    const ctx = daemonSetContext(twin, ds, nodes, ready);
    return { daemonSet: ctx.id, coverage: ctx.coverage, rollout: ctx.rollout, findings: CHECKS.flatMap((c) => c.run(ctx)) };
  });
  const manifestFindings = removedApiFindings(opts.manifests ?? [], twin.serverVersion, opts.targetVersion);
  const all = [...daemonSets.flatMap((d) => d.findings), ...manifestFindings];
  return {
    schemaVersion: 1,
    source: opts.source,
    twinName: twin.metadata.name,
    capturedAt: twin.metadata.capturedAt,
    serverVersion: twin.serverVersion,
    ...(opts.targetVersion ? { targetVersion: opts.targetVersion } : {}),
    failOn,
    assumedReadySeconds: ready,
    nodeCount: twin.nodes.length,
    daemonSets,
    manifestFindings,
    checks: CHECKS.map((c) => c.id),
    manifestFiles: opts.manifestFiles ?? [],
    failed: all.some((f) => atLeast(f.severity, failOn)),
  };
}
