import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { healthResponseSchema, mediaPageSchema, problemSchema } from '@immichvr/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { createLogger } from '../src/logger';
import { createTestDatabase, ENGINES, type TestDatabase } from './helpers/test-database';

describe.each(ENGINES)('the first API endpoints on %s', (engine) => {
  let t: TestDatabase;
  let dataDir: string;
  let app: ReturnType<typeof createApp>;
  const ids: string[] = [];
  const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256));

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'immichvr-api-'));
    await mkdir(path.join(dataDir, 'media'));
    for (let i = 0; i < 5; i++) {
      const file = path.join(dataDir, 'media', `p${i}.jpg`);
      await writeFile(file, bytes);
      const { rows } = await t.db.query<{ id: string }>(
        `INSERT INTO media_items (original_filename, media_type, file_path, file_size, mime_type, checksum, captured_at)
         VALUES ($1, 'photo', $2, 1000, 'image/jpeg', $3, $4) RETURNING id`,
        [`p${i}.jpg`, file, `c${i}`, new Date(Date.UTC(2026, i, 1))],
      );
      ids.push((rows[0] as { id: string }).id);
    }
    // A row pointing outside DATA_DIR and every media root.
    const { rows } = await t.db.query<{ id: string }>(
      `INSERT INTO media_items (original_filename, media_type, file_path, file_size, mime_type)
       VALUES ('passwd', 'photo', '/etc/passwd', 1, 'image/jpeg') RETURNING id`,
    );
    ids.push((rows[0] as { id: string }).id);
    app = createApp({ db: t.db, dataDir, logger: createLogger('silent') });
  });
  afterAll(async () => {
    await t?.cleanup();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('reports health with the engine name', async () => {
    const res = await app.request('/api/health');
    expect(res.status).toBe(200);
    const body = healthResponseSchema.parse(await res.json());
    expect(body).toMatchObject({ status: 'ok', database: engine, mediaCount: 6 });
  });

  it('pages through the library newest capture first with an opaque cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Response = await app.request(
        `/api/media?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      const page = mediaPageSchema.parse(await res.json());
      seen.push(...page.items.map((i) => i.originalFilename));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['passwd', 'p4.jpg', 'p3.jpg', 'p2.jpg', 'p1.jpg', 'p0.jpg']);
  });

  it('answers bad input with problem+json', async () => {
    for (const url of [
      '/api/media?limit=0',
      '/api/media?cursor=garbage',
      '/api/media/not-a-uuid/original',
    ]) {
      const res = await app.request(url);
      expect(res.status, url).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(problemSchema.parse(await res.json()).status).toBe(400);
    }
    const unknown = await app.request('/api/media/00000000-0000-4000-8000-000000000000/original');
    expect(unknown.status).toBe(404);
  });

  it('streams an original with ranges and validators', async () => {
    const url = `/api/media/${ids[0]}/original`;
    const full = await app.request(url);
    expect(full.status).toBe(200);
    expect(full.headers.get('etag')).toBe('"c0"');
    expect(Buffer.from(await full.arrayBuffer())).toEqual(bytes);
    const part = await app.request(url, { headers: { Range: 'bytes=-10' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 990-999/1000');
    expect(Buffer.from(await part.arrayBuffer())).toEqual(bytes.subarray(990));
    expect((await app.request(url, { headers: { Range: 'bytes=1000-' } })).status).toBe(416);
    expect((await app.request(url, { headers: { 'If-None-Match': '"c0"' } })).status).toBe(304);
  });

  it('never serves a file outside the data folder and media roots', async () => {
    const res = await app.request(`/api/media/${ids[5]}/original`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('root:');
  });
});
