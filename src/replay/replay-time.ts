// `--from` / `--to` of `rollcall replay`: an offset into the recording ("2m30s") or a wall-clock time (RFC 3339).
import { parseDuration } from '../util/duration.js';
import { UsageError } from '../util/errors.js';

/** Milliseconds since the recording's start for `value`; `startedAt` is the recording's RFC 3339 start. */
export function replayTime(flag: string, value: string | undefined, startedAt: string): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d{4}-\d\d-\d\dT/.test(value)) {
    const at = Date.parse(value);
    if (Number.isNaN(at)) throw new UsageError(`${flag}: "${value}" is not a time (RFC 3339, e.g. 2025-06-01T12:00:00Z)`);
    const ms = at - Date.parse(startedAt);
    if (ms < 0) throw new UsageError(`${flag}: ${value} is before the recording starts (${startedAt})`);
    return ms;
  }
  try {
    return parseDuration(value, flag);
  } catch (err) {
    throw new UsageError(`${(err as Error).message} or an RFC 3339 time`);
  }
}
