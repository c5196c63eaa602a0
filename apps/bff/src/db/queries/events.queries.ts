import type { Queryable } from '../database';
import type { LibraryRow } from './library.queries';

export type MediaStatusRow = Pick<
  LibraryRow,
  | 'media_id'
  | 'queue_id'
  | 'processing_status'
  | 'processing_attempts'
  | 'last_error'
  | 'depth_map_id'
  | 'depth_map_generated_at'
  | 'depth_map_format'
  | 'depth_map_width'
  | 'depth_map_height'
  | 'depth_map_model_name'
  | 'processing_progress'
>;

/** What a client shows of an item's processing: its newest job and its depth map. */
export async function findMediaStatus(
  db: Queryable,
  mediaId: string,
): Promise<MediaStatusRow | null> {
  const { rows } = await db.query<MediaStatusRow>(
    `SELECT media_id, queue_id, processing_status, processing_attempts, last_error, depth_map_id,
       depth_map_generated_at, depth_map_format, depth_map_width, depth_map_height,
       depth_map_model_name, processing_progress
     FROM media_processing_status WHERE media_id = $1`,
    [mediaId],
  );
  return rows[0] ?? null;
}

/** The same for many items at once (a burst of notifications is looked up in one query). */
export async function findMediaStatuses(
  db: Queryable,
  mediaIds: string[],
): Promise<Map<string, MediaStatusRow>> {
  if (mediaIds.length === 0) return new Map();
  const { rows } = await db.query<MediaStatusRow>(
    `SELECT media_id, queue_id, processing_status, processing_attempts, last_error, depth_map_id,
       depth_map_generated_at, depth_map_format, depth_map_width, depth_map_height,
       depth_map_model_name, processing_progress
     FROM media_processing_status WHERE media_id = ANY($1::uuid[])`,
    [[...new Set(mediaIds)]],
  );
  return new Map(rows.map((r) => [r.media_id, r]));
}
