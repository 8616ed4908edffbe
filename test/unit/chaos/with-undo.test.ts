import { describe, expect, it } from 'vitest';
import { withUndo } from '../../../src/chaos/chaos-runtime.js';
import { CleanupStack } from '../../../src/runner/cleanup-stack.js';
import { CapabilityError, UsageError } from '../../../src/util/errors.js';

describe('withUndo', () => {
  it('registers the undo before the action starts', async () => {
    const undo = new CleanupStack();
    let sizeDuring = -1;
    await withUndo(undo, 'untaint', () => {}, async () => {
      sizeDuring = undo.size;
    });
    expect(sizeDuring).toBe(1);
    expect(undo.size).toBe(1);
  });

  it('keeps the undo when the action fails half-way (a timeout), so its effect is still undone', async () => {
    const undo = new CleanupStack();
    const ran: string[] = [];
    await expect(withUndo(undo, 'recover worker-2', () => void ran.push('recover'), async () => {
      throw new Error('the watch did not show worker-2 NotReady within 30000 ms');
    })).rejects.toThrow(/within 30000 ms/);
    expect(await undo.runAll()).toEqual([{ what: 'recover worker-2', ok: true }]);
    expect(ran).toEqual(['recover']);
  });

  it('withdraws the undo when the action was refused before it changed anything', async () => {
    const undo = new CleanupStack();
    await expect(withUndo(undo, 'a', () => {}, async () => { throw new UsageError('bad taint'); })).rejects.toThrow('bad taint');
    await expect(withUndo(undo, 'b', () => {}, async () => { throw new CapabilityError('existing', 'fail nodes', 'API only'); })).rejects.toThrow(/cannot fail nodes/);
    expect(undo.size).toBe(0);
  });
});
