// The undo registry a scenario's chaos uses: its cleanup stack, and on an existing cluster the
// change journal, written before each change, so the one undo path is also what gc reverts from.
import type { UndoRegistry } from '../chaos/chaos-runtime.js';
import type { JournalChange } from '../journal/journal-model.js';
import type { JournalWriter } from '../journal/journal-writer.js';
import type { CleanupStack } from './cleanup-stack.js';

/** Pushes onto `stack`; with a journal, journals each change before it is made and marks it undone once its undo succeeded. */
export class JournaledUndo implements UndoRegistry {
  constructor(private readonly stack: CleanupStack, private readonly journal?: JournalWriter) {}

  get createdBy(): string | undefined {
    return this.journal?.id;
  }

  push(what: string, run: () => Promise<void> | void, change?: JournalChange): () => void {
    const journal = this.journal;
    if (!journal) return this.stack.push(what, run);
    // Throws (and so stops the action) if the journal cannot be written: no change goes unrecorded.
    const id = journal.change(what, change ?? { type: 'other', what });
    const withdraw = this.stack.push(what, async () => {
      await run();
      journal.outcome(id, 'undone');
    });
    return () => {
      withdraw();
      journal.outcome(id, 'withdrawn');
    };
  }

  note(what: string, change: JournalChange): void {
    this.journal?.change(what, change);
  }
}
