import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger';
import { QueueRunner } from '../src/worker/queue-runner';
import { type FakeDepthService, startDepthService } from './helpers/depth-service';
import { depthFilesAndRowsAgree } from './helpers/files';
import { importFixtures, writeTestJpeg } from './helpers/media-fixtures';
import { queueJobs } from './helpers/queue-jobs';
import { createTestDatabase, TEST_POSTGRES_URL, type TestDatabase } from './helpers/test-database';
import { spawnWorker } from './helpers/worker-process';

const logger = createLogger('silent');
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Several workers on one PostgreSQL: only meaningful with a real server (the embedded engine is one process). */
describe.skipIf(!TEST_POSTGRES_URL)('depth workers sharing one PostgreSQL', () => {
  let t: TestDatabase;
  let dataDir: string;
  let service: FakeDepthService;
  let photoId: string;

  beforeAll(async () => {
    t = await createTestDatabase('postgres');
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'immichvr-workers-'));
    await writeTestJpeg(path.join(dataDir, 'library', 'one.jpg'), { width: 640, height: 480 });
    photoId = (await importFixtures(t.db, path.join(dataDir, 'library'))).get('one.jpg') as string;
    service = await startDepthService();
  }, 60_000);
  afterAll(async () => {
    await service?.close();
    await t?.cleanup();
    await rm(dataDir, { recursive: true, force: true });
  });

  const { job, until } = queueJobs(() => t.db, { pollMs: 100, timeoutMs: 30_000 });

  it.each([2, 4, 8])(
    '%i workers do every one of 300 jobs exactly once',
    async (workers) => {
      await t.db.query('DELETE FROM processing_queue');
      const { rows: items } = await t.db.query<{ id: string }>(
        `INSERT INTO media_items (original_filename, media_type, file_path, file_size, mime_type)
       SELECT 'n' || g, 'photo', '/none/' || g, 1, 'image/jpeg' FROM generate_series(1, 300) g RETURNING id`,
      );
      await t.db.query(
        `INSERT INTO processing_queue (media_item_id, priority) SELECT id, 1 + (random() * 9)::int FROM unnest($1::uuid[]) id`,
        [items.map((i) => i.id)],
      );
      const handled: string[] = [];
      const runners = Array.from(
        { length: workers },
        (_, w) =>
          new QueueRunner(t.db, {
            workerId: `test-${w}`,
            concurrency: 2,
            leaseSeconds: 30,
            pollMs: 20,
            retryBaseSeconds: 1,
            retryMaxSeconds: 1,
            logger,
            handlers: {
              'photo-depth': async (claimed) => {
                handled.push(claimed.id);
                await wait(1);
                return { commit: async () => {}, discard: async () => {} };
              },
              'video-depth': async () => {
                throw new Error('no videos here');
              },
            },
          }),
      );
      await Promise.all(runners.map((r) => r.start()));
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        const { rows } = await t.db.query<{ n: string }>(
          `SELECT count(*) AS n FROM processing_queue WHERE status <> 'completed'`,
        );
        if (rows[0]?.n === '0') break;
        await wait(50);
      }
      await Promise.all(runners.map((r) => r.stop()));
      expect(handled).toHaveLength(300);
      expect(new Set(handled).size).toBe(300);
      const { rows } = await t.db.query(
        `SELECT status, attempts, count(*)::int AS n FROM processing_queue GROUP BY 1, 2`,
      );
      expect(rows).toEqual([{ status: 'completed', attempts: 1, n: 300 }]);
      await t.db.query('DELETE FROM media_items WHERE id = ANY($1::uuid[])', [
        items.map((i) => i.id),
      ]);
    },
    60_000,
  );

  it('brings back the job of a worker process killed with SIGKILL, and another worker completes it', async () => {
    service.script = ['hang'];
    const { rows } = await t.db.query<{ id: string }>(
      `INSERT INTO processing_queue (media_item_id) VALUES ($1) RETURNING id`,
      [photoId],
    );
    const jobId = (rows[0] as { id: string }).id;
    const env = {
      DATABASE_URL: t.url as string,
      DATA_DIR: dataDir,
      WORKER_LEASE_SECONDS: '2',
      DEPTH_SERVICE_URL: service.url,
    };
    const doomed = spawnWorker(env);
    const held = await until(jobId, (r) => r.status === 'processing');
    expect(String(held.locked_by)).toContain(`:${doomed.child.pid}:`);
    doomed.child.kill('SIGKILL');
    await doomed.exited;

    service.script = ['ok'];
    const rescuer = spawnWorker({ ...env, DEPTH_SERVICE_URL: '' });
    try {
      const done = await until(jobId, (r) => r.status === 'completed');
      expect(done).toMatchObject({ attempts: 2, error_count: 1, locked_by: null });
      const depth = await t.db.query(
        'SELECT model_name FROM depth_map_cache WHERE media_item_id = $1',
        [photoId],
      );
      expect(depth.rows).toEqual([{ model_name: 'immichvr-heuristic' }]);
      // Nothing lost or orphaned by the killed worker.
      expect(await depthFilesAndRowsAgree(t.db, dataDir)).toEqual({
        rowsWithoutFile: [],
        filesWithoutRow: [],
        leftInTmp: [],
      });
    } finally {
      rescuer.child.kill('SIGTERM');
      expect(await rescuer.exited).toBe(0);
    }
  }, 60_000);

  it('drains on SIGTERM: stops claiming, finishes the running job, exits cleanly', async () => {
    service.script = ['ok'];
    service.delayMs = 2_000;
    const { rows } = await t.db.query<{ id: string }>(
      `INSERT INTO processing_queue (media_item_id, requested_by) VALUES ($1, 'user'), ($1, 'user') RETURNING id`,
      [photoId],
    );
    const [first, second] = rows.map((r) => r.id) as [string, string];
    const worker = spawnWorker({
      DATABASE_URL: t.url as string,
      DATA_DIR: dataDir,
      DEPTH_SERVICE_URL: service.url,
    });
    await until(first, (r) => r.status === 'processing' || r.status === 'completed');
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    service.delayMs = 0;
    const statuses = [(await job(first)).status, (await job(second)).status].sort();
    // One job was running and was finished; the other was never claimed.
    expect(statuses).toEqual(['completed', 'queued']);
    expect(worker.output()).toContain('worker stopped');
    expect(await depthFilesAndRowsAgree(t.db, dataDir)).toEqual({
      rowsWithoutFile: [],
      filesWithoutRow: [],
      leftInTmp: [],
    });
  }, 60_000);
});
