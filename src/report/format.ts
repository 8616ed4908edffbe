// Small formatting helpers shared by the HTML, JUnit, terminal and Markdown renderers.
import type { Verdict } from './report-model.js';

/** Verdict in capitals, as shown in headings and the terminal. */
export function verdictLabel(v: Verdict): string {
  return v.toUpperCase();
}

/** Milliseconds between two ISO timestamps, or 0 if either is unparsable. */
export function isoSpanMs(startIso: string, endIso: string): number {
  const d = Date.parse(endIso) - Date.parse(startIso);
  return Number.isFinite(d) ? Math.max(0, d) : 0;
}

/** Counts scenarios per verdict. */
export function countVerdicts(verdicts: Verdict[]): Record<Verdict, number> {
  const c: Record<Verdict, number> = { passed: 0, failed: 0, error: 0, skipped: 0 };
  for (const v of verdicts) c[v]++;
  return c;
}

/** Rounds an SVG coordinate to one decimal to keep markup small. */
export function px(n: number): string {
  return String(Math.round(n * 10) / 10);
}
