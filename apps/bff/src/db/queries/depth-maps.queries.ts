import type { DepthMapFormat } from '@immichvr/shared';
import type { Queryable } from '../database';

export interface DepthMapRecord {
  mediaItemId: string;
  filePath: string;
  fileSize: number;
  format: DepthMapFormat;
  width: number;
  height: number;
  modelName: string;
  modelVersion: string;
  processingParams: Record<string, unknown>;
  checksum: string;
}

/** One depth map per media item (the spec's UNIQUE(media_item_id)): a newer one replaces the row. */
export async function recordDepthMap(db: Queryable, d: DepthMapRecord): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO depth_map_cache (media_item_id, file_path, file_size, format, width, height,
       model_name, model_version, processing_params, checksum)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (media_item_id) DO UPDATE SET
       id = gen_random_uuid(), file_path = EXCLUDED.file_path, file_size = EXCLUDED.file_size,
       format = EXCLUDED.format, width = EXCLUDED.width, height = EXCLUDED.height,
       model_name = EXCLUDED.model_name, model_version = EXCLUDED.model_version,
       processing_params = EXCLUDED.processing_params, checksum = EXCLUDED.checksum,
       generated_at = now(), accessed_at = now(), access_count = 0
     RETURNING id`,
    [
      d.mediaItemId,
      d.filePath,
      d.fileSize,
      d.format,
      d.width,
      d.height,
      d.modelName,
      d.modelVersion,
      JSON.stringify(d.processingParams),
      d.checksum,
    ],
  );
  return (rows[0] as { id: string }).id;
}

/** Of these media files, the ones in the library with no depth map yet: id by file path. */
export async function findMediaWithoutDepthMap(
  db: Queryable,
  filePaths: string[],
): Promise<Map<string, string>> {
  const { rows } = await db.query<{ id: string; file_path: string }>(
    `SELECT m.id, m.file_path FROM media_items m
     WHERE m.file_path = ANY($1::text[])
       AND NOT EXISTS (SELECT 1 FROM depth_map_cache d WHERE d.media_item_id = m.id)`,
    [filePaths],
  );
  return new Map(rows.map((r) => [r.file_path, r.id]));
}

/** Whether a depth map row points at this file. */
export async function isDepthFileRecorded(db: Queryable, filePath: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM depth_map_cache WHERE file_path = $1', [filePath]);
  return rows.length > 0;
}

/** How many depth maps `modelName` made. */
export async function countDepthMapsFrom(db: Queryable, modelName: string): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    'SELECT count(*)::text AS n FROM depth_map_cache WHERE model_name = $1',
    [modelName],
  );
  return Number(rows[0]?.n ?? 0);
}
