// Appends to a change journal: every line is written and fsync'd before the call returns, so a
// change line is on disk before the change it announces is made, and survives a SIGKILL or power loss.
import { closeSync, fsyncSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { pendingReverts } from './parse-journal.js';
import type { Journal, JournalChange, JournalEntry, JournalHeader, JournalLine } from './journal-model.js';

/**
 * One open journal file.
 *
 * @example
 * const j = JournalWriter.create(path, header);
 * const id = j.change('cordon worker-2', { type: 'node-unschedulable', node: 'worker-2', before: false, set: true });
 * // ... cordon, and later uncordon ...
 * j.outcome(id, 'undone');
 * j.close();   // removes the file once nothing is left to revert
 */
export class JournalWriter {
  private fd: number | undefined;
  private readonly journal: Journal;
  private nextId: number;

  private constructor(readonly path: string, fd: number, journal: Journal) {
    this.fd = fd;
    this.journal = journal;
    this.nextId = Math.max(0, ...journal.entries.map((e) => e.id)) + 1;
  }

  /** The journal's id: the file's name without `.jsonl`. Objects rollcall creates are annotated with it. */
  get id(): string {
    return basename(this.path, '.jsonl');
  }

  /** Creates the file (never overwriting one) with its header line, and makes its folder entry durable too. */
  static create(path: string, header: Omit<JournalHeader, 'op'>): JournalWriter {
    mkdirSync(dirname(path), { recursive: true });
    const fd = openSync(path, 'wx');
    const full: JournalHeader = { op: 'begin', ...header };
    const w = new JournalWriter(path, fd, { file: path, header: full, entries: [], warnings: [] });
    w.write(full);
    syncDir(dirname(path));
    return w;
  }

  /** Opens a journal that was read (`gc` appends what it reverted). */
  static reopen(journal: Journal): JournalWriter {
    return new JournalWriter(journal.file, openSync(journal.file, 'a'), { ...journal, entries: journal.entries.map((e) => ({ ...e })) });
  }

  /** Journals a change about to be made; returns its id. */
  change(what: string, change: JournalChange): number {
    const id = this.nextId++;
    const at = new Date().toISOString();
    this.write({ op: 'change', id, at, what, change });
    this.journal.entries.push({ id, at, what, change, state: 'pending' });
    return id;
  }

  /** Journals how a change ended: undone, withdrawn (never made), or left (someone else changed it since). */
  outcome(id: number, op: 'undone' | 'withdrawn' | 'left', why = ''): void {
    const at = new Date().toISOString();
    this.write(op === 'left' ? { op, id, at, why } : { op, id, at });
    const e = this.journal.entries.find((x) => x.id === id);
    if (e) e.state = op;
  }

  /** Changes not undone yet (a namespace counts once, with what was done inside it). */
  pending(): JournalEntry[] {
    return pendingReverts(this.journal).map((p) => p.entry);
  }

  /** Closes the file, and removes it when nothing is left to revert. Returns what is left. Safe to call twice. */
  close(): JournalEntry[] {
    const left = this.pending();
    if (this.fd === undefined) return left;
    closeSync(this.fd);
    this.fd = undefined;
    if (!left.length) {
      rmSync(this.path, { force: true });
      syncDir(dirname(this.path));
    }
    return left;
  }

  private write(line: JournalLine): void {
    if (this.fd === undefined) throw new Error(`journal ${this.path} is closed`);
    writeSync(this.fd, `${JSON.stringify(line)}\n`);
    fsyncSync(this.fd);
  }
}

/** fsync on a folder makes a file created or removed in it durable. */
function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
