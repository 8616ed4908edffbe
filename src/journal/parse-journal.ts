// Reads a change journal (JSON lines): a bad one is one UsageError naming the file, line and field.
// Pure: the text in, the entries and what is still to revert out.
import type { V1Taint } from '@kubernetes/client-node';
import { FieldReader } from '../twin/field-reader.js';
import { UsageError } from '../util/errors.js';
import { JOURNAL_VERSION, type Journal, type JournalChange, type JournalEntry, type JournalHeader } from './journal-model.js';

const CHANGE_TYPES = ['node-taint', 'node-labels', 'node-unschedulable', 'namespace', 'object', 'in-namespace', 'other'] as const;
const OUTCOMES = ['undone', 'withdrawn', 'left'] as const;

/**
 * Parses journal text. Every line must be valid, except a last line without its newline: that is
 * a write the kill cut short, and since a change line is written before the change is made, its
 * change never happened (it is dropped with a warning).
 */
export function parseJournal(text: string, file: string): Journal {
  const lines = text.split('\n');
  const cut = lines.at(-1) !== '' ? lines.length : undefined;
  if (cut === undefined) lines.pop();
  const warnings: string[] = [];
  let header: JournalHeader | undefined;
  const entries = new Map<number, JournalEntry>();
  lines.forEach((raw, i) => {
    const n = i + 1;
    const where = `${file}: line ${n}`;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      if (n === cut && n > 1) return void warnings.push(`${where}: cut short (the run was killed mid-write): dropped`);
      throw new UsageError(`${where}: ${n === cut ? 'cut short' : 'not valid JSON'} (${(err as Error).message.split('\n')[0]})`);
    }
    const r = new FieldReader(where, '', value);
    r.object(true);
    if (n === 1) return void (header = readHeader(r));
    const op = r.get('op').oneOf(['change', ...OUTCOMES]);
    const id = r.get('id').integer(1);
    const at = r.get('at').time();
    if (op === 'change') {
      if (entries.has(id)) r.get('id').fail(`change ${id} appears twice`);
      entries.set(id, { id, at, what: r.get('what').string(), change: readChange(r.get('change')), state: 'pending' });
      return;
    }
    const entry = entries.get(id);
    if (!entry) return r.get('id').fail(`no change ${id} before this line`);
    if (op === 'left') r.get('why').string();
    entry.state = op;
  });
  if (!header) throw new UsageError(`${file}: line 1: missing (a journal starts with its header line)`);
  return { file, header, entries: [...entries.values()], warnings };
}

/** A change still to revert, with the in-namespace changes that go with it when it is a namespace. */
export interface PendingRevert {
  entry: JournalEntry;
  inside: JournalEntry[];
}

/**
 * What is still to revert, latest first (the order the run's own undos go in). Changes inside a
 * namespace are reverted by deleting it: they come with its entry, not on their own.
 */
export function pendingReverts(journal: Journal): PendingRevert[] {
  const namespaces = new Map<string, JournalEntry>();
  for (const e of journal.entries) if (e.change.type === 'namespace') namespaces.set(e.change.name, e);
  const inside = new Map<JournalEntry, JournalEntry[]>();
  const out: PendingRevert[] = [];
  for (const e of [...journal.entries].reverse()) {
    if (e.change.type === 'in-namespace') {
      const ns = namespaces.get(e.change.namespace);
      // A namespace entry that never made it into the journal cannot be: it is written before the namespace exists.
      if (ns) inside.set(ns, [...(inside.get(ns) ?? []), e]);
      continue;
    }
    if (e.state === 'pending') out.push({ entry: e, inside: [] });
  }
  for (const p of out) p.inside = (inside.get(p.entry) ?? []).filter((e) => e.state === 'pending');
  return out;
}

function readHeader(r: FieldReader): JournalHeader {
  if (r.get('op').value !== 'begin') r.get('op').fail(`${JSON.stringify(r.get('op').value ?? null)} is not "begin" (a journal starts with its header line)`);
  const v = r.get('v').integer(1);
  if (v !== JOURNAL_VERSION) r.get('v').fail(`journal version ${v} is not supported (this rollcall reads ${JOURNAL_VERSION})`);
  return {
    op: 'begin', v,
    context: r.get('context').string(),
    server: r.get('server').string(),
    kubeconfig: r.get('kubeconfig').string(),
    pid: r.get('pid').integer(1),
    at: r.get('at').time(),
    scenario: r.get('scenario').string(),
    file: r.get('file').string(),
  };
}

function readChange(r: FieldReader): JournalChange {
  r.object(true);
  const type = r.get('type').oneOf(CHANGE_TYPES);
  switch (type) {
    case 'node-taint':
      return { type, node: r.get('node').string(), key: r.get('key').string(), effect: r.get('effect').optionalString(), before: taints(r.get('before')), set: taints(r.get('set')) };
    case 'node-labels':
      return { type, node: r.get('node').string(), before: labelValues(r.get('before')), set: labelValues(r.get('set')) };
    case 'node-unschedulable':
      return { type, node: r.get('node').string(), before: r.get('before').boolean(), set: r.get('set').boolean() };
    case 'namespace':
      return { type, name: r.get('name').string() };
    case 'object':
      return { type, apiVersion: r.get('apiVersion').string(), kind: r.get('kind').string(), name: r.get('name').string() };
    case 'in-namespace':
      return { type, namespace: r.get('namespace').string(), what: r.get('what').string() };
    case 'other':
      return { type, what: r.get('what').string() };
  }
}

function taints(r: FieldReader): V1Taint[] {
  return r.list(true).map((t) => {
    t.object(true);
    const value = t.get('value').optionalString();
    return { key: t.get('key').string(), ...(value !== undefined ? { value } : {}), effect: t.get('effect').string() };
  });
}

/** Label values, null for a label that is (to be) absent. */
function labelValues(r: FieldReader): Record<string, string | null> {
  const obj = r.object(true);
  for (const [k, v] of Object.entries(obj)) if (v !== null && typeof v !== 'string') r.get(k).fail('expected a string or null');
  return obj as Record<string, string | null>;
}
