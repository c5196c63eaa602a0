import type { MediaType } from '@immichvr/shared';
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
}

export async function registerMediaRoot(db: Queryable, root: string): Promise<void> {
  await db.query('INSERT INTO media_roots (path) VALUES ($1) ON CONFLICT (path) DO NOTHING', [
    root,
  ]);
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

/** Inserts a batch in one statement (one array parameter per column); returns id by file path. */
export async function insertMediaItems(
  db: Queryable,
  items: NewMediaItem[],
): Promise<Map<string, string>> {
  if (items.length === 0) return new Map();
  const { rows } = await db.query<{ id: string; file_path: string }>(
    `INSERT INTO media_items (original_filename, media_type, file_path, file_size, mime_type,
       width, height, duration_seconds, frame_rate, checksum, captured_at)
     SELECT * FROM unnest($1::varchar[], $2::media_type[], $3::text[], $4::bigint[], $5::varchar[],
       $6::int[], $7::int[], $8::numeric[], $9::numeric[], $10::varchar[], $11::timestamptz[])
     RETURNING id, file_path`,
    [
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
    ],
  );
  return new Map(rows.map((r) => [r.file_path, r.id]));
}

export async function queueDepthJobs(
  db: Queryable,
  mediaIds: string[],
  priority: number,
): Promise<void> {
  if (mediaIds.length === 0) return;
  await db.query(
    `INSERT INTO processing_queue (media_item_id, status, priority)
     SELECT id, 'queued', $2 FROM unnest($1::uuid[]) AS t(id)`,
    [mediaIds, priority],
  );
}
