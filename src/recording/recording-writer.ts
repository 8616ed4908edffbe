// Appends a recording to a file line by line, each line written through at once, so that a recorder killed
// with SIGKILL leaves everything up to its last change readable (at most the last line is cut).
import { closeSync, openSync, writeSync } from 'node:fs';
import type { ClusterTwin } from '../twin/twin-model.js';
import { UsageError } from '../util/errors.js';
import { TWIN_LINE_KIND, type ChangeLine, type RecordingHeader } from './recording-model.js';

/**
 * One open recording file. Lines go out with a synchronous write each: no buffer in this process
 * to lose, and the kernel keeps what was written when the process dies.
 *
 * @example
 * const w = RecordingWriter.create('incident.rec', header, twin);
 * w.write(line);
 * w.end('--for elapsed');
 */
export class RecordingWriter {
  private closed = false;
  /** Change lines written so far (not counting the header, twin and end lines). */
  changes = 0;
  bytes = 0;

  private constructor(private readonly fd: number, readonly path: string) {}

  /** Creates the file (refusing to overwrite one unless `force`) and writes the header and twin lines. */
  static create(path: string, header: RecordingHeader, twin: ClusterTwin, opts: { force?: boolean } = {}): RecordingWriter {
    let fd: number;
    try {
      fd = openSync(path, opts.force ? 'w' : 'wx');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new UsageError(code === 'EEXIST' ? `-o ${path}: the file exists (pass --force to overwrite it)` : `-o ${path}: cannot write (${code ?? (err as Error).message})`);
    }
    const w = new RecordingWriter(fd, path);
    w.raw(header);
    w.raw({ kind: TWIN_LINE_KIND, twin });
    return w;
  }

  /** Appends one change line (ignored once ended). */
  write(line: ChangeLine): void {
    if (this.closed) return;
    this.raw(line);
    this.changes++;
  }

  /** Writes the end line and closes the file; safe to call twice. */
  end(t: number, reason: string): void {
    if (this.closed) return;
    this.raw({ t: Math.round(t), op: 'end', reason });
    this.closed = true;
    closeSync(this.fd);
  }

  private raw(value: unknown): void {
    const text = `${JSON.stringify(value)}\n`;
    this.bytes += Buffer.byteLength(text);
    writeSync(this.fd, text);
  }
}
