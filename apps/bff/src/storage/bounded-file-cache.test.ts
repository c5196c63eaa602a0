import { mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { BoundedFileCache } from './bounded-file-cache';

const KB = 1024;

describe('BoundedFileCache', () => {
  let dir: string;
  let fetches: string[];
  const logger = createLogger('silent');
  const fill = (cache: BoundedFileCache, name: string, bytes: number) =>
    cache.get(path.join(dir, name), async (tmp) => {
      fetches.push(name);
      await writeFile(tmp, Buffer.alloc(bytes, name.charCodeAt(0)));
    });
  const exists = (name: string) =>
    stat(path.join(dir, name)).then(
      () => true,
      () => false,
    );

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'bounded-cache-'));
    fetches = [];
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('fetches each file once, keeps under its size, and removes the least recently used first', async () => {
    const cache = new BoundedFileCache(dir, 10 * KB, logger);
    await fill(cache, 'a', 4 * KB);
    await fill(cache, 'b', 4 * KB);
    await fill(cache, 'a', 4 * KB); // used again: b is now the oldest
    expect(fetches).toEqual(['a', 'b']);
    await fill(cache, 'c', 4 * KB);
    expect(cache.bytes).toBeLessThanOrEqual(10 * KB);
    expect([await exists('a'), await exists('b'), await exists('c')]).toEqual([true, false, true]);
    await fill(cache, 'b', 4 * KB);
    expect(fetches).toEqual(['a', 'b', 'c', 'b']);
  });

  it('shares one fetch between concurrent callers and never serves a half-fetched file', async () => {
    const cache = new BoundedFileCache(dir, 10 * KB, logger);
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const slow = (tmp: string) =>
      (async () => {
        fetches.push('x');
        await writeFile(tmp, 'half');
        await gate;
        await writeFile(tmp, 'whole file');
      })();
    const both = Promise.all([
      cache.get(path.join(dir, 'x'), slow),
      cache.get(path.join(dir, 'x'), slow),
    ]);
    await new Promise((r) => setTimeout(r, 20));
    expect(await exists('x')).toBe(false);
    release();
    const [first, second] = await both;
    expect(first).toBe(second);
    expect(fetches).toEqual(['x']);
    expect(await readFile(first, 'utf8')).toBe('whole file');
  });

  it('leaves nothing behind when a fetch fails, and tries again next time', async () => {
    const cache = new BoundedFileCache(dir, 10 * KB, logger);
    await expect(
      cache.get(path.join(dir, 'y'), async (tmp) => {
        await writeFile(tmp, 'partial');
        throw new Error('connection reset');
      }),
    ).rejects.toThrow('connection reset');
    expect(await exists('y')).toBe(false);
    await fill(cache, 'y', KB);
    expect(await exists('y')).toBe(true);
  });

  it('after a restart, knows what it holds by last use and trims to a smaller limit', async () => {
    const first = new BoundedFileCache(dir, 100 * KB, logger);
    for (const name of ['old', 'mid', 'new']) await fill(first, name, 4 * KB);
    const t = Date.now() / 1000;
    await utimes(path.join(dir, 'old'), t - 300, t - 300);
    await utimes(path.join(dir, 'mid'), t - 200, t - 200);
    const second = new BoundedFileCache(dir, 9 * KB, logger);
    await fill(second, 'new', 4 * KB);
    expect(fetches).toEqual(['old', 'mid', 'new']);
    expect([await exists('old'), await exists('mid'), await exists('new')]).toEqual([
      false,
      true,
      true,
    ]);
  });
});
