// Compares the rehearsal on two Kubernetes versions: verdicts, timings beyond run-to-run noise, events and controller-log lines seen on one side only (pure).
import type { DaemonSetRehearsal, Difference } from './rehearsal-model.js';

/**
 * Timings differ when they are apart by more than 5 s and by more than half the faster one. Why:
 * the loops that set these durations tick coarsely (node monitor 5 s, the scheduler's backoff 1-10 s,
 * the DaemonSet controller's rate-limited requeues from 5 ms doubling), so on one machine the same
 * step varies by a few seconds from run to run; half the faster value keeps small steps from
 * flagging on one tick. Rehearsing one version twice (`--against` the same version) shows the noise.
 */
export const TIMING_THRESHOLD = { absoluteMs: 5000, ratio: 0.5 };
export const THRESHOLD_TEXT = 'a timing differs when the two are more than 5 s and more than 50 % of the faster apart';

/** Whether two durations differ beyond noise. */
export function timingsDiffer(a: number, b: number): boolean {
  const d = Math.abs(a - b);
  return d > TIMING_THRESHOLD.absoluteMs && d > TIMING_THRESHOLD.ratio * Math.min(a, b);
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Every difference between version `a` (the target) and `b`, per DaemonSet and step. */
export function versionDiff(rows: DaemonSetRehearsal[], a: string, b: string): Difference[] {
  const out: Difference[] = [];
  for (const row of rows) {
    const ra = row.runs[a];
    const rb = row.runs[b];
    if (!ra || !rb) continue;
    for (const [step, sa] of Object.entries(ra.steps)) {
      const sb = rb.steps[step];
      if (!sb) continue;
      if (sa.verdict !== sb.verdict) {
        out.push({ daemonSet: row.id, step, kind: 'verdict', message: `${a}: ${sa.verdict}${sa.reason ? ` (${sa.reason})` : ''}; ${b}: ${sb.verdict}${sb.reason ? ` (${sb.reason})` : ''}` });
      }
      for (const ta of sa.timings) {
        const tb = sb.timings.find((x) => x.name === ta.name);
        if (tb && timingsDiffer(ta.ms, tb.ms)) out.push({ daemonSet: row.id, step, kind: 'timing', message: `${ta.name}: ${s(ta.ms)} on ${a}, ${s(tb.ms)} on ${b}` });
      }
    }
    const only = (x: string[], y: string[]) => x.filter((e) => !y.includes(e));
    for (const e of only(ra.events, rb.events)) out.push({ daemonSet: row.id, kind: 'event', message: `only on ${a}: ${e}` });
    for (const e of only(rb.events, ra.events)) out.push({ daemonSet: row.id, kind: 'event', message: `only on ${b}: ${e}` });
    if ((ra.staleReads > 0) !== (rb.staleReads > 0)) {
      out.push({ daemonSet: row.id, kind: 'controller-log', message: `kube-controller-manager refused to sync on a stale cache ("read version ... is not as new as written version"): ${ra.staleReads} log lines on ${a}, ${rb.staleReads} on ${b}` });
    }
  }
  return out;
}
