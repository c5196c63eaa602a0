import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../src/db/database';
import { createTestDatabase, ENGINES, type TestDatabase } from './helpers/test-database';

async function insertPhoto(db: Queryable, name = 'a.jpg'): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO media_items (original_filename, media_type, file_path, file_size, mime_type)
     VALUES ($1, 'photo', $2, 10, 'image/jpeg') RETURNING id`,
    [name, `/media/${name}`],
  );
  return (rows[0] as { id: string }).id;
}

async function insertDepth(db: Queryable, mediaId: string, filePath: string): Promise<void> {
  await db.query(
    `INSERT INTO depth_map_cache (media_item_id, file_path, file_size, width, height)
     VALUES ($1, $2, 100, 10, 10)`,
    [mediaId, filePath],
  );
}

describe.each(ENGINES)('constraints on %s', (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
  });
  afterAll(async () => t?.cleanup());

  it('rejects a value outside an enum', async () => {
    await expect(
      t.db.query(
        `INSERT INTO media_items (original_filename, media_type, file_path, file_size, mime_type)
         VALUES ('x', 'audio', '/x', 1, 'audio/mpeg')`,
      ),
    ).rejects.toThrow(/invalid input value for enum media_type/);
    const id = await insertPhoto(t.db, 'enum.jpg');
    await expect(
      t.db.query(`INSERT INTO processing_queue (media_item_id, status) VALUES ($1, 'done')`, [id]),
    ).rejects.toThrow(/processing_status/);
  });

  it('rejects priorities outside 1..10 and negative sizes', async () => {
    const id = await insertPhoto(t.db, 'prio.jpg');
    for (const priority of [0, 11]) {
      await expect(
        t.db.query('INSERT INTO processing_queue (media_item_id, priority) VALUES ($1, $2)', [
          id,
          priority,
        ]),
      ).rejects.toThrow(/check constraint/);
    }
    await expect(
      t.db.query(
        `INSERT INTO media_items (original_filename, media_type, file_path, file_size, mime_type)
         VALUES ('neg', 'photo', '/neg', -1, 'image/jpeg')`,
      ),
    ).rejects.toThrow(/check constraint/);
  });

  it('deletes queue rows and depth maps with their media item', async () => {
    const id = await insertPhoto(t.db, 'cascade.jpg');
    await t.db.query('INSERT INTO processing_queue (media_item_id) VALUES ($1), ($1)', [id]);
    await insertDepth(t.db, id, '/depth/cascade.png');
    await t.db.query('DELETE FROM media_items WHERE id = $1', [id]);
    const { rows } = await t.db.query(
      `SELECT (SELECT count(*) FROM processing_queue WHERE media_item_id = $1) AS q,
              (SELECT count(*) FROM depth_map_cache WHERE media_item_id = $1) AS d`,
      [id],
    );
    expect(rows[0]).toEqual({ q: '0', d: '0' });
  });

  it('allows one depth map per media item and each file path once', async () => {
    const a = await insertPhoto(t.db, 'unique-a.jpg');
    const b = await insertPhoto(t.db, 'unique-b.jpg');
    await insertDepth(t.db, a, '/depth/unique-a.png');
    await expect(insertDepth(t.db, a, '/depth/unique-a2.png')).rejects.toThrow(
      /depth_map_cache_media_item_id_key/,
    );
    await expect(insertDepth(t.db, b, '/depth/unique-a.png')).rejects.toThrow(
      /depth_map_cache_file_path_key/,
    );
  });

  it('moves updated_at forward on update and leaves created_at alone', async () => {
    const id = await insertPhoto(t.db, 'touch.jpg');
    const read = async () => {
      const { rows } = await t.db.query<{ created_at: Date; updated_at: Date }>(
        'SELECT created_at, updated_at FROM media_items WHERE id = $1',
        [id],
      );
      return rows[0] as { created_at: Date; updated_at: Date };
    };
    // Try to backdate both: the trigger keeps updated_at at the time of the update.
    await t.db.query(
      `UPDATE media_items SET created_at = now() - interval '1 hour', updated_at = now() - interval '1 hour'
       WHERE id = $1`,
      [id],
    );
    const before = await read();
    expect(before.updated_at.getTime() - before.created_at.getTime()).toBeGreaterThan(3_500_000);
    await t.db.query('UPDATE media_items SET width = 10 WHERE id = $1', [id]);
    const after = await read();
    expect(after.created_at).toEqual(before.created_at);
    expect(after.updated_at.getTime()).toBeGreaterThanOrEqual(before.updated_at.getTime());
  });

  it('shows one row per media item in media_processing_status, with the newest queue entry', async () => {
    const id = await insertPhoto(t.db, 'retries.jpg');
    await t.db.query(
      `INSERT INTO processing_queue (media_item_id, status, attempts, last_error, created_at)
       VALUES ($1, 'failed', 3, 'boom', now() - interval '1 day')`,
      [id],
    );
    await t.db.query(`INSERT INTO processing_queue (media_item_id, status) VALUES ($1, 'queued')`, [
      id,
    ]);
    const { rows } = await t.db.query(
      'SELECT processing_status, processing_attempts FROM media_processing_status WHERE media_id = $1',
      [id],
    );
    expect(rows).toEqual([{ processing_status: 'queued', processing_attempts: 0 }]);
  });
});
