import { describe, expect, it } from 'vitest';
import { CleanupStack } from '../../../src/runner/cleanup-stack.js';

describe('CleanupStack', () => {
  it('runs undos last-in-first-out and keeps going after a failure', async () => {
    const order: string[] = [];
    const s = new CleanupStack();
    s.push('a', () => void order.push('a'));
    s.push('b', () => {
      throw new Error('boom');
    });
    s.push('c', async () => void order.push('c'));
    const out = await s.runAll();
    expect(order).toEqual(['c', 'a']);
    expect(out).toEqual([
      { what: 'c', ok: true },
      { what: 'b', ok: false, error: 'boom' },
      { what: 'a', ok: true },
    ]);
    expect(s.size).toBe(0);
  });

  it('lets a released resource drop its undo', async () => {
    const s = new CleanupStack();
    const ran: string[] = [];
    const release = s.push('x', () => void ran.push('x'));
    release();
    await s.runAll();
    expect(ran).toEqual([]);
  });
});
