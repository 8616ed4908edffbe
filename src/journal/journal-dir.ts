// Where journals live: under the rollcall cache, one folder per context and API server, so
// `gc --context` finds the journals of the cluster it names and no other.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseJournal } from './parse-journal.js';
import { JournalWriter } from './journal-writer.js';
import { JOURNAL_VERSION, type Journal } from './journal-model.js';

/** `<journals>/<context>-<hash of context and server>`: the context name alone could name another cluster elsewhere. */
export function journalDir(journalsRoot: string, context: string, server: string): string {
  const slug = context.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60) || 'context';
  const hash = createHash('sha256').update(`${context}\n${server}`).digest('hex').slice(0, 12);
  return join(journalsRoot, `${slug}-${hash}`);
}

/** A new journal's path: when, which process, which scenario namespace. */
export function journalPath(dir: string, namespace: string, now = new Date(), pid = process.pid): string {
  return join(dir, `${now.toISOString().replace(/[:.]/g, '-')}-${pid}-${namespace}.jsonl`);
}

/** The journals in one folder, read, oldest first. A bad one throws the parser's one-line UsageError. */
export function readJournals(dir: string): Journal[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort().map((f) => parseJournal(readFileSync(join(dir, f), 'utf8'), join(dir, f)));
}

/** Every journal folder under the root (one per context and server). */
export function journalDirs(journalsRoot: string): string[] {
  if (!existsSync(journalsRoot)) return [];
  return readdirSync(journalsRoot, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join(journalsRoot, d.name)).sort();
}

/** The cluster a journal is for: the context the user named, its API server, and the kubeconfig file. */
export interface JournalTarget {
  context: string;
  server: string;
  kubeconfig: string;
}

/** Starts a scenario's journal on an existing cluster, before its first change. */
export function openRunJournal(journalsRoot: string, target: JournalTarget, about: { scenario: string; file: string; namespace: string }): JournalWriter {
  const path = journalPath(journalDir(journalsRoot, target.context, target.server), about.namespace);
  return JournalWriter.create(path, { v: JOURNAL_VERSION, ...target, pid: process.pid, at: new Date().toISOString(), scenario: about.scenario, file: about.file });
}
