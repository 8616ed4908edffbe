// guardSignals: the first signal aborts and cleans up, then exits 128+signo; the second is
// ignored; the third exits at once; nested guards share one set of handlers.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

type Signals = typeof import('../../../src/util/signals.js');

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let exits: number[];
let mod: Signals;

beforeEach(async () => {
  exits = [];
  vi.spyOn(process, 'exit').mockImplementation(((code: number) => void exits.push(code)) as never);
  // The handler's state (how many signals so far) lives in the module: a fresh one per test.
  vi.resetModules();
  mod = await import('../../../src/util/signals.js');
});
afterEach(() => {
  vi.restoreAllMocks();
  for (const s of SIGNALS) process.removeAllListeners(s);
});

const flush = () => new Promise((r) => setTimeout(r, 10));

describe('guardSignals', () => {
  it('aborts, runs the cleanup, then exits 130; a second SIGINT is ignored, a third exits at once', async () => {
    let release!: () => void;
    const cleanupDone = new Promise<void>((r) => (release = r));
    const runAll = vi.fn(() => cleanupDone);
    const lines: string[] = [];
    const guard = mod.guardSignals({ runAll }, (l) => lines.push(l));
    process.emit('SIGINT', 'SIGINT');
    expect(guard.signal.aborted).toBe(true);
    expect(guard.interrupted).toBe('SIGINT');
    expect(() => guard.check()).toThrow('interrupted by SIGINT');
    expect(lines).toEqual(['SIGINT received: stopping and cleaning up (press Ctrl-C twice more to exit at once)']);
    expect(runAll).toHaveBeenCalledOnce();
    process.emit('SIGINT', 'SIGINT');
    await flush();
    expect(exits).toEqual([]);
    process.emit('SIGINT', 'SIGINT');
    expect(exits).toEqual([130]);
    release();
    await flush();
    expect(runAll).toHaveBeenCalledOnce();
  });

  it('exits with 128 + the signal number once cleanup is done', async () => {
    mod.guardSignals({ runAll: async () => {} }, () => {});
    process.emit('SIGTERM', 'SIGTERM');
    await flush();
    expect(exits).toEqual([143]);
  });

  it('nested guards: one handler, every guard aborted, cleanups newest first', async () => {
    const order: string[] = [];
    const outer = mod.guardSignals({ runAll: async () => void order.push('outer') }, () => {});
    const inner = mod.guardSignals({ runAll: async () => void order.push('inner') }, () => {});
    expect(process.listenerCount('SIGINT')).toBe(1);
    process.emit('SIGHUP', 'SIGHUP');
    await flush();
    expect([outer.signal.aborted, inner.signal.aborted]).toEqual([true, true]);
    expect(order).toEqual(['inner', 'outer']);
    expect(exits).toEqual([129]);
  });

  it('dispose removes the handlers when no signal came', () => {
    const guard = mod.guardSignals({ runAll: async () => {} }, () => {});
    expect(process.listenerCount('SIGTERM')).toBe(1);
    guard.dispose();
    expect(SIGNALS.map((s) => process.listenerCount(s))).toEqual([0, 0, 0]);
    expect(guard.interrupted).toBeUndefined();
  });
});
