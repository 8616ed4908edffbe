// Reads whatever replay is given: a rollcall recording, a rollcall report.json, or a KWOK `snapshot record` file
// (plain or gzipped), each into the same Recording model.
import { readFileSync } from 'node:fs';
import type { V1DaemonSet } from '@kubernetes/client-node';
import { gunzipSync } from 'node:zlib';
import { UsageError } from '../util/errors.js';
import { parseKwokRecording } from './kwok-recording.js';
import { parseRecording } from './parse-recording.js';
import type { Recording } from './recording-model.js';
import { reportRecording } from './report-recording.js';

/** Options only some inputs need. */
export interface ReadOptions {
  /** For a report.json with several scenarios: which one (by name). */
  scenario?: string;
  /** For a report.json, which holds no DaemonSet spec: the DaemonSet the scenario applied. */
  daemonSet?: V1DaemonSet;
}

/** Reads and validates a recording file; a bad one is a UsageError naming the file, line and field. */
export function readRecording(file: string, opts: ReadOptions = {}): Recording {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new UsageError(`${file}: cannot read the recording (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (err) {
      throw new UsageError(`${file}: a gzip file that does not decompress (${(err as Error).message})`);
    }
  }
  const text = bytes.toString('utf8');
  const first = text.slice(0, text.indexOf('\n') >= 0 ? text.indexOf('\n') : undefined).trim();
  if (first.startsWith('{')) {
    const head = tryJson(first);
    if (head && typeof head === 'object' && 'apiVersion' in head) return parseRecording(text, file);
    const whole = head ?? tryJson(text);
    if (whole && typeof whole === 'object' && 'scenarios' in whole) return reportRecording(whole, file, opts);
    return parseRecording(text, file);
  }
  if (/^(---|apiVersion:|kind:|#)/m.test(text.slice(0, 2000))) return parseKwokRecording(text, file);
  throw new UsageError(`${file}: not a rollcall recording (JSON lines from rollcall record), a report.json or a KWOK snapshot record file`);
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
