// What plain `rollcall gc` says about journals: it never acts on a user's cluster without the
// context being named, so it only tells which contexts have changes left and the command to revert them.
import { pendingReverts } from './parse-journal.js';
import type { Journal } from './journal-model.js';

/** One line per context whose killed runs left journalled changes not yet undone. Pure. */
export function leftoverHints(journals: Journal[], running: (pid: number) => boolean): string[] {
  const by = new Map<string, { context: string; server: string; kubeconfig: string; changes: number; files: number }>();
  for (const j of journals) {
    if (running(j.header.pid)) continue;
    const changes = pendingReverts(j).length;
    if (!changes) continue;
    const key = `${j.header.context}\n${j.header.server}`;
    const g = by.get(key) ?? { context: j.header.context, server: j.header.server, kubeconfig: j.header.kubeconfig, changes: 0, files: 0 };
    g.changes += changes;
    g.files++;
    by.set(key, g);
  }
  return [...by.values()].map((g) =>
    `journals of killed runs on context ${g.context} (${g.server}) hold ${g.changes} change(s) not undone; revert them with: rollcall gc --context ${shellWord(g.context)} --kubeconfig ${shellWord(g.kubeconfig)}`);
}

function shellWord(s: string): string {
  return /^[A-Za-z0-9_./:@=-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
