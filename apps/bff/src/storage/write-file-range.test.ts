import { randomBytes } from 'node:crypto';
import { closeSync, ftruncateSync, openSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReadBuffers } from './read-buffers';
import { RANGE_CHUNK_BYTES, type ResponseSink, writeFileRange } from './write-file-range';

/**
 * A response that keeps what it is given, as a socket does until its write completes: each
 * chunk's `written` callback runs only when the test says so (`complete`), with or without an error.
 */
function holdingSink() {
  const held: Array<{ chunk: Buffer; copy: Buffer; written: (error?: Error | null) => void }> = [];
  const sink: ResponseSink = {
    write(chunk, written) {
      held.push({ chunk, copy: Buffer.from(chunk), written });
      return true;
    },
    end(chunk, written) {
      held.push({ chunk, copy: Buffer.from(chunk), written });
    },
    destroy: () => undefined,
    once: () => undefined,
    off: () => undefined,
  };
  return {
    sink,
    held,
    /** Whether every chunk still holds what it held when it was given (nothing read over it). */
    intact: () => held.every((h) => h.chunk.equals(h.copy)),
    complete: (error?: Error) => {
      for (const h of held.splice(0)) h.written(error ?? null);
    },
  };
}

/**
 * A server answering every request with bytes [start, end] of fd; `outcomes` settle per request.
 * With `ready`, the head is written by writeFileRange once ready says so; when it says no, the
 * server answers 409 itself.
 */
async function serveRange(fd: number, start: number, end: number, ready?: () => Promise<boolean>) {
  const outcomes: Array<Promise<string>> = [];
  const server = http.createServer((_req, res) => {
    const head = () => res.writeHead(200, { 'Content-Length': end - start + 1 });
    if (!ready) head();
    outcomes.push(
      writeFileRange(res, fd, start, end, ready ? { head, ready: ready() } : {}).then(
        (sent) => {
          if (sent) return 'written';
          res.writeHead(409, { 'Content-Length': 0 }).end();
          return 'not sent';
        },
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

  it('reads the first chunk while a check runs, and writes nothing, head included, until it passes', async () => {
    const bytes = randomBytes(RANGE_CHUNK_BYTES + 100);
    await open(bytes);
    let pass: (same: boolean) => void = () => undefined;
    const server = await serveRange(fd, 10, bytes.length - 1, () => new Promise((r) => (pass = r)));
    let headers = false;
    const response = fetch(server.url).then((res) => {
      headers = true;
      return res;
    });
    await new Promise((r) => setTimeout(r, 150));
    expect(headers).toBe(false); // the read is done by now; the check is not
    pass(true);
    const res = await response;
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes.subarray(10))).toBe(true);
    expect(await server.outcomes[0]).toBe('written');
    await server.close();
  });

  it('writes nothing when the check fails, even when the read failed too: the caller answers', async () => {
    await open(randomBytes(2 * RANGE_CHUNK_BYTES));
    const server = await serveRange(fd, 0, 2 * RANGE_CHUNK_BYTES - 1, async () => false);
    const res = await fetch(server.url);
    expect(res.status).toBe(409);
    expect(await server.outcomes[0]).toBe('not sent');
    ftruncateSync(fd, 5); // the file changed under the head it would have had: the read fails
    const again = await fetch(server.url);
    expect(again.status).toBe(409);
    expect(await server.outcomes[1]).toBe('not sent');
    await server.close();
  });

  describe('with ReadBuffers', () => {
    it('reads into a buffer again only once the socket has taken its bytes', async () => {
      const bytes = randomBytes(3 * RANGE_CHUNK_BYTES);
      await open(bytes);
      const buffers = new ReadBuffers(RANGE_CHUNK_BYTES);
      const first = holdingSink();
      await writeFileRange(first.sink, fd, 0, 2 * RANGE_CHUNK_BYTES - 1, { buffers });
      // Both chunks are still the socket's: another response reading now must not use them.
      const second = holdingSink();
      await writeFileRange(second.sink, fd, RANGE_CHUNK_BYTES, 3 * RANGE_CHUNK_BYTES - 1, {
        buffers,
      });
      expect(first.intact()).toBe(true);
      expect(
        Buffer.concat(first.held.map((h) => h.chunk)).equals(
          bytes.subarray(0, 2 * RANGE_CHUNK_BYTES),
        ),
      ).toBe(true);
      expect(buffers.idleCount).toBe(0);

      first.complete();
      expect(buffers.idleCount).toBe(2);
      const third = holdingSink();
      await writeFileRange(third.sink, fd, 0, 99, { buffers });
      expect(buffers.idleCount).toBe(1); // one taken again, as the socket let it go
      expect(third.held[0]?.chunk.equals(bytes.subarray(0, 100))).toBe(true);
      expect(second.intact()).toBe(true);
    });

    it('leaves a buffer whose write failed to the garbage collector', async () => {
      await open(randomBytes(RANGE_CHUNK_BYTES));
      const buffers = new ReadBuffers(RANGE_CHUNK_BYTES);
      const failed = holdingSink();
      await writeFileRange(failed.sink, fd, 0, 1000, { buffers });
      failed.complete(new Error('socket closed'));
      expect(buffers.idleCount).toBe(0);
    });

    it('serves many ranges at once byte for byte through a few kept buffers', async () => {
      const bytes = randomBytes(4 * RANGE_CHUNK_BYTES);
      await open(bytes);
      const buffers = new ReadBuffers(RANGE_CHUNK_BYTES, { keep: 2 });
      const server = http.createServer((req, res) => {
        const start = Number(req.url?.slice(1));
        const end = start + RANGE_CHUNK_BYTES + 4321;
        res.writeHead(200, { 'Content-Length': end - start + 1 });
        void writeFileRange(res, fd, start, end, { buffers });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const starts = Array.from({ length: 24 }, (_, i) => (i * 333_331) % (2 * RANGE_CHUNK_BYTES));
      const bodies = await Promise.all(
        starts.map(async (start) =>
          Buffer.from(await (await fetch(`${base}/${start}`)).arrayBuffer()),
        ),
      );
      for (const [i, start] of starts.entries())
        expect(bodies[i]?.equals(bytes.subarray(start, start + RANGE_CHUNK_BYTES + 4322))).toBe(
          true,
        );
      expect(buffers.idleCount).toBe(2);
      await new Promise((r) => server.close(r));
    });
  });
});
