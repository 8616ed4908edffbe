// The change journal of a run on an existing cluster: one JSON line per change rollcall is about to
// make, written (and fsync'd) before it makes it, with what to restore; then a line when it is undone.
import type { V1Taint } from '@kubernetes/client-node';

export const JOURNAL_VERSION = 1;

/** Objects rollcall creates on a journaled run carry this annotation (the journal's id), so gc deletes only its own. */
export const CREATED_BY_ANNOTATION = 'rollcall.dev/journal';

/**
 * What one change did and what to restore. Node changes name only the fields rollcall touched (a
 * taint key and effect, some label keys, the unschedulable flag) so that what the node controller
 * or someone else changes elsewhere on the node is no conflict.
 */
export type JournalChange =
  /** Taints of one key (and effect, when given): `before` the change, and what rollcall `set`. */
  | { type: 'node-taint'; node: string; key: string; effect?: string; before: V1Taint[]; set: V1Taint[] }
  /** Label values (null: absent) before the change and what rollcall set. */
  | { type: 'node-labels'; node: string; before: Record<string, string | null>; set: Record<string, string | null> }
  | { type: 'node-unschedulable'; node: string; before: boolean; set: boolean }
  /** A namespace rollcall creates (its scenario's); everything in it goes with it. */
  | { type: 'namespace'; name: string }
  /** A cluster-scoped object rollcall creates (a bundle's ClusterRole, a PriorityClass). */
  | { type: 'object'; apiVersion: string; kind: string; name: string }
  /** A change inside rollcall's namespace (a DaemonSet created, patched, its image set; a pod deleted): reverted by deleting that namespace. */
  | { type: 'in-namespace'; namespace: string; what: string }
  /** An undo registered without a record of what it restores: gc can only report it. */
  | { type: 'other'; what: string };

/** The first line: whose journal this is. */
export interface JournalHeader {
  op: 'begin';
  v: number;
  context: string;
  server: string;
  /** The kubeconfig the run used, for the hint `rollcall gc` prints. */
  kubeconfig: string;
  /** The run's process: while it lives, gc leaves the journal alone. */
  pid: number;
  at: string;
  scenario: string;
  file: string;
}

export type JournalLine =
  | JournalHeader
  /** Written before the change is made. */
  | { op: 'change'; id: number; at: string; what: string; change: JournalChange }
  /** The undo (the run's, or gc's revert) succeeded, or found nothing left to do. */
  | { op: 'undone'; id: number; at: string }
  /** The action was refused before it changed anything (bad input, a missing ability). */
  | { op: 'withdrawn'; id: number; at: string }
  /** gc found the value changed by someone else since rollcall set it, reported it, and left it as is. */
  | { op: 'left'; id: number; at: string; why: string };

/** One journalled change and how far it got. */
export interface JournalEntry {
  id: number;
  at: string;
  what: string;
  change: JournalChange;
  state: 'pending' | 'undone' | 'withdrawn' | 'left';
}

/** A journal file, read. */
export interface Journal {
  file: string;
  header: JournalHeader;
  /** In the order they were written. */
  entries: JournalEntry[];
  /** A cut-short last line that was dropped (a write the kill interrupted: its change was never made). */
  warnings: string[];
}
