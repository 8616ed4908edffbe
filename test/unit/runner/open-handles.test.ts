import { describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { activeHandles, handlesLeft } from '../../../src/runner/open-handles.js';

describe('open handles', () => {
  it('names the kinds of handle that appeared since a snapshot', () => {
    expect(handlesLeft(new Map([['Timeout', 1]]), new Map([['Timeout', 3], ['TCPServerWrap', 1], ['TTYWrap', 1]]))).toEqual(['2 Timeout', '1 TCPServerWrap', '1 TTYWrap']);
    expect(handlesLeft(new Map([['Timeout', 2]]), new Map([['Timeout', 1]]))).toEqual([]);
  });

  it('sees a timer and a listening server that are left open, and not once they are closed', async () => {
    const before = activeHandles();
    const timer = setInterval(() => {}, 1000);
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    expect(handlesLeft(before, activeHandles())).toEqual(expect.arrayContaining(['1 Timeout', '1 TCPServerWrap']));
    clearInterval(timer);
    await new Promise((r) => server.close(r));
    // libuv releases a closed handle on a later loop turn.
    await new Promise((r) => setTimeout(r, 50));
    expect(handlesLeft(before, activeHandles())).toEqual([]);
  });
});
