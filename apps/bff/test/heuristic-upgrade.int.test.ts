import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordDepthMap } from '../src/db/queries/depth-maps.queries';
import { queueItemsWithDepthFrom } from '../src/db/queries/queue.queries';
import { createTestDatabase, ENGINES, type TestDatabase } from './helpers/test-database';

describe.each(ENGINES)('queueing the built-in estimate’s maps again on %s', (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
  });
  afterAll(async () => t?.cleanup());

  it('queues each such item once, and leaves the ones that failed, were cancelled or are queued', async () => {
    const item = async (name: string, model: string, job?: string) => {
      const { rows } = await t.db.query<{ id: string }>(
        `INSERT INTO media_items (original_filename, media_type, file_path, file_size, mime_type)
         VALUES ($1, 'photo', $2, 1, 'image/jpeg') RETURNING id`,
        [name, `/m/${name}`],
      );
      const id = (rows[0] as { id: string }).id;
      await recordDepthMap(t.db, {
        mediaItemId: id,
        filePath: `/d/${name}.png`,
        fileSize: 1,
        format: 'png',
        width: 1,
        height: 1,
        modelName: model,
        modelVersion: '2',
        processingParams: {},
        checksum: name,
      });
      if (job)
        await t.db.query(
          `INSERT INTO processing_queue (media_item_id, status, created_at)
           VALUES ($1, $2, now() + interval '1 second')`,
          [id, job],
        );
      return id;
    };
    const plain = await item('plain', 'immichvr-heuristic');
    const done = await item('done-before', 'immichvr-heuristic', 'completed');
    await item('failed', 'immichvr-heuristic', 'failed');
    await item('cancelled', 'immichvr-heuristic', 'cancelled');
    await item('waiting', 'immichvr-heuristic', 'queued');
    await item('model', 'depth-anything-v2-small');

    expect(await queueItemsWithDepthFrom(t.db, 'immichvr-heuristic', 10)).toBe(2);
    const { rows } = await t.db.query<{ media_item_id: string; priority: number }>(
      `SELECT media_item_id, priority, requested_by FROM processing_queue
       WHERE priority = 10 ORDER BY media_item_id`,
    );
    expect(rows).toEqual(
      [plain, done]
        .sort()
        .map((id) => ({ media_item_id: id, priority: 10, requested_by: 'system' })),
    );
    // Asked again (another worker starting): nothing more.
    expect(await queueItemsWithDepthFrom(t.db, 'immichvr-heuristic', 10)).toBe(0);
  });
});
