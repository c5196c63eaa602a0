import type { Queryable } from '../database';

/** Bytes of depth maps the cache may evict (ground truth cannot be made again, so it is kept). */
export async function evictableDepthBytes(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ total: string | null }>(
    `SELECT sum(file_size) AS total FROM depth_map_cache WHERE model_name IS DISTINCT FROM 'ground-truth'`,
  );
  return Number(rows[0]?.total ?? 0);
}

/**
 * Deletes the least recently read depth maps, oldest first, until `bytesToFree` are freed (at most
 * `batch` rows); returns the deleted rows' files and sizes.
 */
export async function deleteLeastRecentlyReadDepthMaps(
  db: Queryable,
  bytesToFree: number,
  batch: number,
): Promise<Array<{ media_item_id: string; file_path: string; file_size: string }>> {
  const { rows } = await db.query<{ media_item_id: string; file_path: string; file_size: string }>(
    `WITH ranked AS (
       SELECT id, sum(file_size) OVER (ORDER BY accessed_at, id) - file_size AS freed_before
       FROM depth_map_cache
       WHERE model_name IS DISTINCT FROM 'ground-truth'
       ORDER BY accessed_at, id
       LIMIT $2
     )
     DELETE FROM depth_map_cache d USING ranked r
     WHERE d.id = r.id AND r.freed_before < $1
     RETURNING d.media_item_id, d.file_path, d.file_size`,
    [bytesToFree, batch],
  );
  return rows;
}

export interface DepthFileRow {
  id: string;
  media_item_id: string;
  file_path: string;
  checksum: string | null;
  model_name: string | null;
}

export async function listDepthMapFiles(db: Queryable): Promise<DepthFileRow[]> {
  const { rows } = await db.query<DepthFileRow>(
    'SELECT id, media_item_id, file_path, checksum, model_name FROM depth_map_cache ORDER BY file_path',
  );
  return rows;
}

/**
 * Removes finished queue rows older than the cut-off, keeping each item's newest row (the status
 * the library shows). Returns how many were removed.
 */
export async function archiveFinishedJobs(
  db: Queryable,
  olderThanSeconds: number,
): Promise<number> {
  const { rows } = await db.query(
    `DELETE FROM processing_queue q
     WHERE q.status IN ('completed', 'cancelled')
       AND coalesce(q.completed_at, q.updated_at) < now() - $1 * interval '1 second'
       AND q.id <> (
         SELECT newest.id FROM processing_queue newest
         WHERE newest.media_item_id = q.media_item_id
         ORDER BY newest.created_at DESC, newest.id DESC
         LIMIT 1
       )
     RETURNING q.id`,
    [olderThanSeconds],
  );
  return rows.length;
}
