import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Queryable } from '../src/db/database';
import { createLogger } from '../src/logger';
import { mediaEventsOf } from '../src/services/media-events.service';
import type { JobHandler } from '../src/worker/queue-runner';
import { QueueRunner } from '../src/worker/queue-runner';
import { createTestDatabase, ENGINES, type TestDatabase } from './helpers/test-database';

const logger = createLogger('silent');
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The database, counting the round trips made outside transactions and the transactions. */
function countingDatabase(db: Database): { db: Database; roundTrips: () => number } {
  let trips = 0;
  const counted = Object.create(db) as Database;
  counted.query = ((...args: Parameters<Database['query']>) => {
    trips++;
    return db.query(...args);
  }) as Database['query'];
  counted.transaction = (fn) => {
    trips++;
    return db.transaction(fn);
  };
  return { db: counted, roundTrips: () => trips };
}

async function queuePhotos(db: Database, count: number): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO media_items (original_filename, media_type, file_path, file_size, mime_type)
     SELECT 'batch-' || g, 'photo', '/none/batch-' || g, 1, 'image/jpeg'
     FROM generate_series(1, $1::int) g RETURNING id`,
    [count],
  );
  const ids = rows.map((r) => r.id);
  await db.query('INSERT INTO processing_queue (media_item_id) SELECT unnest($1::uuid[])', [ids]);
  return ids;
}

/** The queue's status changes sent live, as "mediaId:status". */
async function recordQueueEvents(db: Database) {
  const events: string[] = [];
  const unlisten = await db.listen('media_events', {
    onNotify: (payload) => {
      for (const change of mediaEventsOf(payload)) {
        const event = change as { kind: string; status: string; mediaId: string };
        if (event.kind === 'queue') events.push(`${event.mediaId}:${event.status}`);
      }
    },
  });
  return {
    /** Each item's job was sent as processing and as completed (waits up to 5 s for them). */
    async expectProcessedAndCompleted(ids: string[]) {
      const deadline = Date.now() + 5_000;
      while (events.length < 2 * ids.length && Date.now() < deadline) await wait(20);
      await unlisten();
      for (const id of ids) {
        expect(events).toContain(`${id}:processing`);
        expect(events).toContain(`${id}:completed`);
      }
    },
  };
}

async function runUntilSettled(db: Database, runner: QueueRunner): Promise<void> {
  await runner.start();
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM processing_queue WHERE status IN ('queued', 'processing')`,
    );
    if (rows[0]?.n === 0) break;
    await wait(20);
  }
  await runner.stop();
}

function runner(db: Database, concurrency: number, photo: JobHandler): QueueRunner {
  return new QueueRunner(db, {
    workerId: 'batching-test',
    concurrency,
    leaseSeconds: 30,
    pollMs: 50,
    retryBaseSeconds: 1,
    retryMaxSeconds: 1,
    logger,
    handlers: {
      'photo-depth': photo,
      'video-depth': async () => {
        throw new Error('no videos here');
      },
    },
  });
}

/** A job result that marks its item's row as written (what a depth map row would be). */
const writesItem = (mediaId: string, before?: (tx: Queryable) => Promise<unknown>) => ({
  commit: async (tx: Queryable) => {
    await before?.(tx);
    await tx.query(`UPDATE media_items SET original_filename = 'written' WHERE id = $1`, [mediaId]);
  },
  discard: async () => {},
});

/** Each item with whether its result was written, its job's status and error. */
async function outcomes(db: Database) {
  const { rows } = await db.query<{ id: string; name: string; status: string; error: string }>(
    `SELECT m.id, m.original_filename AS name, q.status, q.last_error AS error
     FROM media_items m JOIN processing_queue q ON q.media_item_id = m.id`,
  );
  return rows;
}

