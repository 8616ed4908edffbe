// Reads and validates a rollcall recording (JSON lines): a bad one is one UsageError naming the file, line and field.
import { FieldReader } from '../twin/field-reader.js';
import { parseTwin, readTwinNode } from '../twin/parse-twin.js';
import { UsageError } from '../util/errors.js';
import {
  RECORDED_KINDS, RECORDING_API_VERSION, RECORDING_KIND, TWIN_LINE_KIND, type ChangeLine, type EndLine, type Recording,
  type RecordingHeader,
} from './recording-model.js';

const OPS = ['put', 'del', 'gap', 'end'] as const;

/**
 * Parses recording text. A line that is not JSON fails, except the last one when the file does
 * not end with a newline: that is what a killed recorder leaves, so it is dropped with a warning.
 */
export function parseRecording(text: string, file: string): Recording {
  const lines = text.split('\n');
  const cut = lines.at(-1) !== '' ? lines.length : undefined; // no final newline: the last line may be cut
  if (cut === undefined) lines.pop();
  const warnings: string[] = [];
  const values: Array<{ n: number; value: unknown }> = [];
  lines.forEach((raw, i) => {
    const n = i + 1;
    if (!raw.trim()) return;
    try {
      values.push({ n, value: JSON.parse(raw) });
    } catch (err) {
      if (n === cut && n > 2) warnings.push(`${file}: line ${n}: cut short (the recorder was stopped mid-write): dropped`);
      else throw new UsageError(`${file}: line ${n}: ${n === cut ? 'cut short' : 'not valid JSON'} (${(err as Error).message.split('\n')[0]})`);
    }
  });
  const header = readHeader(file, values[0]);
  const twinLine = values[1];
  if (!twinLine || twinLine.n !== 2) throw new UsageError(`${file}: line 2: missing (a recording's second line holds the initial twin)`);
  const twinReader = new FieldReader(`${file}: line 2`, '', twinLine.value);
  twinReader.object(true);
  if (twinReader.get('kind').value !== TWIN_LINE_KIND) twinReader.get('kind').fail(`${JSON.stringify(twinReader.get('kind').value ?? null)} is not ${TWIN_LINE_KIND}`);
  twinReader.get('twin').object(true);
  const twin = parseTwin(JSON.stringify(twinReader.get('twin').value), `${file}: line 2: twin`);
  const changes: Recording['changes'] = [];
  let end: EndLine | undefined;
  let lastT = 0;
  for (const { n, value } of values.slice(2)) {
    if (end) throw new UsageError(`${file}: line ${n}: comes after the end line (line ${n - 1} or before)`);
    const line = readChange(new FieldReader(`${file}: line ${n}`, '', value), lastT);
    lastT = line.t;
    if (line.op === 'end') end = line;
    else changes.push(line);
  }
  if (!end) warnings.push(`${file}: no end line: the recorder did not stop cleanly; replaying up to its last change (+${Math.round(lastT / 1000)}s)`);
  return { file, format: 'rollcall', header, twin, changes, ...(end ? { end } : {}), warnings };
}

function readHeader(file: string, line: { n: number; value: unknown } | undefined): RecordingHeader {
  if (!line || line.n !== 1) throw new UsageError(`${file}: line 1: missing (a recording starts with its header line)`);
  const h = new FieldReader(`${file}: line 1`, '', line.value);
  h.object(true);
  const apiVersion = h.get('apiVersion');
  if (apiVersion.value !== RECORDING_API_VERSION) apiVersion.fail(`${JSON.stringify(apiVersion.value ?? null)} is not supported (this rollcall reads ${RECORDING_API_VERSION})`);
  if (h.get('kind').value !== RECORDING_KIND) h.get('kind').fail(`${JSON.stringify(h.get('kind').value ?? null)} is not ${RECORDING_KIND}`);
  h.get('startedAt').time();
  h.get('source').object();
  h.get('namespace').optionalString();
  for (const d of h.get('daemonSets').list()) d.string();
  if (h.get('anonymized').present) h.get('anonymized').boolean();
  return h.value as RecordingHeader;
}

// One change line: its op and kind, a time that never goes back, and the fields replay reads.
function readChange(r: FieldReader, lastT: number): ChangeLine {
  r.object(true);
  const t = r.get('t');
  if (typeof t.value !== 'number' || !Number.isFinite(t.value) || t.value < 0) t.fail(`expected milliseconds since startedAt (a number >= 0), got ${JSON.stringify(t.value ?? null)}`);
  if ((t.value as number) < lastT - 1000) t.fail(`${t.value} goes back in time (the line before is at ${lastT})`);
  const op = r.get('op').oneOf(OPS);
  if (op === 'end') {
    r.get('reason').string();
    return r.value as ChangeLine;
  }
  const kind = r.get('kind').oneOf(RECORDED_KINDS);
  if (op === 'gap') r.get('reason').string();
  if (op === 'del') r.get('name').string();
  if (op === 'put') {
    // A Node line holds a twin node: read as one, so that fields it may leave out are filled in.
    if (kind === 'Node') (r.value as { obj: unknown }).obj = readTwinNode(r.get('obj'));
    else readObject(r.get('obj'), kind);
  }
  return r.value as ChangeLine;
}

// The fields each kind's object must have for state folding and cause inference.
function readObject(o: FieldReader, kind: Exclude<(typeof RECORDED_KINDS)[number], 'Node'>): void {
  o.object(true);
  if (kind !== 'ControllerRevision') o.get('name').string();
  switch (kind) {
    case 'Pod':
      for (const f of ['namespace', 'node', 'daemonSet', 'phase']) o.get(f).string();
      o.get('ready').boolean(false);
      if (o.get('readySince').present) o.get('readySince').time();
      if (o.get('terminating').present) o.get('terminating').boolean();
      break;
    case 'DaemonSet':
      o.get('namespace').string();
      o.get('generation').integer(0);
      if (o.get('spec').present) o.get('spec').get('template').object(true);
      break;
    case 'ControllerRevision':
      for (const f of ['namespace', 'daemonSet', 'hash']) o.get(f).string();
      o.get('number').integer(0);
      break;
    case 'Event':
      for (const f of ['namespace', 'reason', 'message']) o.get(f).string();
      o.get('object').get('kind').string();
      o.get('object').get('name').string();
      break;
    default:
      o.get('namespace').string();
  }
}
