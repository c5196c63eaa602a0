import {
  problemSchema,
  queueItemSchema,
  queuePageSchema,
  queueSummarySchema,
} from '@immichvr/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './helpers/test-database';
import { startTestServer, type TestServer } from './helpers/test-server';

describe.each(ENGINES)('queue control on %s', (engine) => {
  let s: TestServer;
  const ids: string[] = [];

  beforeAll(async () => {
    s = await startTestServer(engine);
    const { rows } = await s.t.db.query<{ id: string }>(
      `INSERT INTO media_items (original_filename, media_type, file_path, file_size, mime_type)
       SELECT 'p' || g || '.jpg', 'photo', '/nowhere/p' || g, 1, 'image/jpeg'
       FROM generate_series(1, 6) g RETURNING id`,
    );
    ids.push(...rows.map((r) => r.id));
  });
  afterAll(async () => s?.close());

  const post = (path: string, body?: unknown) =>
    s.get(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const reprocess = (id: string, body?: unknown) => post(`/api/media/${id}/reprocess`, body);

  it('queues with 202 and the queue item; asking again returns the same job with 200', async () => {
    const first = await reprocess(ids[0] as string, { priority: 3 });
    expect(first.status).toBe(202);
    const job = queueItemSchema.parse(await first.json());
    expect(job).toMatchObject({ mediaItemId: ids[0], status: 'queued', priority: 3, attempts: 0 });
    const again = await reprocess(ids[0] as string);
    expect(again.status).toBe(200);
    expect(queueItemSchema.parse(await again.json())).toMatchObject({ id: job.id, priority: 3 });
    // A more urgent request moves the waiting job forward instead of adding one.
    const urgent = queueItemSchema.parse(
      await (await reprocess(ids[0] as string, { priority: 1 })).json(),
    );
    expect(urgent).toMatchObject({ id: job.id, priority: 1 });
    const listed = await s.t.db.query('SELECT id FROM processing_queue WHERE media_item_id = $1', [
      ids[0],
    ]);
    expect(listed.rows).toHaveLength(1);
    // The library shows the item as queued.
    const detail = (await (await s.get(`/api/media/${ids[0]}`)).json()) as {
      processingStatus: string;
      queueId: string;
    };
    expect(detail).toMatchObject({ processingStatus: 'queued', queueId: job.id });
  });

  it('makes exactly one job from many concurrent requests', async () => {
    const responses = await Promise.all(
      Array.from({ length: 16 }, () => reprocess(ids[1] as string)),
    );
    const jobs = await Promise.all(
      responses.map(async (r) => queueItemSchema.parse(await r.json())),
    );
    expect(responses.filter((r) => r.status === 202)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 200)).toHaveLength(15);
    expect(new Set(jobs.map((j) => j.id)).size).toBe(1);
    const { rows } = await s.t.db.query(
      'SELECT id FROM processing_queue WHERE media_item_id = $1',
      [ids[1]],
    );
    expect(rows).toHaveLength(1);
  });

  it('joins a job a worker is running, and re-queues failed and cancelled ones', async () => {
    const id = ids[2] as string;
    const job = queueItemSchema.parse(await (await reprocess(id)).json());
    await s.t.db.query(
      `UPDATE processing_queue SET status = 'processing', attempts = 1, started_at = now() WHERE id = $1`,
      [job.id],
    );
    const joined = await reprocess(id);
    expect(joined.status).toBe(200);
    expect(queueItemSchema.parse(await joined.json())).toMatchObject({
      id: job.id,
      status: 'processing',
    });

    await s.t.db.query(
      `UPDATE processing_queue SET status = 'failed', last_error = 'boom' WHERE id = $1`,
      [job.id],
    );
    const retried = await reprocess(id, { priority: 2 });
    expect(retried.status).toBe(202);
    const second = queueItemSchema.parse(await retried.json());
    expect(second.id).not.toBe(job.id);

    const cancelled = await post(`/api/queue/${second.id}/cancel`);
    expect(cancelled.status).toBe(200);
    const third = await reprocess(id);
    expect(third.status).toBe(202);
  });

  it('cancels an unfinished job once; finished ones are a 409 conflict', async () => {
    const job = queueItemSchema.parse(await (await reprocess(ids[3] as string)).json());
    const res = await post(`/api/queue/${job.id}/cancel`);
    expect(res.status).toBe(200);
    const cancelled = queueItemSchema.parse(await res.json());
    expect(cancelled).toMatchObject({ id: job.id, status: 'cancelled' });
    expect(cancelled.completedAt).not.toBeNull();
    const twice = await post(`/api/queue/${job.id}/cancel`);
    expect(twice.status).toBe(409);
    expect(problemSchema.parse(await twice.json()).detail).toContain('already cancelled');

    // Cancelling a running job records how long it ran.
    const running = queueItemSchema.parse(await (await reprocess(ids[4] as string)).json());
    await s.t.db.query(
      `UPDATE processing_queue SET status = 'processing', started_at = now() - interval '2 seconds' WHERE id = $1`,
      [running.id],
    );
    const stopped = queueItemSchema.parse(
      await (await post(`/api/queue/${running.id}/cancel`)).json(),
    );
    expect(stopped.processingDurationSeconds).toBeGreaterThanOrEqual(2);
    await s.t.db.query(`UPDATE processing_queue SET status = 'completed' WHERE id = $1`, [
      running.id,
    ]);
  });

  it('refuses bad reprocess and cancel requests with problems', async () => {
    const cases: Array<[Promise<Response>, number, string]> = [
      [reprocess(ids[5] as string, { priority: 0 }), 400, 'between 1 and 10'],
      [reprocess(ids[5] as string, { priority: 11 }), 400, 'between 1 and 10'],
      [reprocess(ids[5] as string, { priority: 'high' }), 400, 'number'],
      [reprocess(ids[5] as string, { priority: 2.5 }), 400, 'whole'],
      [reprocess(ids[5] as string, { urgent: true }), 400, 'urgent'],
      [reprocess(ids[5] as string, [1, 2]), 400, 'object'],
      [
        s.get(`/api/media/${ids[5]}/reprocess`, { method: 'POST', body: '{"priority":' }),
        400,
        'JSON',
      ],
      [reprocess('nope'), 400, 'UUID'],
      [reprocess('00000000-0000-4000-8000-000000000000'), 404, 'no media item'],
      [post('/api/queue/nope/cancel'), 400, 'UUID'],
      [post('/api/queue/00000000-0000-4000-8000-000000000000/cancel'), 404, 'no queue item'],
    ];
    for (const [request, status, detail] of cases) {
      const res = await request;
      expect(res.status, detail).toBe(status);
      expect(problemSchema.parse(await res.json()).detail).toContain(detail);
    }
    const { rows } = await s.t.db.query(
      'SELECT id FROM processing_queue WHERE media_item_id = $1',
      [ids[5]],
    );
    expect(rows).toHaveLength(0);
  });

  it('lists queue items newest first, by status and item, in pages', async () => {
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Response = await s.get(`/api/queue?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      const page = queuePageSchema.parse(await res.json());
      all.push(...page.items.map((i) => i.createdAt));
      cursor = page.nextCursor;
    } while (cursor);
    const { rows } = await s.t.db.query<{ n: string }>(
      'SELECT count(*) AS n FROM processing_queue',
    );
    expect(all).toHaveLength(Number(rows[0]?.n));
    expect([...all].sort().reverse()).toEqual(all);

    const cancelled = queuePageSchema.parse(
      await (await s.get('/api/queue?status=cancelled')).json(),
    );
    expect(cancelled.items.length).toBeGreaterThanOrEqual(2);
    expect(cancelled.items.every((i) => i.status === 'cancelled')).toBe(true);
    const forItem = queuePageSchema.parse(
      await (await s.get(`/api/queue?mediaId=${ids[2]}`)).json(),
    );
    expect(forItem.items.map((i) => i.status)).toEqual(['queued', 'cancelled', 'failed']);
  });

  it('summarises the queue by status', async () => {
    const res = await s.get('/api/queue/summary');
    expect(res.status).toBe(200);
    const { rows } = queueSummarySchema.parse(await res.json());
    const byStatus = Object.fromEntries(rows.map((r) => [r.status, r.count]));
    const direct = await s.t.db.query<{ status: string; n: string }>(
      'SELECT status, count(*) AS n FROM processing_queue GROUP BY status',
    );
    expect(byStatus).toEqual(Object.fromEntries(direct.rows.map((r) => [r.status, Number(r.n)])));
  });
});
