// Durations as users write them in scenarios: "500ms", "30s", "2m", "1m30s", "1h", or a number of ms.
import { UsageError } from './errors.js';

export type Duration = string | number;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds of a duration; throws a TypeError naming `field` when the value is not one. */
export function parseDuration(value: Duration, field = 'duration'): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0) return value;
    throw new TypeError(`${field}: ${value} is not a duration (a non-negative number of ms, or e.g. "30s", "2m", "1m30s")`);
  }
  const text = String(value).trim();
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (!parts.length || parts.map((p) => p[0]).join('') !== text) {
    throw new TypeError(`${field}: "${value}" is not a duration (e.g. "500ms", "30s", "2m", "1m30s")`);
  }
  return parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_MS[p[2]!]!, 0);
}

/** A duration for people: 850ms, 12.3s, 2m03s, 1h02m. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const sign = ms < 0 ? '-' : '';
  const a = Math.abs(ms);
  if (a < 1000) return `${sign}${Math.round(a)}ms`;
  if (a < 60_000) return `${sign}${(a / 1000).toFixed(1)}s`;
  const s = Math.round(a / 1000);
  if (s < 3600) return `${sign}${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${sign}${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** parseDuration for a value a user wrote in a file: bad input is a UsageError naming the file and field. */
export function durationIn(file: string | undefined, value: Duration, field: string): number {
  try {
    return parseDuration(value, field);
  } catch (err) {
    throw new UsageError(`${file ? `${file}: ` : ''}${(err as Error).message}`);
  }
}
