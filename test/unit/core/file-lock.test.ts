import { describe, expect, it } from 'vitest';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { acquireLock } from '../../../src/util/file-lock.js';
import { tempDir } from '../../support/temp-dir.js';

describe('acquireLock', () => {
  it('lets one holder in at a time', async () => {
    const path = join(tempDir('lock-'), 'l');
    const release = await acquireLock(path);
    let second = false;
    const waiting = acquireLock(path).then((r) => {
      second = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(second).toBe(false);
    release();
    (await waiting)();
    expect(second).toBe(true);
  });

  it('takes over a lock left by a dead process', async () => {
    const path = join(tempDir('lock-'), 'l');
    mkdirSync(path);
    writeFileSync(join(path, 'pid'), '999999999');
    const release = await acquireLock(path, 2000);
    release();
  });

  it('takes over a lock without a pid once it is old (its holder died taking it), not while it is new', async () => {
    const path = join(tempDir('lock-'), 'l');
    mkdirSync(path);
    await expect(acquireLock(path, 300)).rejects.toThrow('waiting for lock');
    const old = new Date(Date.now() - 60_000);
    utimesSync(path, old, old);
    const release = await acquireLock(path, 2000);
    release();
  });

  it('gives up after its timeout, naming the holder', async () => {
    const path = join(tempDir('lock-'), 'l');
    const release = await acquireLock(path);
    await expect(acquireLock(path, 300)).rejects.toThrow(`held by pid ${process.pid}`);
    release();
  });
});
