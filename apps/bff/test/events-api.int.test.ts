import { mediaStatusEventSchema } from '@immichvr/shared';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../src/db/database';
import { openEventStream } from './helpers/event-stream';
import { ENGINES } from './helpers/test-database';
import { startTestServer, type TestServer } from './helpers/test-server';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(ENGINES)('live status events on %s', (engine) => {
  let s: TestServer;
  /** Changes come from outside the BFF: another connection on PostgreSQL (as a worker would). */
  let writer: Queryable & { end?: () => Promise<void> };
  let mediaId: string;
  let queueId: string;

  beforeAll(async () => {
    s = await startTestServer(engine, { heartbeatMs: 200 });
    if (engine === 'postgres') {
      const client = new pg.Client({ connectionString: s.t.url });
      await client.connect();
      writer = Object.assign(client, {
        exec: async (sql: string) => void (await client.query(sql)),
      });
    } else writer = s.t.db;
    const { rows } = await writer.query<{ id: string }>(
      `INSERT INTO media_items (original_filename, media_type, file_path, file_size, mime_type)
       VALUES ('live.jpg', 'photo', '/nowhere/live.jpg', 1, 'image/jpeg') RETURNING id`,
    );
    mediaId = (rows[0] as { id: string }).id;
    const queued = await writer.query<{ id: string }>(
      `INSERT INTO processing_queue (media_item_id) VALUES ($1) RETURNING id`,
      [mediaId],
    );
    queueId = (queued.rows[0] as { id: string }).id;
    await wait(100);
    await s.deps.events.settled();
  });
  afterAll(async () => {
    await writer?.end?.();
    await s?.close();
  });

  const url = () => `${s.url}/api/events`;

  it('sends every status change and new depth map to every connected client', async () => {
    const a = await openEventStream(url());
    const b = await openEventStream(url());
    expect(a.response.headers.get('content-type')).toContain('text/event-stream');
    await wait(50);

    await writer.query(
      `UPDATE processing_queue SET status = 'processing', attempts = 1, started_at = now() WHERE id = $1`,
      [queueId],
    );
    for (const client of [a, b]) {
      const e = await client.next((x) => x.event === 'media.status');
      expect(mediaStatusEventSchema.parse(e.data)).toEqual({
        mediaId,
        queueId,
        status: 'processing',
        attempts: 1,
        lastError: null,
        progress: null,
        depthMap: null,
      });
    }

    // A long job's progress is sent live too.
    await writer.query(`UPDATE processing_queue SET progress = 42 WHERE id = $1`, [queueId]);
    for (const client of [a, b]) {
      const e = await client.next(
        (x) => x.event === 'media.status' && (x.data as { progress: unknown }).progress === 42,
      );
      expect(e.data).toMatchObject({ mediaId, queueId, status: 'processing', progress: 42 });
    }

    await writer.query(
      `INSERT INTO depth_map_cache (media_item_id, file_path, file_size, width, height, model_name)
       VALUES ($1, '/nowhere/live.png', 1, 518, 388, 'builtin');
       `,
      [mediaId],
    );
    await writer.query(
      `UPDATE processing_queue SET status = 'completed', completed_at = now() WHERE id = $1`,
      [queueId],
    );
    for (const client of [a, b]) {
      const withDepth = await client.next(
        (x) => x.event === 'media.status' && (x.data as { depthMap: unknown }).depthMap !== null,
      );
      expect(withDepth.data).toMatchObject({
        mediaId,
        depthMap: { width: 518, height: 388, modelName: 'builtin' },
      });
      const done = await client.next(
        (x) => x.event === 'media.status' && (x.data as { status: string }).status === 'completed',
      );
      expect(done.data).toMatchObject({ queueId, depthMap: { modelName: 'builtin' } });
    }
    // Events arrive in commit order, numbered.
    expect(a.events.map((e) => e.id)).toEqual(b.events.map((e) => e.id));
    a.close();
    b.close();
  });

  it('does not send reads of a depth map as changes', async () => {
    const c = await openEventStream(url());
    await wait(50);
    await writer.query(
      'UPDATE depth_map_cache SET access_count = access_count + 1, accessed_at = now() WHERE media_item_id = $1',
      [mediaId],
    );
    await writer.query(`UPDATE processing_queue SET last_error = 'marker' WHERE id = $1`, [
      queueId,
    ]);
    const marker = await c.next((x) => (x.data as { lastError?: string }).lastError === 'marker');
    expect(c.events.indexOf(marker)).toBe(0);
    c.close();
  });

  it('resumes from Last-Event-ID without losing events, and asks for a resync when it cannot', async () => {
    const first = await openEventStream(url());
    await wait(50);
    await writer.query(`UPDATE processing_queue SET last_error = 'one' WHERE id = $1`, [queueId]);
    const one = await first.next((x) => (x.data as { lastError?: string }).lastError === 'one');
    first.close();

    await writer.query(`UPDATE processing_queue SET last_error = 'two' WHERE id = $1`, [queueId]);
    await writer.query(`UPDATE processing_queue SET last_error = 'three' WHERE id = $1`, [queueId]);
    await wait(200);
    await s.deps.events.settled();

    const resumed = await openEventStream(url(), { 'Last-Event-ID': one.id ?? '' });
    const three = await resumed.next(
      (x) => (x.data as { lastError?: string }).lastError === 'three',
    );
    expect(
      resumed.events.slice(0, 2).map((e) => (e.data as { lastError: string }).lastError),
    ).toEqual(['two', 'three']);
    expect(three.id).not.toBe(one.id);
    resumed.close();

    const stranger = await openEventStream(url(), { 'Last-Event-ID': 'another-run-7' });
    expect((await stranger.next((x) => x.event === 'resync')).data).toMatchObject({
      reason: expect.any(String),
    });
    stranger.close();
  });

  it('announces added and deleted items', async () => {
    const c = await openEventStream(url());
    await wait(50);
    const { rows } = await writer.query<{ id: string }>(
      `INSERT INTO media_items (original_filename, media_type, file_path, file_size, mime_type)
       VALUES ('new.jpg', 'photo', '/nowhere/new.jpg', 1, 'image/jpeg') RETURNING id`,
    );
    const id = (rows[0] as { id: string }).id;
    expect((await c.next((x) => x.event === 'media.added')).data).toEqual({ mediaId: id });
    await writer.query('DELETE FROM media_items WHERE id = $1', [id]);
    expect((await c.next((x) => x.event === 'media.deleted')).data).toEqual({ mediaId: id });
    c.close();
  });

  it('announces every item and job one statement adds, in batches of NOTIFYs, in order', async () => {
    // 230 items and their jobs in two statements (as an import batch): 3 + 10 NOTIFYs, not 460.
    const notified: string[] = [];
    const unlisten = await s.t.db.listen('media_events', { onNotify: (p) => notified.push(p) });
    const c = await openEventStream(url());
    try {
      await wait(50);
      const { rows } = await writer.query<{ id: string }>(
        `INSERT INTO media_items (original_filename, media_type, file_path, file_size, mime_type)
       SELECT 'bulk-' || g || '.jpg', 'photo', '/nowhere/bulk-' || g || '.jpg', 1, 'image/jpeg'
       FROM generate_series(1, 230) AS g ORDER BY g RETURNING id`,
      );
      const ids = rows.map((r) => r.id);
      await writer.query(
        `INSERT INTO processing_queue (media_item_id) SELECT unnest($1::uuid[]) RETURNING id`,
        [ids],
      );
      const added = async () => c.events.filter((e) => e.event === 'media.added').length;
      const queued = async () =>
        c.events.filter(
          (e) =>
            e.event === 'media.status' &&
            ids.includes((e.data as { mediaId: string }).mediaId) &&
            (e.data as { status: string }).status === 'queued',
        ).length;
      await expect.poll(added, { timeout: 10_000 }).toBe(230);
      await expect.poll(queued, { timeout: 10_000 }).toBe(230);
      expect(
        c.events
          .filter((e) => e.event === 'media.added')
          .map((e) => (e.data as { mediaId: string }).mediaId),
      ).toEqual(ids);
      const ours = notified.filter((p) => ids.some((id) => p.includes(id)));
      expect(ours.length).toBe(3 + 10);
      for (const payload of ours) expect(Buffer.byteLength(payload)).toBeLessThan(8000);
    } finally {
      c.close();
      await unlisten();
    }
  });

  it('keeps an idle stream alive with heartbeats and forgets clients that leave', async () => {
    const c = await openEventStream(url());
    await wait(700);
    expect(c.raw().match(/^: ping$/gm)?.length ?? 0).toBeGreaterThanOrEqual(2);
    expect(s.deps.events.clientCount).toBe(1);
    c.close();
    await wait(300);
    expect(s.deps.events.clientCount).toBe(0);
  });
});
