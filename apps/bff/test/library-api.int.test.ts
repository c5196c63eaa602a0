import {
  API_ENDPOINTS,
  healthResponseSchema,
  mediaDetailSchema,
  mediaPageSchema,
  monthEnd,
  problemSchema,
  timelineSchema,
} from '@immichvr/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { ENGINES } from './helpers/test-database';
import { startTestServer, type TestServer } from './helpers/test-server';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe.each(ENGINES)('the library API on %s', (engine) => {
  let s: TestServer;
  /** id by file name */
  const ids = new Map<string, string>();

  beforeAll(async () => {
    s = await startTestServer(engine);
    // 12 items: photos and videos, captured one per month of 2026 except two with no capture date.
    for (let i = 0; i < 12; i++) {
      const video = i % 4 === 3;
      const { rows } = await s.t.db.query<{ id: string }>(
        `INSERT INTO media_items (original_filename, media_type, file_path, file_size, mime_type,
           width, height, duration_seconds, frame_rate, checksum, captured_at, uploaded_at)
         VALUES ($1, $2, $3, 1234, $4, 4000, 3000, $5, $6, $7, $8,
           '2025-01-01T00:00:00Z'::timestamptz + $9 * interval '1 minute')
         RETURNING id`,
        [
          `item-${i}.${video ? 'mp4' : 'jpg'}`,
          video ? 'video' : 'photo',
          `${s.dataDir}/media/item-${i}`,
          video ? 'video/mp4' : 'image/jpeg',
          video ? 3.5 : null,
          video ? 29.97 : null,
          `sum${i}`,
          i < 10 ? new Date(Date.UTC(2026, i, 15)) : null,
          i,
        ],
      );
      ids.set(`item-${i}`, (rows[0] as { id: string }).id);
    }
    const id = (n: number) => ids.get(`item-${n}`);
    // Item 1 failed twice, item 2 is queued, item 5 completed with a depth map, item 6 an older
    // completed job and a newer queued one.
    await s.t.db.query(
      `INSERT INTO processing_queue (media_item_id, status, attempts, last_error, created_at) VALUES
         ($1, 'failed', 2, 'decoder exploded', now()),
         ($2, 'queued', 0, NULL, now()),
         ($3, 'completed', 1, NULL, now()),
         ($4, 'completed', 1, NULL, now() - interval '1 hour'),
         ($4, 'queued', 0, NULL, now())`,
      [id(1), id(2), id(5), id(6)],
    );
    await s.t.db.query(
      `INSERT INTO depth_map_cache (media_item_id, file_path, file_size, width, height, model_name)
       VALUES ($1, '/x/5.png', 10, 518, 389, 'depth-anything-v2-small'),
              ($2, '/x/6.png', 10, 518, 389, 'builtin')`,
      [id(5), id(6)],
    );
  });
  afterAll(async () => s?.close());

  const page = async (query: string) => {
    const res = await s.get(`/api/media?${query}`);
    expect(res.status, query).toBe(200);
    return mediaPageSchema.parse(await res.json());
  };
  const names = (p: { items: Array<{ originalFilename: string }> }): string[] =>
    p.items.map((i) => i.originalFilename.replace(/\.\w+$/, ''));

  it('reports health with the engine name and library size', async () => {
    const res = await s.get('/api/health');
    expect(res.status).toBe(200);
    expect(healthResponseSchema.parse(await res.json())).toMatchObject({
      status: 'ok',
      database: engine,
      mediaCount: 12,
    });
  });

  it('lists newest capture first, undated items by upload time, in pages', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const p = await page(`limit=5${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...names(p));
      cursor = p.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 11, 10].map((n) => `item-${n}`));
  });

  it('gives each item its processing state, depth map and URLs, never a file path', async () => {
    const items = (await page('limit=200')).items;
    const byName = new Map(items.map((i) => [i.originalFilename, i]));
    expect(byName.get('item-1.jpg')).toMatchObject({
      processingStatus: 'failed',
      processingAttempts: 2,
      lastError: 'decoder exploded',
      depthMap: null,
    });
    expect(byName.get('item-0.jpg')).toMatchObject({
      processingStatus: null,
      queueId: null,
      urls: { depth: null },
    });
    const five = byName.get('item-5.jpg');
    expect(five).toMatchObject({
      mediaType: 'photo',
      width: 4000,
      height: 3000,
      capturedAt: '2026-06-15T00:00:00.000Z',
      processingStatus: 'completed',
      depthMap: { format: 'png', width: 518, height: 389, modelName: 'depth-anything-v2-small' },
    });
    expect(five?.urls).toEqual({
      original: `/api/media/${five?.id}/original`,
      preview: `/api/media/${five?.id}/preview?size=256`,
      previewLarge: `/api/media/${five?.id}/preview?size=2048`,
      depth: `/api/media/${five?.id}/depth?v=${five?.depthMap?.id}`,
    });
    // The newest job decides the status.
    expect(byName.get('item-6.jpg')?.processingStatus).toBe('queued');
    const body = JSON.stringify(items);
    expect(body).not.toContain(s.dataDir);
    expect(body).not.toContain('/x/5.png');
  });

  it('filters by type, status and depth, keeping the order and paging', async () => {
    expect(names(await page('type=video'))).toEqual(['item-7', 'item-3', 'item-11']);
    expect(names(await page('status=queued'))).toEqual(['item-6', 'item-2']);
    expect(names(await page('status=failed'))).toEqual(['item-1']);
    expect(names(await page('hasDepth=true'))).toEqual(['item-6', 'item-5']);
    expect((await page('hasDepth=false')).items).toHaveLength(10);
    expect(names(await page('type=photo&hasDepth=true&status=completed'))).toEqual(['item-5']);
    const first = await page('type=photo&limit=4');
    const second = await page(`type=photo&limit=4&cursor=${first.nextCursor}`);
    expect([...names(first), ...names(second)]).toEqual([
      'item-9',
      'item-8',
      'item-6',
      'item-5',
      'item-4',
      'item-2',
      'item-1',
      'item-0',
    ]);
  });

  it('gives the timeline: items per month, newest first, under the same filters', async () => {
    const timeline = async (query: string) => {
      const res = await s.get(`/api/timeline?${query}`);
      expect(res.status, query).toBe(200);
      return timelineSchema.parse(await res.json());
    };
    const all = await timeline('');
    expect(all.total).toBe(12);
    expect(all.months).toEqual([
      ...[10, 9, 8, 7, 6, 5, 4, 3, 2, 1].map((m) => ({
        month: `2026-${String(m).padStart(2, '0')}`,
        count: 1,
      })),
      { month: '2025-01', count: 2 },
    ]);
    expect((await timeline('type=video')).months).toEqual([
      { month: '2026-08', count: 1 },
      { month: '2026-04', count: 1 },
      { month: '2025-01', count: 1 },
    ]);
    expect(await timeline('status=failed')).toEqual({
      total: 1,
      months: [{ month: '2026-02', count: 1 }],
    });
    const bad = await s.get('/api/timeline?hasDepth=maybe');
    expect(bad.status).toBe(400);
  });

  it('starts a page at a month: `before` lists from the newest item earlier than it', async () => {
    const june = await page(`limit=3&before=${monthEnd('2026-06')}`);
    expect(names(june)).toEqual(['item-5', 'item-4', 'item-3']);
    const rest = await page(`limit=3&before=${monthEnd('2026-06')}&cursor=${june.nextCursor}`);
    expect(names(rest)).toEqual(['item-2', 'item-1', 'item-0']);
    // An item taken exactly at the boundary belongs to the later month.
    expect(names(await page('limit=1&before=2026-06-15T00:00:00.000Z'))).toEqual(['item-4']);
    const bad = await s.get('/api/media?before=yesterday');
    expect(bad.status).toBe(400);
    expect(problemSchema.parse(await bad.json()).detail).toMatch(/before/);
  });

  it('keeps a cursor stable while items are added before it', async () => {
    const first = await page('limit=3');
    const { rows } = await s.t.db.query<{ id: string }>(
      `INSERT INTO media_items (original_filename, media_type, file_path, file_size, mime_type, captured_at)
       VALUES ('late.jpg', 'photo', '/late.jpg', 1, 'image/jpeg', '2026-12-31T00:00:00Z') RETURNING id`,
    );
    try {
      const second = await page(`limit=3&cursor=${first.nextCursor}`);
      expect(names(second)).toEqual(['item-6', 'item-5', 'item-4']);
    } finally {
      await s.t.db.query('DELETE FROM media_items WHERE id = $1', [rows[0]?.id]);
    }
  });

  it('gives one item with its file facts', async () => {
    const res = await s.get(`/api/media/${ids.get('item-3')}`);
    expect(res.status).toBe(200);
    expect(mediaDetailSchema.parse(await res.json())).toMatchObject({
      id: ids.get('item-3'),
      mediaType: 'video',
      mimeType: 'video/mp4',
      fileSizeBytes: 1234,
      durationSeconds: 3.5,
      frameRate: 29.97,
      checksum: 'sum3',
    });
  });

  it('gives the viewer what it needs to unproject a depth map, in the item detail', async () => {
    const id = ids.get('item-5');
    await s.t.db.query(
      `UPDATE depth_map_cache SET processing_params = $2 WHERE media_item_id = $1`,
      [
        id,
        JSON.stringify({
          encoding: { kind: 'inverse-depth', scale: 0.9, shift: 0.1 },
          focalLengthPixels: 420.5,
          focalLength35mm: 28,
          surfaceIdsFile: 'secret.png',
        }),
      ],
    );
    const detail = mediaDetailSchema.parse(await (await s.get(`/api/media/${id}`)).json());
    expect(detail.depthMap).toMatchObject({
      encoding: { kind: 'inverse-depth', scale: 0.9, shift: 0.1 },
      focalLengthPixels: 420.5,
      focalLength35mm: 28,
    });
    expect(JSON.stringify(detail)).not.toContain('secret.png');
    const relative = mediaDetailSchema.parse(
      await (await s.get(`/api/media/${ids.get('item-6')}`)).json(),
    );
    expect(relative.depthMap).toMatchObject({
      encoding: null,
      focalLengthPixels: null,
      focalLength35mm: null,
    });
  });

  it.each([
    ['/api/media?limit=0', 'limit'],
    ['/api/media?limit=201', 'limit'],
    ['/api/media?limit=ten', 'limit'],
    ['/api/media?limit=2.5', 'limit'],
    ['/api/media?type=gif', 'type'],
    ['/api/media?status=done', 'status'],
    ['/api/media?hasDepth=yes', 'hasDepth'],
    ['/api/media?cursor=garbage', 'cursor'],
    [`/api/media?cursor=${Buffer.from('["not a date","x"]').toString('base64url')}`, 'cursor'],
    ['/api/media/not-a-uuid', 'UUID'],
    ['/api/media/not-a-uuid/original', 'UUID'],
    ["/api/media/1'%20OR%201=1/depth", 'UUID'],
    ['/api/media/..%2F..%2Fetc%2Fpasswd/original', 'UUID'],
    ['/api/queue?status=nope', 'status'],
    ['/api/queue?mediaId=12', 'mediaId'],
  ])('answers %s with a 400 problem naming %s', async (url, mentions) => {
    const res = await s.get(url);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const problem = problemSchema.parse(await res.json());
    expect(problem).toMatchObject({ status: 400, title: 'Bad Request' });
    expect(problem.detail).toContain(mentions);
  });

  it('answers unknown ids and endpoints with 404 problems', async () => {
    for (const url of [
      `/api/media/${UNKNOWN_ID}`,
      `/api/media/${UNKNOWN_ID}/original`,
      `/api/media/${UNKNOWN_ID}/preview?size=256`,
      `/api/media/${UNKNOWN_ID}/depth`,
      `/api/media/${ids.get('item-0')}/depth`,
      '/api/nothing-here',
    ]) {
      const res = await s.get(url);
      expect(res.status, url).toBe(404);
      expect(problemSchema.parse(await res.json()).status).toBe(404);
    }
  });

  it('serves an OpenAPI document of every endpoint', async () => {
    const res = await s.get('/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, object> };
    expect(doc.openapi).toBe('3.1.0');
    for (const e of API_ENDPOINTS) expect(doc.paths[e.path]).toHaveProperty(e.method);
  });

  it('serves exactly the endpoints of the shared contract under /api, no more, no fewer', () => {
    const served = createApp(s.deps)
      .routes.filter((r) => r.path.startsWith('/api/') && r.method !== 'ALL' && r.method !== 'HEAD')
      .map((r) => `${r.method} ${r.path}`);
    const contract = API_ENDPOINTS.map(
      (e) => `${e.method.toUpperCase()} ${e.path.replace(/\{(\w+)\}/g, ':$1')}`,
    );
    expect([...new Set(served)].sort()).toEqual([...contract].sort());
  });
});
