// Plain line-by-line progress for `rollcall run` (works in CI logs and terminals alike).
import type { RunReport, StepReport, TimingReport } from '../report/report-model.js';
import type { ScenarioListener } from './run-scenario.js';
import { formatMs } from '../util/duration.js';

export interface PlainListener extends ScenarioListener {
  summary(report: RunReport, reportDir: string): void;
}

/** Writes one line per scenario, step, timing and action. */
export function plainListener(out: NodeJS.WritableStream): PlainListener {
  const w = (s: string) => out.write(`${s}\n`);
  return {
    scenarioStart: (name, file) => w(`\n▶ ${name}  (${file})`),
    stepStart: (_s, step) => w(`  ● ${step}`),
    stepEnd: (_s, step: StepReport) => w(`  ${step.verdict === 'passed' ? '✓' : '✗'} ${step.name}  ${formatMs(step.endMs - step.startMs)}${step.error ? `\n      ${step.error}` : ''}`),
    timing: (_s, t: TimingReport) => w(`  ⏱ ${t.name}: ${formatMs(t.ms)}${t.thresholdMs !== undefined ? ` (max ${formatMs(t.thresholdMs)}${t.verdict === 'failed' ? ', EXCEEDED' : ''})` : ''}`),
    log: (_s, line) => w(`    ${line.trim()}`),
    summary: (report, dir) => {
      w('');
      for (const s of report.scenarios) {
        w(`${s.verdict === 'passed' ? '✓' : '✗'} ${s.verdict.toUpperCase().padEnd(6)} ${s.name}  ${formatMs(s.durationMs)}${s.error ? `\n    ${s.error}` : ''}`);
        if (s.verdict !== 'passed') {
          const failed = [...s.assertions].reverse().find((a) => a.verdict === 'failed');
          for (const n of failed?.nodes.filter((x) => !x.ok).slice(0, 10) ?? []) w(`      ${n.node}: ${n.observed} (expected ${n.expected})`);
        }
      }
      const counts = (v: string) => report.scenarios.filter((s) => s.verdict === v).length;
      w(`\n${report.verdict.toUpperCase()}: ${counts('passed')} passed, ${counts('failed')} failed, ${counts('error')} errors; Kubernetes ${report.kubernetesVersion} on ${report.provider}`);
      w(`report: ${dir}`);
    },
  };
}
