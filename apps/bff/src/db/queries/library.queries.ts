import type { DepthMapFormat, MediaType, ProcessingStatus } from '@immichvr/shared';
import type { Queryable } from '../database';

export async function countMediaItems(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ count: string }>('SELECT count(*) AS count FROM media_items');
  return Number(rows[0]?.count ?? 0);
}

export interface LibraryRow {
  media_id: string;
  original_filename: string;
  media_type: MediaType;
  uploaded_at: Date;
  processing_status: ProcessingStatus | null;
  processing_attempts: number | null;
  last_error: string | null;
  depth_map_id: string | null;
  depth_map_generated_at: Date | null;
  width: number | null;
  height: number | null;
  captured_at: Date | null;
  sort_at: Date;
  depth_map_format: DepthMapFormat | null;
  depth_map_width: number | null;
  depth_map_height: number | null;
  depth_map_model_name: string | null;
}

export interface LibraryKey {
  sortAt: Date;
  id: string;
}

/** A page of the library, newest first, continuing after `after` (keyset: stable under inserts). */
export async function listLibraryPage(
  db: Queryable,
  limit: number,
  after: LibraryKey | null,
): Promise<LibraryRow[]> {
  const { rows } = await db.query<LibraryRow>(
    `SELECT media_id, original_filename, media_type, uploaded_at, processing_status,
       processing_attempts, last_error, depth_map_id, depth_map_generated_at, width, height,
       captured_at, sort_at, depth_map_format, depth_map_width, depth_map_height, depth_map_model_name
     FROM media_processing_status
     WHERE $2::timestamptz IS NULL OR (sort_at, media_id) < ($2::timestamptz, $3::uuid)
     ORDER BY sort_at DESC, media_id DESC
     LIMIT $1`,
    [limit, after?.sortAt ?? null, after?.id ?? null],
  );
  return rows;
}

export interface MediaFileRow {
  file_path: string;
  mime_type: string;
  checksum: string | null;
}

export async function findMediaFile(db: Queryable, id: string): Promise<MediaFileRow | null> {
  const { rows } = await db.query<MediaFileRow>(
    'SELECT file_path, mime_type, checksum FROM media_items WHERE id = $1',
    [id],
  );
  return rows[0] ?? null;
}

export async function findDepthMapFile(
  db: Queryable,
  mediaId: string,
): Promise<MediaFileRow | null> {
  const { rows } = await db.query<MediaFileRow>(
    `SELECT file_path, 'image/png' AS mime_type, checksum FROM depth_map_cache WHERE media_item_id = $1`,
    [mediaId],
  );
  return rows[0] ?? null;
}

export async function listMediaRoots(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ path: string }>('SELECT path FROM media_roots');
  return rows.map((r) => r.path);
}
