// What chaos actions are wired to: the cluster, the recorder that confirms their effect, the undo
// registry, and `act`, which puts each action on the timeline before it starts.
import type { RunningCluster } from '../providers/cluster.js';
import type { Recorder } from '../observe/recorder.js';
import type { JournalChange } from '../journal/journal-model.js';
import { CapabilityError, UsageError } from '../util/errors.js';

/** An action rollcall took, with when it started on the scenario's clock. */
export interface ActionRecord {
  kind: string;
  description: string;
  atMs: number;
}

/** Records an action on the timeline (before it starts), runs it, and returns its result stamped with the record. */
export type Act = <T>(kind: string, description: string, fn: () => Promise<T>) => Promise<T & ActionRecord>;

/**
 * Where undos go: run newest first when the scenario ends; `push` returns a function that withdraws
 * the undo. On an existing cluster each push first journals `change` (what the undo restores) to
 * disk, so `rollcall gc --context` can revert it after a killed run.
 */
export interface UndoRegistry {
  push(what: string, run: () => Promise<void> | void, change?: JournalChange): () => void;
  /** Journals a change whose undo is another entry's (a DaemonSet patched in the scenario's namespace goes with the namespace). */
  note?(what: string, change: JournalChange): void;
  /** On a journalled run, the annotation value that marks what it creates, so gc deletes only that. */
  readonly createdBy?: string;
}

export interface ChaosRuntime {
  cluster: RunningCluster;
  recorder: Recorder;
  /** The scenario's namespace: workload chaos acts there. */
  namespace: string;
  /** The scenario file, so bad input names it. */
  file: string;
  undo: UndoRegistry;
}

/**
 * Registers `undo` (and journals `change`, what it restores) BEFORE `action` starts, so an action
 * that fails or times out half-way, or a run killed mid-action, is still undone; withdraws it only
 * when the action was refused before it changed anything (bad input, or an ability the provider lacks).
 */
export async function withUndo<T>(undo: UndoRegistry, what: string, run: () => Promise<void> | void, action: () => Promise<T>, change?: JournalChange): Promise<T> {
  const withdraw = undo.push(what, run, change);
  try {
    return await action();
  } catch (err) {
    if (err instanceof UsageError || err instanceof CapabilityError) withdraw();
    throw err;
  }
}
