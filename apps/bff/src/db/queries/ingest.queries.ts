import { ACTIVE_PROCESSING_STATUSES, type MediaType } from '@immichvr/shared';
import type { Queryable } from '../database';

export interface NewMediaItem {
  originalFilename: string;
  mediaType: MediaType;
  filePath: string;
  fileSize: number;
  mimeType: string;
  width: number | null;
  height: number | null;
  durationSeconds: number | null;
  frameRate: number | null;
  checksum: string;
  capturedAt: Date | null;
  /** The source it came from and its id there (folder: path relative to the folder). */
  sourceId?: string | null;
  externalId?: string | null;
  isFavorite?: boolean;
}

/** Paths already in the library under a folder: re-imports skip them without reading them. */
export async function listImportedPaths(db: Queryable, root: string): Promise<Set<string>> {
  const prefix = root.endsWith('/') ? root : `${root}/`;
  const { rows } = await db.query<{ file_path: string }>(
    'SELECT file_path FROM media_items WHERE starts_with(file_path, $1)',
    [prefix],
  );
  return new Set(rows.map((r) => r.file_path));
}

/** Which of these checksums the library already has, with the id holding each. */
export async function findMediaByChecksums(
  db: Queryable,
  checksums: string[],
): Promise<Map<string, string>> {
  if (checksums.length === 0) return new Map();
  const { rows } = await db.query<{ id: string; checksum: string }>(
    'SELECT DISTINCT ON (checksum) id, checksum FROM media_items WHERE checksum = ANY($1::varchar[])',
    [checksums],
  );
  return new Map(rows.map((r) => [r.checksum, r.id]));
}

const INSERT_COLUMNS = `original_filename, media_type, file_path, file_size, mime_type,
       width, height, duration_seconds, frame_rate, checksum, captured_at, source_id, external_id,
       is_favorite`;
const UNNEST_ROWS = `unnest($1::varchar[], $2::media_type[], $3::text[], $4::bigint[],
       $5::varchar[], $6::int[], $7::int[], $8::numeric[], $9::numeric[], $10::varchar[],
       $11::timestamptz[], $12::uuid[], $13::text[], $14::boolean[])`;
const columnArrays = (items: NewMediaItem[]) => [
  items.map((i) => i.originalFilename),
  items.map((i) => i.mediaType),
  items.map((i) => i.filePath),
  items.map((i) => i.fileSize),
  items.map((i) => i.mimeType),
  items.map((i) => i.width),
  items.map((i) => i.height),
  items.map((i) => i.durationSeconds),
  items.map((i) => i.frameRate),
  items.map((i) => i.checksum),
  items.map((i) => i.capturedAt),
  items.map((i) => i.sourceId ?? null),
  items.map((i) => i.externalId ?? null),
  items.map((i) => i.isFavorite ?? false),
];

/** Inserts a batch in one statement (one array parameter per column); returns id by file path. */
export async function insertMediaItems(
  db: Queryable,
  items: NewMediaItem[],
): Promise<Map<string, string>> {
  if (items.length === 0) return new Map();
  const { rows } = await db.query<{ id: string; file_path: string }>(
    `INSERT INTO media_items (${INSERT_COLUMNS}) SELECT * FROM ${UNNEST_ROWS} RETURNING id, file_path`,
    columnArrays(items),
  );
  return new Map(rows.map((r) => [r.file_path, r.id]));
}

/**
 * Inserts a source's items, or updates the ones it already has (same source and external id) in
 * the same statement; returns id by external id and which were inserted.
 */
export async function upsertSourceItems(
  db: Queryable,
  items: NewMediaItem[],
): Promise<Map<string, { id: string; inserted: boolean }>> {
  if (items.length === 0) return new Map();
  const { rows } = await db.query<{ id: string; external_id: string; inserted: boolean }>(
    `INSERT INTO media_items (${INSERT_COLUMNS}) SELECT * FROM ${UNNEST_ROWS}
     ON CONFLICT (source_id, external_id) DO UPDATE SET
       original_filename = EXCLUDED.original_filename, media_type = EXCLUDED.media_type,
       file_path = EXCLUDED.file_path, file_size = EXCLUDED.file_size,
       mime_type = EXCLUDED.mime_type, width = EXCLUDED.width, height = EXCLUDED.height,
       duration_seconds = EXCLUDED.duration_seconds, frame_rate = EXCLUDED.frame_rate,
       checksum = EXCLUDED.checksum, captured_at = EXCLUDED.captured_at,
       is_favorite = EXCLUDED.is_favorite
     -- An unchanged item is not written (no trigger, no event): a sync that re-reads is cheap.
     WHERE (media_items.original_filename, media_items.media_type, media_items.file_path,
            media_items.file_size, media_items.mime_type, media_items.width, media_items.height,
            media_items.duration_seconds, media_items.checksum, media_items.captured_at,
            media_items.is_favorite)
       IS DISTINCT FROM (EXCLUDED.original_filename, EXCLUDED.media_type, EXCLUDED.file_path,
            EXCLUDED.file_size, EXCLUDED.mime_type, EXCLUDED.width, EXCLUDED.height,
            EXCLUDED.duration_seconds, EXCLUDED.checksum, EXCLUDED.captured_at,
            EXCLUDED.is_favorite)
     RETURNING id, external_id, (xmax = 0) AS inserted`,
    columnArrays(items),
  );
  return new Map(rows.map((r) => [r.external_id, { id: r.id, inserted: r.inserted }]));
}

/** Takes the advisory locks of these checksums until the transaction ends (sorted: no deadlock). */
export async function lockChecksums(db: Queryable, checksums: string[]): Promise<void> {
  if (checksums.length === 0) return;
  await db.query(
    `SELECT count(pg_advisory_xact_lock(hashtextextended(c, 0)))
     FROM (SELECT DISTINCT c FROM unnest($1::text[]) AS t(c) ORDER BY c) AS sorted`,
    [checksums],
  );
}

/** Queues depth jobs for the items without an unfinished one (one per item, as reprocess keeps). */
export async function queueDepthJobs(
  db: Queryable,
  mediaIds: string[],
  priority: number,
): Promise<void> {
  if (mediaIds.length === 0) return;
  await db.query(
    `INSERT INTO processing_queue (media_item_id, status, priority)
     SELECT id, 'queued', $2 FROM unnest($1::uuid[]) AS t(id)
     WHERE NOT EXISTS (SELECT 1 FROM processing_queue q
       WHERE q.media_item_id = t.id AND q.status = ANY($3::processing_status[]))`,
    [mediaIds, priority, [...ACTIVE_PROCESSING_STATUSES]],
  );
}
