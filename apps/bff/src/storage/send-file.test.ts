import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRange, sendFile, serverWritesFileBodies, takeFileBody } from './send-file';

describe('parseRange', () => {
  it.each([
    ['bytes=0-0', 100, [0, 0]],
    ['bytes=99-', 100, [99, 99]],
    ['bytes=-10', 100, [90, 99]],
    ['bytes=-500', 100, [0, 99]],
    ['bytes=10-5000', 100, [10, 99]],
    ['bytes=100-', 100, 'unsatisfiable'],
    ['bytes=-0', 100, 'unsatisfiable'],
    ['bytes=5-1', 100, null],
    ['bytes=0-1,5-6', 100, null],
    ['items=0-1', 100, null],
  ] as const)('%s of %i bytes → %o', (header, size, expected) => {
    expect(parseRange(header, size)).toEqual(expected);
  });
});

describe('file bodies left to the server', () => {
  const withFile = async (run: (file: string, bytes: Buffer) => Promise<void>) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'send-file-'));
    try {
      const bytes = randomBytes(5000);
      await writeFile(path.join(dir, 'f.bin'), bytes);
      await run(path.join(dir, 'f.bin'), bytes);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
  const get = (range?: string) =>
    new Request('http://localhost/f', range ? { headers: { range } } : {});

  it('makes no body where the server writes it, and the server finds the range however the response was remade', () =>
    withFile(async (file) => {
      const request = get('bytes=100-199');
      serverWritesFileBodies(request);
      const response = await sendFile(request, file, { contentType: 'video/mp4' });
      expect(response.status).toBe(206);
      expect(response.body).toBeNull();
      // A middleware that makes the response anew (as Hono does when c.res is set twice).
      const remade = new Response(response.body, response);
      expect(takeFileBody(request, remade)).toMatchObject({ file, start: 100, end: 199 });
      expect(takeFileBody(request, remade)).toBeUndefined(); // taken once
    }));

  it('leaves nothing to the server when the response is no longer the file', () =>
    withFile(async (file) => {
      const request = get();
      serverWritesFileBodies(request);
      await sendFile(request, file, { contentType: 'video/mp4' });
      const replaced = new Response('{"title":"Internal Server Error"}', { status: 500 });
      expect(takeFileBody(request, replaced)).toBeUndefined();
    }));

  it('streams the file itself elsewhere', () =>
    withFile(async (file, bytes) => {
      const request = get('bytes=10-');
      const response = await sendFile(request, file, { contentType: 'video/mp4' });
      expect(Buffer.from(await response.arrayBuffer()).equals(bytes.subarray(10))).toBe(true);
      expect(takeFileBody(request, response)).toBeUndefined();
    }));
});
