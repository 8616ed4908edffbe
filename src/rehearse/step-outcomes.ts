// Turns one rehearsal scenario's report into its row of the matrix: per battery step, verdict, timings, notes, uncovered nodes (pure).
import type { ScenarioReport } from '../report/report-model.js';
import type { DaemonSetRun, StepOutcome } from './rehearsal-model.js';
import type { BatteryStep } from './battery/battery-step.js';

/** What the observer collected during the run: per step id, its timing names and log lines. */
export type StepRecords = Map<string, { timings: string[]; notes: string[] }>;

/** `Warning FailedCreate: ...` with pod, node and namespace names and numbers replaced, so two runs compare. */
export function normalizeEvent(e: { type: string; reason: string; message: string }, names: { daemonSet: string; namespace: string; nodes: string[] }): string {
  let m = e.message.split(names.namespace).join('<ns>');
  for (const n of [...names.nodes].sort((a, b) => b.length - a.length)) m = m.split(n).join('<node>');
  m = m.replace(new RegExp(`${names.daemonSet.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-[a-z0-9]{5}\\b`, 'g'), '<pod>').replace(/\b\d+(\.\d+)?\b/g, 'N');
  return `${e.type} ${e.reason}: ${m}`;
}

/** The matrix row of one scenario run. */
export function daemonSetRun(report: ScenarioReport, steps: readonly BatteryStep[], records: StepRecords, opts: { daemonSet: string; nodes: string[]; detail: string; staleReads: number }): DaemonSetRun {
  const out: Record<string, StepOutcome> = {};
  for (const step of steps) {
    const s = report.steps.find((x) => x.name === step.title);
    const rec = records.get(step.id) ?? { timings: [], notes: [] };
    const outcome: StepOutcome = {
      verdict: s?.verdict ?? (report.verdict === 'error' ? 'error' : 'skipped'),
      ...(s?.error ? { reason: s.error } : !s ? { reason: report.error ?? 'not reached' } : {}),
      durationMs: s ? Math.round(s.endMs - s.startMs) : 0,
      timings: rec.timings.flatMap((name) => report.timings.filter((t) => t.name === name).map((t) => ({ name, ms: Math.round(t.ms) }))),
      notes: rec.notes,
    };
    if (step.id === 'coverage') {
      const a = [...report.assertions].reverse().find((x) => x.step === step.title && x.nodes.length);
      if (a) outcome.uncovered = a.nodes.filter((n) => /^no daemon pod/.test(n.observed)).map((n) => ({ node: n.node, observed: n.expected.replace(/^no pod \((.*)\)$/, '$1') }));
    }
    out[step.id] = outcome;
  }
  const names = { daemonSet: opts.daemonSet, namespace: report.namespace || '\u0000', nodes: opts.nodes };
  return {
    verdict: report.verdict,
    detail: opts.detail,
    durationMs: report.durationMs,
    steps: out,
    events: [...new Set(report.events.map((e) => normalizeEvent(e, names)))].sort(),
    staleReads: opts.staleReads,
    ...(report.error ? { error: report.error } : {}),
  };
}
