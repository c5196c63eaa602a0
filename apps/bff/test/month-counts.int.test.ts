import { PROCESSING_STATUSES } from '@immichvr/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../src/db/database';
import { loadMigrations, migrate, rollback } from '../src/db/migrate';
import { recordDepthMap } from '../src/db/queries/depth-maps.queries';
import {
  countLibraryByMonth,
  countStatusByMonth,
  type LibraryFilter,
  readMonthCounts,
  refreshStatusMonthCounts,
} from '../src/db/queries/library.queries';
import { archiveFinishedJobs } from '../src/db/queries/maintenance.queries';
import { completeAndClaimJobs, failJob } from '../src/db/queries/worker.queries';
import { createTestDatabase, ENGINES, type TestDatabase } from './helpers/test-database';

const FILTERS: LibraryFilter[] = [
  {},
  { mediaType: 'photo' },
  { mediaType: 'video' },
  { hasDepth: true },
  { hasDepth: false },
  { mediaType: 'video', hasDepth: true },
];

async function insertItem(
  db: Queryable,
  n: number,
  kind: 'photo' | 'video',
  capturedAt: string | null,
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO media_items (original_filename, media_type, file_path, file_size, mime_type,
       captured_at, uploaded_at)
     VALUES ($1, $2, $3, 10, $4, $5, '2026-03-15T12:00:00Z') RETURNING id`,
    [
      `item-${n}`,
      kind,
      `/media/item-${n}`,
      kind === 'photo' ? 'image/jpeg' : 'video/mp4',
      capturedAt,
    ],
  );
  return (rows[0] as { id: string }).id;
}

const addDepth = (db: Queryable, id: string, generation: string) =>
  recordDepthMap(db, {
    mediaItemId: id,
    filePath: `/depth/${id}-${generation}.png`,
    fileSize: 100,
    width: 10,
    height: 10,
    format: 'png',
    modelName: 'test',
    modelVersion: '1',
    processingParams: {},
    checksum: generation,
  });

describe.each(ENGINES)('the maintained month counts on %s', (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
  });
  afterAll(async () => t?.cleanup());

  /**
   * The maintained counts equal a count of the library now, under every filter; so do the counts
   * by status (from the jobs), for every status.
   */
  async function expectTrue(step: string) {
    for (const filter of FILTERS) {
      expect(await readMonthCounts(t.db, filter), `${step} ${JSON.stringify(filter)}`).toEqual(
        await countLibraryByMonth(t.db, filter),
      );
      for (const status of PROCESSING_STATUSES)
        expect(
          await countStatusByMonth(t.db, status, filter),
          `${step} ${status} ${JSON.stringify(filter)}`,
        ).toEqual(await countLibraryByMonth(t.db, { ...filter, status }));
    }
  }

  it('follow inserts, depth maps made and replaced and removed, moves between months and deletes', async () => {
    const db = t.db;
    const ids: string[] = [];
    for (let n = 0; n < 24; n++)
      ids.push(
        await insertItem(
          db,
          n,
          n % 3 === 0 ? 'video' : 'photo',
          // Spread over seven months, half of them just after midnight on the 1st at UTC+2 (the
          // month before, in UTC); some without a capture date (their upload month counts).
          n % 5 === 0
            ? null
            : Math.floor(n / 7) % 2
              ? `2026-0${1 + (n % 7)}-01T00:30:00+02:00`
              : `2026-0${1 + (n % 7)}-20T10:00:00Z`,
        ),
      );
    // Jobs: none for some items, one for others, and a newer one replacing an older one.
    const statuses = [
      'completed',
      'failed',
      'queued',
      'processing',
      'cancelled',
      'pending',
    ] as const;
    for (const [k, id] of ids.entries()) {
      if (k % 4 === 3) continue;
      await db.query(
        `INSERT INTO processing_queue (media_item_id, status, created_at)
         VALUES ($1, $2, now() - interval '1 hour')`,
        [id, statuses[k % statuses.length]],
      );
      if (k % 3 === 0)
        await db.query(`INSERT INTO processing_queue (media_item_id, status) VALUES ($1, $2)`, [
          id,
          statuses[(k + 1) % statuses.length],
        ]);
    }
    await expectTrue('inserted');
    expect((await readMonthCounts(db)).length).toBeGreaterThan(5);
    expect((await countStatusByMonth(db, 'failed')).length).toBeGreaterThan(0);

    for (const id of ids.slice(0, 10)) await addDepth(db, id, 'a');
    await expectTrue('depth maps made');
    for (const id of ids.slice(0, 4)) await addDepth(db, id, 'b'); // replaced in place
    await expectTrue('depth maps replaced');
    await db.query('DELETE FROM depth_map_cache WHERE media_item_id = ANY($1::uuid[])', [
      ids.slice(2, 5),
    ]);
    await expectTrue('depth maps removed');

    await db.query(`UPDATE media_items SET captured_at = '2025-12-31T23:59:00Z' WHERE id = $1`, [
      ids[0],
    ]);
    await db.query(`UPDATE media_items SET captured_at = NULL WHERE id = $1`, [ids[6]]);
    await db.query(`UPDATE media_items SET original_filename = 'renamed' WHERE id = $1`, [ids[7]]);
    await expectTrue('moved between months');

    // Deleting items takes their depth maps with them (the cascade), counted once.
    await db.query('DELETE FROM media_items WHERE id = ANY($1::uuid[])', [
      [ids[0], ids[1], ids[5], ids[12]],
    ]);
    await expectTrue('deleted');
    await db.transaction(async (tx) => {
      await tx.query('DELETE FROM media_items WHERE id = $1', [ids[8]]);
      await addDepth(tx, ids[9] as string, 'c');
    });
    await expectTrue('in a transaction');
    await db.query('DELETE FROM media_items');
    expect(await readMonthCounts(db)).toEqual([]);
  });

  it('by status follow the queue: claims, completions, failures and retries, re-queues, archiving and concurrent writers', async () => {
    const db = t.db;
    const ids: string[] = [];
    for (let n = 0; n < 30; n++)
      ids.push(
        await insertItem(
          db,
          200 + n,
          n % 4 ? 'photo' : 'video',
          `2025-0${1 + (n % 5)}-10T00:00:00Z`,
        ),
      );
    // One statement queues them all (as an import does), two jobs for some items at once.
    await db.query(
      `INSERT INTO processing_queue (media_item_id, status, created_at)
       SELECT id, 'queued'::processing_status, now() - interval '1 minute' FROM unnest($1::uuid[]) AS id
       UNION ALL
       SELECT id, 'pending', now() FROM unnest($2::uuid[]) AS id`,
      [ids, ids.slice(0, 5)],
    );
    await expectTrue('queued in one statement');
    await db.query(`UPDATE processing_queue SET status = 'queued' WHERE status = 'pending'`);

    const claimed = await completeAndClaimJobs(db, 'w1', 60, [], 12);
    expect(claimed.claimed).toHaveLength(12);
    await expectTrue('claimed');
    const [first, second, ...rest] = claimed.claimed;
    await failJob(db, (first as { id: string }).id, 'w1', 'broken', 30);
    await failJob(db, (second as { id: string }).id, 'w1', 'broken', 30, true);
    const round = await completeAndClaimJobs(
      db,
      'w1',
      60,
      rest.map((j) => j.id),
      8,
    );
    expect(round.completed.size).toBe(10);
    await expectTrue('completed, failed, retried and claimed in one round');
    for (const job of rest.slice(0, 6)) await addDepth(db, job.media_item_id, 'status');
    await expectTrue('depth maps made');

    // Re-queued: a newer job replaces the completed one as the item's status; the old job archived.
    for (const job of rest.slice(0, 3))
      await db.query(`INSERT INTO processing_queue (media_item_id) VALUES ($1)`, [
        job.media_item_id,
      ]);
    await db.query(
      `UPDATE processing_queue SET completed_at = now() - interval '2 days' WHERE status = 'completed'`,
    );
    expect(await archiveFinishedJobs(db, 86_400)).toBeGreaterThanOrEqual(3);
    await expectTrue('re-queued and archived');

    // Writers on their own connections at once (PostgreSQL: really concurrent).
    await Promise.all(
      ids.map(async (id, k) => {
        await db.transaction(async (tx) => {
          if (k % 3 === 0)
            await tx.query(`INSERT INTO processing_queue (media_item_id) VALUES ($1)`, [id]);
          await tx.query(
            `UPDATE processing_queue SET status = $2
             WHERE media_item_id = $1 AND status IN ('queued', 'processing')`,
            [id, k % 2 ? 'completed' : 'cancelled'],
          );
        });
        // Settling while others still write: each settles what is committed, nothing twice.
        if (k % 4 === 0) await refreshStatusMonthCounts(db);
      }),
    );
    await expectTrue('concurrent writers');
    await db.query('DELETE FROM media_items WHERE id = ANY($1::uuid[])', [ids.slice(0, 10)]);
    await expectTrue('items deleted');
    await db.query('DELETE FROM media_items');
    await expectTrue('all deleted');
    const noted = await db.query<{ n: string }>(
      'SELECT count(*)::text AS n FROM media_status_dirty',
    );
    expect(noted.rows[0]?.n).toBe('0');
  });

  it('are filled from the library when the migration runs on an existing one', async () => {
    const db = t.db;
    for (let n = 0; n < 6; n++) {
      const id = await insertItem(
        db,
        100 + n,
        n % 2 ? 'video' : 'photo',
        `2024-0${n + 1}-02T00:00:00Z`,
      );
      if (n < 3) await addDepth(db, id, 'a');
    }
    // Back to before the month counts (08), whatever came after them.
    const since08 = (await loadMigrations()).filter((m) => m.name >= '08').map((m) => m.name);
    expect(since08[0]).toBe('08-month-counts');
    expect(await rollback(db, since08.length)).toEqual([...since08].reverse());
    await migrate(db);
    await expectTrue('migrated');
    expect((await readMonthCounts(db)).map((m) => m.month)).toEqual([
      '2024-06',
      '2024-05',
      '2024-04',
      '2024-03',
      '2024-02',
      '2024-01',
    ]);
  });
});
