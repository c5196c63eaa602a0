import { randomBytes } from 'node:crypto';
import { closeSync, ftruncateSync, openSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RANGE_CHUNK_BYTES, writeFileRange } from './write-file-range';

/** A server answering every request with bytes [start, end] of fd; `written` settles per request. */
async function serveRange(fd: number, start: number, end: number) {
  const outcomes: Array<Promise<string>> = [];
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Length': end - start + 1 });
    outcomes.push(
      writeFileRange(res, fd, start, end).then(
        () => 'written',
        (error: Error) => `failed: ${error.message}`,
      ),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { url, outcomes, close: () => new Promise((r) => server.close(r)) };
}

describe('writeFileRange', () => {
  let dir: string;
  let fd = -1;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'write-range-'));
  });
  afterEach(async () => {
    if (fd >= 0) closeSync(fd);
    fd = -1;
    await rm(dir, { recursive: true, force: true });
  });

  const open = async (bytes: Buffer) => {
    const file = path.join(dir, 'f.bin');
    await writeFile(file, bytes);
    fd = openSync(file, 'r+');
    return file;
  };

  it('writes a range spanning several reads byte for byte', async () => {
    const bytes = randomBytes(2 * RANGE_CHUNK_BYTES + 12345);
    await open(bytes);
    const start = 777;
    const end = bytes.length - 10;
    const server = await serveRange(fd, start, end);
    const body = Buffer.from(await (await fetch(server.url)).arrayBuffer());
    expect(body.equals(bytes.subarray(start, end + 1))).toBe(true);
    expect(await server.outcomes[0]).toBe('written');
    await server.close();
  });

  it('stops reading when the client goes away mid-body, and lets the descriptor go', async () => {
    await open(randomBytes(8 * RANGE_CHUNK_BYTES));
    const server = await serveRange(fd, 0, 8 * RANGE_CHUNK_BYTES - 1);
    await new Promise<void>((resolve) => {
      const req = http.get(server.url, (res) => {
        res.once('data', () => {
          res.pause(); // the socket fills, the server waits for it to drain
          setTimeout(() => {
            req.destroy();
            resolve();
          }, 100);
        });
      });
      req.on('error', () => undefined);
    });
    expect(await server.outcomes[0]).toBe('written');
    await server.close();
  });

  it('fails and cuts the response when the file no longer has the bytes its headers promised', async () => {
    await open(randomBytes(3 * RANGE_CHUNK_BYTES));
    ftruncateSync(fd, RANGE_CHUNK_BYTES + 5); // shrank after its headers were made
    const server = await serveRange(fd, 0, 3 * RANGE_CHUNK_BYTES - 1);
    const received = await fetch(server.url)
      .then((res) => res.arrayBuffer())
      .then(
        (b) => `complete ${b.byteLength}`,
        (error: Error) => `cut: ${error.message}`,
      );
    expect(received).not.toMatch(/^complete/);
    expect(await server.outcomes[0]).toMatch(/^failed: read 5 of \d+ bytes: the file shrank/);
    await server.close();
  });
});
