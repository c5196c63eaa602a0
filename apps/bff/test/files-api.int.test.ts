import { mkdir, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { problemSchema } from '@immichvr/shared';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addDepthMap,
  importFixtures,
  writeTestJpeg,
  writeTestVideo,
} from './helpers/media-fixtures';
import { ENGINES } from './helpers/test-database';
import { startTestServer, type TestServer } from './helpers/test-server';

describe.each(ENGINES)('file endpoints on %s', (engine) => {
  let s: TestServer;
  let ids: Map<string, string>;
  const bytes = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7) % 251));
  let original: Buffer;

  beforeAll(async () => {
    s = await startTestServer(engine);
    const media = path.join(s.dataDir, 'library');
    await writeTestJpeg(path.join(media, 'wide.jpg'), { width: 3000, height: 2000 });
    // Stored 600×400, displayed 400×600: red on top, blue at the bottom once rotated.
    await writeTestJpeg(path.join(media, 'rotated.jpg'), {
      width: 600,
      height: 400,
      orientation: 6,
    });
    await writeTestVideo(path.join(media, 'clip.mp4'));
    // A HEIC header (ftyp heic) is enough for the content sniffer; sharp cannot decode HEIC here.
    const heic = Buffer.alloc(64);
    heic.writeUInt32BE(24, 0);
    heic.write('ftypheic', 4, 'latin1');
    heic.write('mif1heic', 16, 'latin1');
    await writeFile(path.join(media, 'phone.heic'), heic);
    await writeTestJpeg(path.join(media, 'swapped.jpg'), { width: 64, height: 48, seed: 9 });
    ids = await importFixtures(s.t.db, media);
    // Files the app wrote itself (as an upload would): in DATA_DIR/uploads.
    const uploads = path.join(s.dataDir, 'uploads');
    await mkdir(uploads, { recursive: true });
    // A "JPEG" that is not one: valid signature, garbage after it.
    const broken = path.join(uploads, 'broken.jpg');
    await writeFile(broken, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), bytes]));
    const { rows } = await s.t.db.query<{ id: string }>(
      `INSERT INTO media_items (original_filename, media_type, file_path, file_size, mime_type, checksum)
       VALUES ('broken.jpg', 'photo', $1, 100004, 'image/jpeg', 'broken'),
              ('passwd', 'photo', '/etc/passwd', 1, 'image/jpeg', NULL),
              ('gone.jpg', 'photo', $2, 1, 'image/jpeg', NULL)
       RETURNING id, original_filename`,
      [broken, path.join(s.dataDir, 'gone.jpg')],
    );
    for (const r of rows as Array<{ id: string; original_filename: string }>)
      ids.set(r.original_filename, r.id);
    const raw = path.join(uploads, 'raw.bin');
    await writeFile(raw, bytes);
    const inserted = await s.t.db.query<{ id: string }>(
      `INSERT INTO media_items (original_filename, media_type, file_path, file_size, mime_type, checksum)
       VALUES ('raw.jpg', 'photo', $1, 100000, 'image/jpeg', 'abc123') RETURNING id`,
      [raw],
    );
    ids.set('raw.jpg', (inserted.rows[0] as { id: string }).id);
    original = bytes;
  }, 60_000);
  afterAll(async () => s?.close());

  const url = (name: string, what: string) => `/api/media/${ids.get(name)}/${what}`;

  describe('originals', () => {
    it('streams the whole file with its type, length and validators', async () => {
      const res = await s.get(url('raw.jpg', 'original'));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/jpeg');
      expect(res.headers.get('content-length')).toBe('100000');
      expect(res.headers.get('accept-ranges')).toBe('bytes');
      expect(res.headers.get('etag')).toBe('"abc123"');
      expect(new Date(res.headers.get('last-modified') ?? '').getTime()).toBeGreaterThan(0);
      expect(Buffer.from(await res.arrayBuffer()).equals(original)).toBe(true);
    });

    it.each([
      ['bytes=0-0', 'bytes 0-0/100000', [0, 1]],
      ['bytes=99999-99999', 'bytes 99999-99999/100000', [99999, 100000]],
      ['bytes=99999-', 'bytes 99999-99999/100000', [99999, 100000]],
      ['bytes=-10', 'bytes 99990-99999/100000', [99990, 100000]],
      ['bytes=-200000', 'bytes 0-99999/100000', [0, 100000]],
      ['bytes=1000-1999', 'bytes 1000-1999/100000', [1000, 2000]],
      ['bytes=50000-999999', 'bytes 50000-99999/100000', [50000, 100000]],
    ])('answers Range %s with 206 %s', async (range, contentRange, [from, to]) => {
      const res = await s.get(url('raw.jpg', 'original'), { headers: { Range: range } });
      expect(res.status).toBe(206);
      expect(res.headers.get('content-range')).toBe(contentRange);
      const body = Buffer.from(await res.arrayBuffer());
      expect(res.headers.get('content-length')).toBe(String(body.length));
      expect(body.equals(original.subarray(from, to))).toBe(true);
    });

    it.each(['bytes=100000-', 'bytes=200000-300000', 'bytes=-0'])(
      'answers Range %s beyond the end with 416',
      async (range) => {
        const res = await s.get(url('raw.jpg', 'original'), { headers: { Range: range } });
        expect(res.status).toBe(416);
        expect(res.headers.get('content-range')).toBe('bytes */100000');
      },
    );

    it('ignores a malformed or multi-part Range and sends the whole file', async () => {
      for (const range of ['bytes=5-1', 'bytes=0-1,5-6', 'pages=1-2', 'bytes=abc']) {
        const res = await s.get(url('raw.jpg', 'original'), { headers: { Range: range } });
        expect(res.status, range).toBe(200);
        expect((await res.arrayBuffer()).byteLength).toBe(100000);
      }
    });

    it('answers a matching If-None-Match with 304 and honours If-Range', async () => {
      const res = await s.get(url('raw.jpg', 'original'), {
        headers: { 'If-None-Match': '"other", "abc123"' },
      });
      expect(res.status).toBe(304);
      expect(await res.text()).toBe('');
      const stale = await s.get(url('raw.jpg', 'original'), {
        headers: { Range: 'bytes=0-9', 'If-Range': '"old-version"' },
      });
      expect(stale.status).toBe(200);
      await stale.arrayBuffer();
      const fresh = await s.get(url('raw.jpg', 'original'), {
        headers: { Range: 'bytes=0-9', 'If-Range': '"abc123"' },
      });
      expect(fresh.status).toBe(206);
      await fresh.arrayBuffer();
    });

    it('answers HEAD with the headers and no body', async () => {
      const res = await s.get(url('raw.jpg', 'original'), { method: 'HEAD' });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-length')).toBe('100000');
      expect(await res.text()).toBe('');
    });

    it('never serves a file outside the data folder and media roots, nor a missing one', async () => {
      for (const name of ['passwd', 'gone.jpg']) {
        const res = await s.get(url(name, 'original'));
        expect(res.status, name).toBe(404);
        const text = await res.text();
        expect(text).not.toContain('root:');
        expect(text).not.toContain(s.dataDir);
        expect(problemSchema.parse(JSON.parse(text)).status).toBe(404);
      }
    });

    it('serves a file kept open across requests, and a file replaced on disk as the new one', async () => {
      // 3 MiB: whole responses go through the stream path, ranges up to 1 MiB through one read.
      const big = (seed: number) =>
        Buffer.from(
          Array.from({ length: 3 * 1024 * 1024 }, (_, i) => (i * seed + (i >> 11)) % 256),
        );
      const file = path.join(s.dataDir, 'uploads', 'big.bin');
      await writeFile(file, big(7));
      const { rows } = await s.t.db.query<{ id: string }>(
        `INSERT INTO media_items (original_filename, media_type, file_path, file_size, mime_type)
         VALUES ('big.mp4', 'video', $1, $2, 'video/mp4') RETURNING id`,
        [file, 3 * 1024 * 1024],
      );
      const at = `/api/media/${rows[0]?.id}/original`;
      const expectServed = async (content: Buffer) => {
        for (let round = 0; round < 2; round++) {
          const whole = await s.get(at);
          expect(Buffer.from(await whole.arrayBuffer()).equals(content)).toBe(true);
          for (const [from, to] of [
            [0, 1024 * 1024 - 1],
            [1_500_000, 3_100_000],
            [3 * 1024 * 1024 - 10, 3 * 1024 * 1024 - 1],
          ] as const) {
            const res = await s.get(at, { headers: { Range: `bytes=${from}-${to}` } });
            expect(res.status).toBe(206);
            expect(
              Buffer.from(await res.arrayBuffer()).equals(content.subarray(from, to + 1)),
            ).toBe(true);
          }
        }
      };
      await expectServed(big(7));
      // Replaced as editors and sync tools do: a new file renamed over the old one.
      await writeFile(`${file}.new`, big(13));
      await rename(`${file}.new`, file);
      await expectServed(big(13));
      // Each answer below is the first after a change: a repeated path is checked while its file
      // is read, and what was read or decided from the last look must not reach the client.
      const replace = async (content: Buffer) => {
        await writeFile(`${file}.new`, content);
        await rename(`${file}.new`, file);
      };
      const smaller = big(5).subarray(0, 2 * 1024 * 1024);
      await replace(smaller);
      const head = await s.get(at, { method: 'HEAD' });
      expect(head.headers.get('content-length')).toBe(String(smaller.length));
      await replace(big(3));
      await s.get(at); // remembered as 3 MiB again
      await replace(smaller);
      const tail = await s.get(at, { headers: { Range: `bytes=${2.5 * 1024 * 1024}-` } });
      expect(tail.status).toBe(416);
      expect(tail.headers.get('content-range')).toBe(`bytes */${smaller.length}`);
      // Changed in place (same file, new bytes and length), then ranges of the first answer.
      await s.get(at);
      await writeFile(file, big(11));
      const logged = s.requestLog.length;
      const range = await s.get(at, { headers: { Range: 'bytes=2097000-2097151' } });
      expect(
        Buffer.from(await range.arrayBuffer()).equals(big(11).subarray(2097000, 2097152)),
      ).toBe(true);
      // Answered again, as the new file: logged once, as what the client got.
      await expect
        .poll(() => s.requestLog.slice(logged))
        .toEqual([expect.objectContaining({ method: 'GET', path: at, status: 206 })]);
      await new Promise((r) => setTimeout(r, 50));
      expect(s.requestLog.slice(logged)).toHaveLength(1);
      await expectServed(big(11));
    });

    it('serves an imported original only from its own folder: one swapped for a link into DATA_DIR is refused', async () => {
      const id = ids.get('swapped.jpg') as string;
      const file = path.join(s.dataDir, 'library', 'swapped.jpg');
      expect((await s.get(`/api/media/${id}/original`)).status).toBe(200); // read once (and remembered)
      // Secrets and app files in DATA_DIR that someone who can write the imported folder wants.
      await mkdir(path.join(s.dataDir, 'tls'), { recursive: true });
      await writeFile(path.join(s.dataDir, 'tls', 'key.pem'), '-----BEGIN PRIVATE KEY-----');
      await mkdir(path.join(s.dataDir, 'db'), { recursive: true });
      await writeFile(path.join(s.dataDir, 'db', 'PG_VERSION'), '17');
      const raw = path.join(s.dataDir, 'uploads', 'raw.bin'); // another item's file
      await rename(file, `${file}.bak`);
      try {
        for (const target of [
          path.join(s.dataDir, 'tls', 'key.pem'),
          path.join(s.dataDir, 'db', 'PG_VERSION'),
          raw,
        ]) {
          await rm(file, { force: true });
          await symlink(target, file);
          const res = await s.get(`/api/media/${id}/original`);
          expect(res.status, target).toBe(404);
          expect(await res.text()).not.toMatch(/PRIVATE KEY|^17$/);
        }
      } finally {
        await rm(file, { force: true });
        await rename(`${file}.bak`, file);
      }
      expect((await s.get(`/api/media/${id}/original`)).status).toBe(200);
    });
  });

  describe('previews', () => {
    it('makes EXIF-oriented JPEGs of the two sizes, cached with validators', async () => {
      const small = await s.get(url('wide.jpg', 'preview?size=256'));
      expect(small.status).toBe(200);
      expect(small.headers.get('content-type')).toBe('image/jpeg');
      const etag = small.headers.get('etag');
      expect(etag).toBeTruthy();
      const meta = await sharp(Buffer.from(await small.arrayBuffer())).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 256, 171]);
      const large = await sharp(
        Buffer.from(await (await s.get(url('wide.jpg', 'preview?size=2048'))).arrayBuffer()),
      ).metadata();
      expect([large.width, large.height]).toEqual([2048, 1365]);
      const again = await s.get(url('wide.jpg', 'preview?size=256'), {
        headers: { 'If-None-Match': etag ?? '' },
      });
      expect(again.status).toBe(304);
    });

    it('applies EXIF orientation: a portrait photo stays portrait, top side up', async () => {
      const res = await s.get(url('rotated.jpg', 'preview?size=256'));
      const { data, info } = await sharp(Buffer.from(await res.arrayBuffer()))
        .raw()
        .toBuffer({ resolveWithObject: true });
      expect([info.width, info.height]).toEqual([171, 256]);
      const red = (x: number, y: number) => data[(y * info.width + x) * info.channels] as number;
      // Orientation 6 turns the stored left (red) half to the top.
      expect(red(85, 20)).toBeGreaterThan(150);
      expect(red(85, 236)).toBeLessThan(80);
    });

    it('never enlarges a small original', async () => {
      const res = await s.get(url('rotated.jpg', 'preview?size=2048'));
      const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
      expect([meta.width, meta.height]).toEqual([400, 600]);
    });

    it('makes a video preview from a frame', async () => {
      const res = await s.get(url('clip.mp4', 'preview?size=256'));
      expect(res.status).toBe(200);
      const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 160, 90]);
    });

    it('generates a preview once for many concurrent requests', async () => {
      const target = s.deps.layout.previewFile(ids.get('wide.jpg') as string, 2048);
      await import('node:fs/promises').then((fs) => fs.rm(target, { force: true }));
      const responses = await Promise.all(
        Array.from({ length: 12 }, () => s.get(url('wide.jpg', 'preview?size=2048'))),
      );
      const bodies = await Promise.all(
        responses.map(async (r) => Buffer.from(await r.arrayBuffer())),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(12).fill(200));
      expect(new Set(bodies.map((b) => b.toString('base64'))).size).toBe(1);
      // Nothing half-written is left behind in the temporary folder.
      const fs = await import('node:fs/promises');
      expect((await fs.readdir(s.deps.layout.tmp)).filter((f) => f.startsWith('partial-'))).toEqual(
        [],
      );
    });

    it.each(['0', '512', '300', 'big', '-256', '256.5'])(
      'refuses size=%s with 400',
      async (size) => {
        const res = await s.get(url('wide.jpg', `preview?size=${size}`));
        expect(res.status).toBe(400);
        expect(problemSchema.parse(await res.json()).detail).toContain('256, 2048');
      },
    );

    it('answers a file that cannot be decoded with 422 and the reason', async () => {
      // A HEIC header with nothing inside: libheif finds no image in it.
      const heic = await s.get(url('phone.heic', 'preview?size=256'));
      expect(heic.status).toBe(422);
      expect(problemSchema.parse(await heic.json()).detail).toMatch(/HEIF file holds no image/);
      const broken = await s.get(url('broken.jpg', 'preview?size=256'));
      expect(broken.status).toBe(422);
      const text = await broken.text();
      expect(text).not.toContain(s.dataDir);
    });
  });

  describe('depth maps', () => {
    it('streams the depth map with its checksum as ETag and counts reads off the request path', async () => {
      const id = ids.get('wide.jpg') as string;
      const depthId = await addDepthMap(s.t.db, id, path.join(s.dataDir, 'depth', `${id}.png`), {
        checksum: 'depthsum',
      });
      const res = await s.get(`/api/media/${id}/depth?v=${depthId}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(res.headers.get('etag')).toBe('"depthsum"');
      expect(res.headers.get('cache-control')).toContain('no-cache');
      const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
      expect([meta.width, meta.height, meta.depth]).toEqual([64, 48, 'ushort']);
      const part = await s.get(`/api/media/${id}/depth`, { headers: { Range: 'bytes=0-7' } });
      expect(part.status).toBe(206);
      expect(
        Buffer.from(await part.arrayBuffer())
          .subarray(1, 4)
          .toString(),
      ).toBe('PNG');
      expect(
        (await s.get(`/api/media/${id}/depth`, { headers: { 'If-None-Match': '"depthsum"' } }))
          .status,
      ).toBe(304);
      // Rewritten in place under the path's remembered look: the first answer, made from that look,
      // is replaced by the server with the new file's. Still one read.
      const mapFile = path.join(s.dataDir, 'depth', `${id}.png`);
      const rewritten = Buffer.concat([await readFile(mapFile), Buffer.alloc(1000)]);
      await writeFile(mapFile, rewritten);
      const again = await s.get(`/api/media/${id}/depth`);
      expect(Buffer.from(await again.arrayBuffer()).equals(rewritten)).toBe(true);

      await new Promise((r) => setTimeout(r, 50));
      await s.deps.depthAccess.flush();
      const { rows } = await s.t.db.query<{ access_count: number; fresh: boolean }>(
        `SELECT access_count, accessed_at > now() - interval '1 minute' AS fresh
         FROM depth_map_cache WHERE id = $1`,
        [depthId],
      );
      // Three GETs with a body plus the 304 revalidation: each is a read, once.
      expect(rows[0]).toEqual({ access_count: 4, fresh: true });
    });

    /** A 1024×768 map: left half near (60000), right half a gradient from 0 to ~30000. */
    const writeLargeMap = async (file: string, offset = 0) => {
      const [w, h] = [1024, 768];
      const samples = new Uint16Array(w * h).map((_, i) =>
        i % w < w / 2 ? 60_000 - offset : (i % w) * 30 - offset,
      );
      await mkdir(path.dirname(file), { recursive: true });
      await sharp(samples, { raw: { width: w, height: h, channels: 1 } })
        .toColourspace('grey16')
        .png()
        .toFile(file);
    };
    const readSamples = async (png: Buffer) => {
      const { data, info } = await sharp(png)
        .toColourspace('grey16')
        .raw({ depth: 'ushort' })
        .toBuffer({ resolveWithObject: true });
      return { info, samples: new Uint16Array(data.buffer, data.byteOffset, data.length / 2) };
    };

    it('serves a 16-bit coarse version (size=256) of the current map, made once, gone with the item', async () => {
      const { rows } = await s.t.db.query<{ id: string }>(
        `INSERT INTO media_items (original_filename, media_type, file_path, file_size, mime_type)
         VALUES ('coarse.jpg', 'photo', '/none/coarse.jpg', 1, 'image/jpeg') RETURNING id`,
      );
      const id = (rows[0] as { id: string }).id;
      const mapFile = path.join(s.dataDir, 'depth', id.slice(0, 2), `${id}-g1.png`);
      const depthId = await addDepthMap(s.t.db, id, mapFile, { checksum: 'coarsesum' });
      await writeLargeMap(mapFile);

      const res = await s.get(`/api/media/${id}/depth?v=${depthId}&size=256`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(res.headers.get('etag')).toBe('"coarsesum-256"');
      expect(res.headers.get('cache-control')).toContain('no-cache');
      const coarse = await readSamples(Buffer.from(await res.arrayBuffer()));
      expect([coarse.info.width, coarse.info.height]).toEqual([256, 192]);
      const at = (x: number, y: number) => coarse.samples[y * 256 + x] as number;
      // 16 bits kept: the near half exactly, the gradient to within a coarse texel's span.
      expect(at(20, 100)).toBe(60_000);
      for (const x of [140, 200, 250])
        expect(Math.abs(at(x, 100) - (x * 4 + 1.5) * 30)).toBeLessThan(150);
      // The gradient's 128 coarse columns are 128 levels: 8 bits hold ~117 over 0…30000.
      const gradient = new Set(Array.from({ length: 128 }, (_, i) => at(128 + i, 100)));
      expect(gradient.size).toBe(128);
      expect(
        (
          await s.get(`/api/media/${id}/depth?size=256`, {
            headers: { 'If-None-Match': '"coarsesum-256"' },
          })
        ).status,
      ).toBe(304);

      // A new depth map (reprocessed): its own coarse version, never the old one's.
      const newer = path.join(s.dataDir, 'depth', id.slice(0, 2), `${id}-g2.png`);
      const newId = await addDepthMap(s.t.db, id, newer, { checksum: 'newersum' });
      await writeLargeMap(newer, 10_000);
      const again = await readSamples(
        Buffer.from(
          await (await s.get(`/api/media/${id}/depth?v=${newId}&size=256`)).arrayBuffer(),
        ),
      );
      expect(again.samples[100 * 256 + 20]).toBe(50_000);

      const made = () =>
        readdir(path.join(s.dataDir, 'previews', id.slice(0, 2))).then((names) =>
          names.filter((n) => n.startsWith(`${id}-depth-`)),
        );
      expect(await made()).toHaveLength(2);
      expect((await s.get(`/api/media/${id}`, { method: 'DELETE' })).status).toBe(204);
      expect(await made()).toEqual([]);
    });

    it("answers a coarse size it does not make, and a video's depth, with a problem", async () => {
      const id = ids.get('wide.jpg') as string;
      const wrong = await s.get(`/api/media/${id}/depth?size=128`);
      expect(wrong.status).toBe(400);
      expect(problemSchema.parse(await wrong.json()).detail).toContain('size: must be 256');
      const clip = ids.get('clip.mp4') as string;
      await addDepthMap(s.t.db, clip, path.join(s.dataDir, 'depth', `${clip}.mp4`));
      await s.t.db.query(`UPDATE depth_map_cache SET format = 'mp4' WHERE media_item_id = $1`, [
        clip,
      ]);
      const video = await s.get(`/api/media/${clip}/depth?size=256`);
      expect(video.status).toBe(422);
      expect(problemSchema.parse(await video.json()).detail).toContain("only a photo's depth map");
      expect((await s.get(`/api/media/${clip}/depth`)).headers.get('content-type')).toBe(
        'video/mp4',
      );
    });
  });
});
