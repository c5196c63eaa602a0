import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { mediaDetailSchema, problemSchema } from '@immichvr/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exists, filesUnder } from './helpers/files';
import {
  addDepthMap,
  importFixtures,
  writeTestJpeg,
  writeTestVideo,
} from './helpers/media-fixtures';
import { ENGINES } from './helpers/test-database';
import { startTestServer, type TestServer } from './helpers/test-server';

describe.each(ENGINES)('upload and delete on %s', (engine) => {
  let s: TestServer;
  let fixtures: string;
  const MAX = 2 * 1024 * 1024;

  beforeAll(async () => {
    s = await startTestServer(engine, { maxUploadBytes: MAX });
    fixtures = path.join(s.dataDir, '..', `${path.basename(s.dataDir)}-fixtures`);
    await writeTestJpeg(path.join(fixtures, 'portrait.jpg'), {
      width: 300,
      height: 200,
      orientation: 6,
    });
    await writeTestJpeg(path.join(fixtures, 'other.jpg'), { width: 64, height: 64, seed: 9 });
    await writeTestVideo(path.join(fixtures, 'clip.mp4'));
  }, 60_000);
  afterAll(async () => {
    await s?.close();
    if (fixtures) await rm(fixtures, { recursive: true, force: true });
  });

  const upload = async (
    name: string,
    bytes: Buffer,
    field = 'file',
    type = 'application/octet-stream',
  ) => {
    const form = new FormData();
    form.append(field, new Blob([bytes], { type }), name);
    return s.get('/api/media', { method: 'POST', body: form });
  };
  const fixture = (name: string) => readFile(path.join(fixtures, name));

  it('adds a photo: streamed to the data folder, typed by content, measured, queued for depth', async () => {
    const bytes = await fixture('portrait.jpg');
    const res = await upload('Holiday "2026".bin', bytes);
    expect(res.status).toBe(201);
    const item = mediaDetailSchema.parse(await res.json());
    expect(res.headers.get('location')).toBe(`/api/media/${item.id}`);
    expect(item).toMatchObject({
      originalFilename: 'Holiday "2026".bin',
      mediaType: 'photo',
      mimeType: 'image/jpeg',
      width: 200,
      height: 300,
      fileSizeBytes: bytes.length,
      processingStatus: 'queued',
    });
    const original = await s.get(item.urls.original);
    expect(Buffer.from(await original.arrayBuffer()).equals(bytes)).toBe(true);
    expect((await s.get(item.urls.preview)).status).toBe(200);
    const stored = await filesUnder(s.deps.layout.uploads);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatch(/uploads\/\d{4}\/\d{2}\/[0-9a-f-]{36}\.jpg$/);
    expect(
      await filesUnder(s.deps.layout.tmp).then((f) => f.filter((x) => x.includes('upload-'))),
    ).toEqual([]);
  });

  it('adds a video with its duration and frame rate', async () => {
    const res = await upload('clip.mp4', await fixture('clip.mp4'));
    expect(res.status).toBe(201);
    expect(mediaDetailSchema.parse(await res.json())).toMatchObject({
      mediaType: 'video',
      mimeType: 'video/mp4',
      width: 160,
      height: 90,
      durationSeconds: 1,
      frameRate: 24,
    });
  });

  it('refuses the same bytes again with 409 and the existing id, keeping nothing', async () => {
    const bytes = await fixture('other.jpg');
    const first = mediaDetailSchema.parse(await (await upload('a.jpg', bytes)).json());
    const before = await filesUnder(s.dataDir);
    const [again, concurrent] = await Promise.all([upload('b.jpg', bytes), upload('c.jpg', bytes)]);
    for (const res of [again, concurrent]) {
      expect(res.status).toBe(409);
      const body = (await res.json()) as { existingId: string };
      expect(problemSchema.parse(body).title).toBe('Conflict');
      expect(body.existingId).toBe(first.id);
    }
    expect(await filesUnder(s.dataDir)).toEqual(before);
  });

  it('refuses an upload over the size limit with 413 and leaves no partial file', async () => {
    const big = Buffer.alloc(MAX + 1024 * 1024, 7);
    big.set(await fixture('other.jpg'));
    const declared = await upload('big.jpg', big);
    expect(declared.status).toBe(413);
    expect(problemSchema.parse(await declared.json()).detail).toContain(String(MAX));

    // Chunked, with no Content-Length: the limit is enforced while streaming.
    const boundary = 'xyz';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.jpg"\r\n\r\n`,
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(head);
        for (let i = 0; i < big.length; i += 65536) controller.enqueue(big.subarray(i, i + 65536));
        controller.enqueue(tail);
        controller.close();
      },
    });
    const streamed = await s.get('/api/media', {
      method: 'POST',
      headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect((await filesUnder(s.deps.layout.tmp)).filter((f) => f.includes('upload-'))).toEqual([]);
    const { rows } = await s.t.db.query(
      `SELECT 1 FROM media_items WHERE original_filename = 'big.jpg'`,
    );
    expect(rows).toEqual([]);
  });

  it.each([
    ['no file field', () => upload('x.jpg', Buffer.from('x'), 'photo'), 400, 'field "file"'],
    ['an empty file', () => upload('x.jpg', Buffer.alloc(0)), 400, 'empty'],
    [
      'a text file',
      () => upload('notes.jpg', Buffer.from('just some text, not a photo')),
      415,
      'not a photo or video',
    ],
    [
      'JSON instead of multipart',
      () =>
        s.get('/api/media', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: '{}',
        }),
      415,
      'multipart/form-data',
    ],
    [
      'a broken multipart body',
      () =>
        s.get('/api/media', {
          method: 'POST',
          headers: { 'Content-Type': 'multipart/form-data' },
          body: 'garbage',
        }),
      400,
      'multipart',
    ],
  ])('refuses %s', async (_name, send, status, detail) => {
    const before = (await s.t.db.query('SELECT count(*) AS n FROM media_items')).rows[0];
    const res = await send();
    expect(res.status).toBe(status);
    expect(problemSchema.parse(await res.json()).detail).toContain(detail);
    expect((await s.t.db.query('SELECT count(*) AS n FROM media_items')).rows[0]).toEqual(before);
    expect((await filesUnder(s.deps.layout.tmp)).filter((f) => f.includes('upload-'))).toEqual([]);
  });

  it('deletes an uploaded item: rows, original, previews and depth map', async () => {
    const bytes = Buffer.from(await fixture('portrait.jpg'));
    bytes[bytes.length - 3] = (bytes[bytes.length - 3] as number) ^ 1; // a different file
    const item = mediaDetailSchema.parse(await (await upload('delete-me.jpg', bytes)).json());
    await s.get(item.urls.preview);
    await s.get(item.urls.previewLarge);
    const depthFile = path.join(s.dataDir, 'depth', `${item.id}.png`);
    await addDepthMap(s.t.db, item.id, depthFile);
    const { rows } = await s.t.db.query<{ file_path: string }>(
      'SELECT file_path FROM media_items WHERE id = $1',
      [item.id],
    );
    const originalFile = (rows[0] as { file_path: string }).file_path;
    const previews = [256, 2048].map((size) => s.deps.layout.previewFile(item.id, size));
    for (const f of [originalFile, depthFile, ...previews]) expect(await exists(f), f).toBe(true);

    const res = await s.get(`/api/media/${item.id}`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    for (const f of [originalFile, depthFile, ...previews]) expect(await exists(f), f).toBe(false);
    for (const table of ['media_items', 'processing_queue', 'depth_map_cache']) {
      const column = table === 'media_items' ? 'id' : 'media_item_id';
      const left = await s.t.db.query(`SELECT 1 FROM ${table} WHERE ${column} = $1`, [item.id]);
      expect(left.rows, table).toEqual([]);
    }
    expect((await s.get(`/api/media/${item.id}`)).status).toBe(404);
    expect((await s.get(`/api/media/${item.id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('keeps the user’s file when deleting an item imported from their own folder', async () => {
    const own = path.join(fixtures, 'own');
    await writeTestJpeg(path.join(own, 'mine.jpg'), { width: 80, height: 60, seed: 77 });
    const id = (await importFixtures(s.t.db, own)).get('mine.jpg');
    expect(id).toBeDefined();
    expect((await s.get(`/api/media/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await exists(path.join(own, 'mine.jpg'))).toBe(true);
    expect((await s.get(`/api/media/${id}`)).status).toBe(404);
  });
});
