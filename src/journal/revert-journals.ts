// `rollcall gc --context`: reverts, latest first, the journalled changes a killed run did not undo,
// each decided by revert-decision.ts on the object as it is now, each outcome journalled before the
// next, so a gc that is itself killed resumes where it stopped.
import { rmdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import { apiMessage, ignoreNotFound, type KubeClient } from '../kube/kube-client.js';
import { updateNode } from '../kube/node-api.js';
import { UsageError } from '../util/errors.js';
import { isRunning } from '../util/processes.js';
import { pendingReverts, type PendingRevert } from './parse-journal.js';
import { decideCreatedRevert, decideNodeRevert, type RevertDecision } from './revert-decision.js';
import { JournalWriter } from './journal-writer.js';
import type { Journal } from './journal-model.js';

export interface RevertSummary {
  reverted: number;
  /** Already back, or gone. */
  done: number;
  /** Changed by someone else since, or not revertible by gc: reported and left as is. */
  left: number;
  /** The API refused or failed: still pending, the journal is kept for another try. */
  failed: number;
  /** Journals of runs still going, left alone. */
  busy: number;
}

/** Reverts what the journals of dead runs still hold, printing one line per change. */
export async function revertJournals(kube: KubeClient, journals: Journal[], print: (line: string) => void): Promise<RevertSummary> {
  const sum: RevertSummary = { reverted: 0, done: 0, left: 0, failed: 0, busy: 0 };
  const work: Array<{ writer: JournalWriter; p: PendingRevert }> = [];
  const writers: JournalWriter[] = [];
  for (const j of journals) {
    if (isRunning(j.header.pid)) {
      sum.busy++;
      print(`left alone: ${j.file}: its run (pid ${j.header.pid}) is still going`);
      continue;
    }
    for (const w of j.warnings) print(w);
    const writer = JournalWriter.reopen(j);
    writers.push(writer);
    for (const p of pendingReverts(j)) work.push({ writer, p });
  }
  // Latest first across journals too: two scenarios of one run may have changed the same node.
  work.sort((a, b) => b.p.entry.at.localeCompare(a.p.entry.at) || b.p.entry.id - a.p.entry.id);
  for (const { writer, p } of work) {
    let d: RevertDecision;
    try {
      d = await revertOne(kube, p, writer.id);
    } catch (err) {
      sum.failed++;
      print(`could not revert: ${p.entry.what}: ${apiMessage(err).split('\n')[0]}`);
      continue;
    }
    if (d.action === 'revert' || d.action === 'done') writer.outcome(p.entry.id, 'undone');
    else writer.outcome(p.entry.id, 'left', d.line);
    if (d.action === 'revert') sum.reverted++;
    else if (d.action === 'done') sum.done++;
    else sum.left++;
    print(`${d.action === 'revert' ? 'reverted' : d.action === 'done' ? 'already reverted' : 'not reverted'}: ${d.line}`);
    if (d.action !== 'conflict' && d.action !== 'manual') for (const e of p.inside) print(`  with it: ${e.what}`);
  }
  for (const w of writers) {
    if (w.close().length) continue;
    try {
      rmdirSync(dirname(w.path));
    } catch {
      /* other journals remain in the folder */
    }
  }
  return sum;
}

/** Decides on the object as it is now and, when it is still as rollcall left it, reverts it. */
async function revertOne(kube: KubeClient, p: PendingRevert, journalId: string): Promise<RevertDecision> {
  const c = p.entry.change;
  switch (c.type) {
    case 'node-taint':
    case 'node-labels':
    case 'node-unschedulable': {
      let d: RevertDecision | undefined;
      try {
        // Decided inside the write: a node that changed meanwhile is read and decided again.
        await updateNode(kube, c.node, (node) => (d = decideNodeRevert(c, node)).patch);
      } catch (err) {
        if (!(err instanceof UsageError)) throw err;
        d = decideNodeRevert(c, undefined);
      }
      return d!;
    }
    case 'namespace': {
      const ns = await ignoreNotFound(() => kube.core.readNamespace({ name: c.name }));
      const d = decideCreatedRevert(c, ns, journalId);
      if (d.action === 'revert') await ignoreNotFound(() => kube.core.deleteNamespace({ name: c.name }));
      return d;
    }
    case 'object': {
      const ref = { apiVersion: c.apiVersion, kind: c.kind, metadata: { name: c.name } } as KubernetesObject & { metadata: { name: string } };
      const obj = await ignoreNotFound(() => kube.objects.read(ref));
      const d = decideCreatedRevert(c, obj, journalId);
      if (d.action === 'revert') await ignoreNotFound(() => kube.objects.delete(ref));
      return d;
    }
    case 'in-namespace':
      // Never reached: pendingReverts hands these over with their namespace.
      return { action: 'done', line: `${c.what}: goes with namespace ${c.namespace}` };
    case 'other':
      return { action: 'manual', line: `${c.what}: rollcall did not journal what to restore; check it by hand` };
  }
}
