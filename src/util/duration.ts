// Durations as users write them in scenarios: "500ms", "30s", "2m", "1m30s", "1h", or a number of ms.

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

/** Human form of milliseconds: 850 ms, 12.3 s, 2m 05s. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m}m ${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s`;
}
