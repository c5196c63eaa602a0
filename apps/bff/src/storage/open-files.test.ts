import { fstatSync, readSync } from 'node:fs';
import { mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FileIdentity, OpenFiles } from './open-files';

const identityOf = async (file: string): Promise<FileIdentity> => {
  const { dev, ino } = await stat(file);
  return { dev, ino };
};
const readAll = (fd: number, length: number) => {
  const buffer = Buffer.alloc(length);
  readSync(fd, buffer, 0, length, 0);
  return buffer.toString();
};
/** Whether fd is open once closes already asked for have run (close is asynchronous). */
const isOpen = async (fd: number) => {
  await new Promise((r) => setTimeout(r, 20));
  try {
    fstatSync(fd);
    return true;
  } catch {
    return false;
  }
};

describe('OpenFiles', () => {
  let dir: string;
  let files: OpenFiles;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'open-files-'));
  });
  afterEach(async () => {
    files?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lends the same descriptor for the same file, to several readers at once', async () => {
    files = new OpenFiles();
    const file = path.join(dir, 'a.bin');
    await writeFile(file, 'first');
    const id = await identityOf(file);
    const one = await files.acquire(file, id);
    const two = await files.acquire(file, id);
    expect(two.fd).toBe(one.fd);
    expect(files.size).toBe(1);
    one.release();
    two.release();
    const three = await files.acquire(file, id);
    expect(three.fd).toBe(one.fd);
    expect(readAll(three.fd, 5)).toBe('first');
    three.release();
  });

  it('opens a replaced file anew: the old descriptor is never read for it', async () => {
    files = new OpenFiles();
    const file = path.join(dir, 'a.bin');
    await writeFile(file, 'old!!');
    const before = await files.acquire(file, await identityOf(file));
    before.release();
    await writeFile(path.join(dir, 'new.bin'), 'new!!');
    await rename(path.join(dir, 'new.bin'), file);
    const after = await files.acquire(file, await identityOf(file));
    expect(readAll(after.fd, 5)).toBe('new!!');
    after.release();
  });

  it('does not keep a descriptor when the path names another file than the one stat saw', async () => {
    files = new OpenFiles();
    const file = path.join(dir, 'a.bin');
    await writeFile(file, 'old!!');
    const seen = await identityOf(file);
    await writeFile(path.join(dir, 'new.bin'), 'new!!');
    await rename(path.join(dir, 'new.bin'), file);
    const lease = await files.acquire(file, seen);
    expect(files.size).toBe(0);
    lease.release();
    expect(await isOpen(lease.fd)).toBe(false);
  });

  it('closes the least recently used beyond its bound, but never one being read', async () => {
    files = new OpenFiles({ max: 2 });
    const leases = [];
    for (const name of ['a', 'b', 'c']) {
      const file = path.join(dir, name);
      await writeFile(file, name);
      leases.push(await files.acquire(file, await identityOf(file)));
    }
    const [a, b, c] = leases as [(typeof leases)[0], (typeof leases)[0], (typeof leases)[0]];
    expect(files.size).toBe(2);
    // 'a' was dropped from the cache while still lent: open until released.
    expect(await isOpen(a.fd)).toBe(true);
    expect(readAll(a.fd, 1)).toBe('a');
    a.release();
    expect(await isOpen(a.fd)).toBe(false);
    b.release();
    c.release();
    expect(files.size).toBe(2);
  });

  it('closes descriptors left unused for idleMs', async () => {
    files = new OpenFiles({ idleMs: 50 });
    const file = path.join(dir, 'a.bin');
    await writeFile(file, 'x');
    const lease = await files.acquire(file, await identityOf(file));
    lease.release();
    expect(files.size).toBe(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(files.size).toBe(0);
    expect(await isOpen(lease.fd)).toBe(false);
  });

  it('fails as open does for a missing file', async () => {
    files = new OpenFiles();
    await expect(
      files.acquire(path.join(dir, 'missing'), { dev: 1, ino: 1 }),
    ).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
