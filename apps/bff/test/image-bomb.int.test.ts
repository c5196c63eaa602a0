import { crc32, deflateSync } from 'node:zlib';
import { problemSchema } from '@immichvr/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_IMAGE_PIXELS } from '../src/import/image-limits';
import { filesUnder } from './helpers/files';
import { ENGINES } from './helpers/test-database';
import { startTestServer, type TestServer } from './helpers/test-server';

/** A PNG that says it is width × height pixels of grey, in a few hundred bytes: a decompression bomb. */
function bombPng(width: number, height: number): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body) >>> 0, 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  // The first rows only: a decoder would inflate and allocate for all of them.
  const rows = Buffer.alloc((width + 1) * 4);
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', header),
      chunk('IDAT', deflateSync(rows)),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  );
}

describe.each(ENGINES)('decompression bombs on %s', (engine) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(engine);
  });
  afterAll(async () => s?.close());

  it('refuses an image over the pixel limit from its header, keeping no file and no row', async () => {
    const png = bombPng(30_000, 30_000); // 900 MP, a few KB
    expect(png.length).toBeLessThan(200_000);
    expect(30_000 * 30_000).toBeGreaterThan(DEFAULT_MAX_IMAGE_PIXELS);
    const form = new FormData();
    form.append('file', new Blob([Buffer.from(png)], { type: 'image/png' }), 'bomb.png');
    const started = performance.now();
    const res = await s.get('/api/media', { method: 'POST', body: form });
    expect(res.status).toBe(413);
    expect(problemSchema.parse(await res.json()).detail).toMatch(/30000 × 30000 .*limit is 200 MP/);
    expect(performance.now() - started).toBeLessThan(5_000);
    const { rows } = await s.t.db.query('SELECT count(*)::int AS n FROM media_items');
    expect(rows[0]).toEqual({ n: 0 });
    expect(await filesUnder(s.dataDir)).toEqual([]);
  });
});