describe.each(ENGINES)('the queue runner on %s, several jobs per statement', (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
  }, 60_000);
  afterAll(async () => {
    await t?.cleanup();
  });

  it('completes and claims jobs in shared round trips, with every status change still sent live', async () => {
    await t.db.query('DELETE FROM media_items');
    const ids = await queuePhotos(t.db, 60);
    const events = await recordQueueEvents(t.db);
    const { db, roundTrips } = countingDatabase(t.db);
    const handled: string[] = [];
    await runUntilSettled(
      t.db,
      runner(db, 4, async (job) => {
        handled.push(job.media_item_id);
        await wait(2);
        return { discard: async () => {} };
      }),
    );
    const { rows } = await t.db.query(
      'SELECT status, attempts, count(*)::int AS n FROM processing_queue GROUP BY 1, 2',
    );
    expect(rows).toEqual([{ status: 'completed', attempts: 1, n: 60 }]);
    expect(new Set(handled).size).toBe(60);
    // One claim and one completion each would be 120; finished jobs ride on the next claim.
    expect(roundTrips()).toBeLessThan(90);
    await events.expectProcessedAndCompleted(ids);
  });

  it('one slow job at a time: the round trip that completes a job claims the next, none ahead', async () => {
    await t.db.query('DELETE FROM media_items');
    await queuePhotos(t.db, 12);
    const { db, roundTrips } = countingDatabase(t.db);
    const processingSeen: number[] = [];
    await runUntilSettled(
      t.db,
      runner(db, 1, async () => {
        const { rows } = await t.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM processing_queue WHERE status = 'processing'`,
        );
        processingSeen.push(rows[0]?.n ?? -1);
        await wait(15);
        return { discard: async () => {} };
      }),
    );
    const { rows } = await t.db.query(
      'SELECT status, count(*)::int AS n FROM processing_queue GROUP BY 1',
    );
    expect(rows).toEqual([{ status: 'completed', n: 12 }]);
    // A job that takes its time holds only its own row: nothing is claimed ahead of it.
    expect(processingSeen).toEqual(Array(12).fill(1));
    // 12 round trips that complete one job and claim the next (the first only claims, the last
    // only completes), plus the lease check at start and at most a settle of the status counts.
    // A job's slot freed only once its promises unwound took 1.5 per job (one that completed and
    // claimed none, one that claimed alone).
    expect(roundTrips()).toBeLessThanOrEqual(16);
  });

  it('quick jobs, one at a time: claimed ahead, several per round trip, every status change sent', async () => {
    await t.db.query('DELETE FROM media_items');
    const ids = await queuePhotos(t.db, 200);
    const events = await recordQueueEvents(t.db);
    const { db, roundTrips } = countingDatabase(t.db);
    let running = 0;
    let mostAtOnce = 0;
    await runUntilSettled(
      t.db,
      runner(db, 1, async () => {
        mostAtOnce = Math.max(mostAtOnce, ++running);
        await Promise.resolve();
        running--;
        return { discard: async () => {} };
      }),
    );
    const { rows } = await t.db.query(
      'SELECT status, attempts, count(*)::int AS n FROM processing_queue GROUP BY 1, 2',
    );
    expect(rows).toEqual([{ status: 'completed', attempts: 1, n: 200 }]);
    expect(mostAtOnce).toBe(1);
    // One per job (200) without claiming ahead.
    expect(roundTrips()).toBeLessThan(100);
    await events.expectProcessedAndCompleted(ids);
  });

  it('gives back the jobs claimed ahead when the job before them turns slow, and when stopping', async () => {
    await t.db.query('DELETE FROM media_items');
    await queuePhotos(t.db, 60);
    let handled = 0;
    let heldDuringSlowJob = -1;
    let stopping: Promise<void> | undefined;
    const quickThenSlow = runner(t.db, 1, async () => {
      handled++;
      if (handled === 30) {
        // The jobs claimed ahead of this one wait HOLD_AHEAD_MS, then go back to the queue.
        await wait(1_600);
        const { rows } = await t.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM processing_queue WHERE status = 'processing'`,
        );
        heldDuringSlowJob = rows[0]?.n ?? -1;
      }
      if (handled === 45) stopping = quickThenSlow.stop();
      return { discard: async () => {} };
    });
    await quickThenSlow.start();
    const deadline = Date.now() + 20_000;
    while (!stopping && Date.now() < deadline) await wait(20);
    await stopping;
    expect(heldDuringSlowJob).toBe(1);
    const { rows } = await t.db.query<{ status: string; attempts: number; n: number }>(
      'SELECT status, attempts, count(*)::int AS n FROM processing_queue GROUP BY 1, 2 ORDER BY 1',
    );
    // Every job handled was completed once; those claimed ahead and not started are queued again
    // with their attempt not counted, none left held by the stopped runner (statuses in enum order).
    expect(rows).toEqual([
      { status: 'queued', attempts: 0, n: 15 },
      { status: 'completed', attempts: 1, n: 45 },
    ]);
  });

  it('writes several results in one transaction: a result that cannot be written fails only its own job', async () => {
    await t.db.query('DELETE FROM media_items');
    const ids = await queuePhotos(t.db, 12);
    const broken = ids[5] as string;
    await runUntilSettled(
      t.db,
      runner(t.db, 4, async (job) => {
        await wait(5);
        return writesItem(job.media_item_id, async (tx) => {
          if (job.media_item_id === broken) await tx.query('SELECT 1 / 0');
        });
      }),
    );
    for (const row of await outcomes(t.db)) {
      if (row.id === broken) {
        expect(row.name).not.toBe('written');
        expect(row.error).toMatch(/division by zero/);
      } else {
        expect(row).toMatchObject({ name: 'written', status: 'completed' });
      }
    }
  });

  it('drops the result of a job cancelled while it ran, and completes the others', async () => {
    await t.db.query('DELETE FROM media_items');
    const ids = await queuePhotos(t.db, 6);
    const cancelled = ids[2] as string;
    await runUntilSettled(
      t.db,
      runner(t.db, 3, async (job) => {
        if (job.media_item_id === cancelled)
          await t.db.query(`UPDATE processing_queue SET status = 'cancelled' WHERE id = $1`, [
            job.id,
          ]);
        return writesItem(job.media_item_id);
      }),
    );
    for (const row of await outcomes(t.db))
      expect(row).toMatchObject(
        row.id === cancelled
          ? { status: 'cancelled', name: expect.not.stringMatching('written') }
          : { status: 'completed', name: 'written' },
      );
  });
});
