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
  queue_id: string | null;
  depth_map_format: DepthMapFormat | null;
  depth_map_width: number | null;
  depth_map_height: number | null;
  depth_map_model_name: string | null;
  processing_progress: number | null;
}

/** The view's columns a client sees (never depth_map_path). */
const LIBRARY_COLUMN_NAMES = [
  'media_id',
  'original_filename',
  'media_type',
  'uploaded_at',
  'processing_status',
  'processing_attempts',
  'last_error',
  'depth_map_id',
  'depth_map_generated_at',
  'width',
  'height',
  'captured_at',
  'sort_at',
  'queue_id',
  'depth_map_format',
  'depth_map_width',
  'depth_map_height',
  'depth_map_model_name',
  'processing_progress',
] as const;
const libraryColumns = (alias = '') => LIBRARY_COLUMN_NAMES.map((c) => `${alias}${c}`).join(', ');

export interface LibraryKey {
  sortAt: Date;
  id: string;
}

export interface LibraryFilter {
  mediaType?: MediaType | undefined;
  status?: ProcessingStatus | undefined;
  hasDepth?: boolean | undefined;
  favorite?: boolean | undefined;
  /** An album or person (media_collections.id). */
  collection?: string | undefined;
}

/**
 * The conditions of a filter on the library view, only those the filter sets, with their values
 * appended to `params`; and its shape (which conditions), which names the prepared statement. A
 * statement per shape, not one with `$n IS NULL OR …` for every filter: PostgreSQL then keeps a
 * plan that fits each shape (a generic plan chosen while the first pages were read unfiltered made
 * a status-filtered page scan the view).
 */
function libraryConditions(
  filter: LibraryFilter & { after?: LibraryKey | null },
  params: unknown[],
): { where: string; shape: string } {
  const value = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const conditions: Array<[string, string]> = [];
  if (filter.after)
    conditions.push([
      'after',
      `(sort_at, media_id) < (${value(filter.after.sortAt)}::timestamptz, ${value(filter.after.id)}::uuid)`,
    ]);
  if (filter.mediaType)
    conditions.push(['type', `media_type = ${value(filter.mediaType)}::media_type`]);
  if (filter.status)
    conditions.push(['status', `processing_status = ${value(filter.status)}::processing_status`]);
  if (filter.hasDepth !== undefined)
    conditions.push(['depth', `(depth_map_id IS NOT NULL) = ${value(filter.hasDepth)}::boolean`]);
  if (filter.favorite !== undefined)
    conditions.push([
      'favorite',
      `EXISTS (SELECT 1 FROM media_items fi WHERE fi.id = media_id AND fi.is_favorite = ${value(filter.favorite)}::boolean)`,
    ]);
  if (filter.collection)
    conditions.push([
      'collection',
      `EXISTS (SELECT 1 FROM media_collection_items ci WHERE ci.media_item_id = media_id AND ci.collection_id = ${value(filter.collection)}::uuid)`,
    ]);
  return {
    where: conditions.length ? `WHERE ${conditions.map(([, sql]) => sql).join(' AND ')}` : '',
    shape: conditions.map(([name]) => name).join(',') || 'all',
  };
}

/** A page of the library, newest first, continuing after `after` (keyset: stable under inserts). */
export async function listLibraryPage(
  db: Queryable,
  limit: number,
  after: LibraryKey | null,
  filter: LibraryFilter = {},
): Promise<LibraryRow[]> {
  const params: unknown[] = [limit];
  const { where, shape } = libraryConditions({ ...filter, after }, params);
  const { rows } = await db.query<LibraryRow>(
    `SELECT ${libraryColumns()}
     FROM media_processing_status
     ${where}
     ORDER BY sort_at DESC, media_id DESC
     LIMIT $1`,
    params,
    { prepareAs: `list_library_page:${shape}` },
  );
  return rows;
}

/**
 * Items per calendar month (UTC) by type and depth, newest month first, from the counts the
 * triggers of migration 08 keep: a few hundred rows, whatever the library's size.
 */
export async function readMonthCounts(
  db: Queryable,
  filter: Pick<LibraryFilter, 'mediaType' | 'hasDepth'> = {},
): Promise<Array<{ month: string; count: string }>> {
  const { rows } = await db.query<{ month: string; count: string }>(
    `SELECT to_char(month, 'YYYY-MM') AS month, sum(item_count)::text AS count
     FROM media_month_counts
     WHERE ($1::media_type IS NULL OR media_type = $1::media_type)
       AND ($2::boolean IS NULL OR has_depth = $2::boolean)
     GROUP BY month
     HAVING sum(item_count) > 0
     ORDER BY month DESC`,
    [filter.mediaType ?? null, filter.hasDepth ?? null],
    { prepareAs: 'read_month_counts' },
  );
  return rows;
}

/**
 * Settles the items whose status bucket may have changed (migration 11): the writers only note
 * them. Returns how many notes were read. Called before reading the status counts and by each
 * worker's lease check, so the notes never pile up.
 */
export async function refreshStatusMonthCounts(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ noted: number }>(
    'SELECT refresh_media_status_counts() AS noted',
    [],
    { prepareAs: 'refresh_status_month_counts' },
  );
  return rows[0]?.noted ?? 0;
}

/**
 * Items per calendar month (UTC) whose latest job has `status`, newest month first, from the counts
 * migration 11 keeps (settled first): a few hundred rows, whatever the library's size.
 */
export async function countStatusByMonth(
  db: Queryable,
  status: ProcessingStatus,
  filter: Pick<LibraryFilter, 'mediaType' | 'hasDepth'> = {},
): Promise<Array<{ month: string; count: string }>> {
  await refreshStatusMonthCounts(db);
  const { rows } = await db.query<{ month: string; count: string }>(
    `SELECT to_char(month, 'YYYY-MM') AS month, sum(item_count)::text AS count
     FROM media_status_month_counts
     WHERE status = $1::processing_status
       AND ($2::media_type IS NULL OR media_type = $2::media_type)
       AND ($3::boolean IS NULL OR has_depth = $3::boolean)
     GROUP BY month
     HAVING sum(item_count) > 0
     ORDER BY month DESC`,
    [status, filter.mediaType ?? null, filter.hasDepth ?? null],
    { prepareAs: 'count_status_by_month' },
  );
  return rows;
}

/**
 * Items per calendar month (UTC) under a filter, newest month first, counted now from the view:
 * for favourites, an album or a person (subsets no trigger keeps counts of).
 */
export async function countLibraryByMonth(
  db: Queryable,
  filter: LibraryFilter = {},
): Promise<Array<{ month: string; count: string }>> {
  const params: unknown[] = [];
  const { where, shape } = libraryConditions(filter, params);
  const { rows } = await db.query<{ month: string; count: string }>(
    `SELECT to_char(date_trunc('month', sort_at AT TIME ZONE 'UTC'), 'YYYY-MM') AS month,
       count(*) AS count
     FROM media_processing_status
     ${where}
     GROUP BY 1
     ORDER BY 1 DESC`,
    params,
    { prepareAs: `count_library_by_month:${shape}` },
  );
  return rows;
}

export interface MediaDetailRow extends LibraryRow {
  depth_map_params: Record<string, unknown> | null;
  mime_type: string;
  file_size: string;
  duration_seconds: string | null;
  frame_rate: string | null;
  checksum: string | null;
}

export async function findMediaDetail(db: Queryable, id: string): Promise<MediaDetailRow | null> {
  const { rows } = await db.query<MediaDetailRow>(
    `SELECT ${libraryColumns('s.')}, m.mime_type, m.file_size, m.duration_seconds, m.frame_rate,
       m.checksum, d.processing_params AS depth_map_params
     FROM media_processing_status s JOIN media_items m ON m.id = s.media_id
     LEFT JOIN depth_map_cache d ON d.id = s.depth_map_id
     WHERE s.media_id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

export interface MediaFileRow {
  id: string;
  file_path: string;
  mime_type: string;
  checksum: string | null;
}

export interface MediaSourceRow extends MediaFileRow {
  media_type: MediaType;
  duration_seconds: string | null;
  /** Where the item came from (NULL: a row written by other means). */
  source_id: string | null;
  source_kind: 'folder' | 'upload' | 'immich' | null;
  source_location: string | null;
  source_media_path: string | null;
  external_id: string | null;
}

export async function findMediaFile(db: Queryable, id: string): Promise<MediaSourceRow | null> {
  const { rows } = await db.query<MediaSourceRow>(
    `SELECT m.id, m.file_path, m.mime_type, m.checksum, m.media_type, m.duration_seconds,
       m.source_id, s.kind AS source_kind, s.location AS source_location,
       s.media_path AS source_media_path, m.external_id
     FROM media_items m LEFT JOIN media_sources s ON s.id = m.source_id WHERE m.id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

export async function findDepthMapFile(
  db: Queryable,
  mediaId: string,
): Promise<MediaFileRow | null> {
  const { rows } = await db.query<MediaFileRow>(
    `SELECT id, file_path, CASE format WHEN 'png' THEN 'image/png' WHEN 'mp4' THEN 'video/mp4'
         ELSE 'application/octet-stream' END AS mime_type,
       checksum
     FROM depth_map_cache WHERE media_item_id = $1`,
    [mediaId],
  );
  return rows[0] ?? null;
}

/** Counts depth map reads: one statement for a batch of (id, reads) pairs. */
export async function recordDepthMapAccess(
  db: Queryable,
  reads: ReadonlyMap<string, number>,
): Promise<void> {
  if (reads.size === 0) return;
  await db.query(
    `UPDATE depth_map_cache d
     SET accessed_at = now(), access_count = d.access_count + r.reads
     FROM unnest($1::uuid[], $2::int[]) AS r(id, reads)
     WHERE d.id = r.id`,
    [[...reads.keys()], [...reads.values()]],
  );
}

export interface DeletedMediaFiles {
  original: string;
  depthMap: string | null;
}

/** Deletes an item (its queue rows and depth map cascade); returns the files it pointed at. */
/** Which source an item comes from (null when it has none, undefined when there is no item). */
export async function findItemSource(
  db: Queryable,
  id: string,
): Promise<{ kind: string; location: string } | null | undefined> {
  const { rows } = await db.query<{ kind: string | null; location: string | null }>(
    `SELECT s.kind, s.location FROM media_items m LEFT JOIN media_sources s ON s.id = m.source_id
     WHERE m.id = $1`,
    [id],
  );
  const row = rows[0];
  if (!row) return undefined;
  return row.kind ? { kind: row.kind, location: row.location as string } : null;
}

export async function deleteMediaItem(
  db: Queryable,
  id: string,
): Promise<DeletedMediaFiles | null> {
  const { rows } = await db.query<{ original: string; depth_map: string | null }>(
    `WITH depth AS (SELECT file_path FROM depth_map_cache WHERE media_item_id = $1)
     DELETE FROM media_items WHERE id = $1
       -- Immich's items are Immich's: removed there, they leave at the next sync.
       AND NOT EXISTS (SELECT 1 FROM media_sources s
         WHERE s.id = media_items.source_id AND s.kind = 'immich')
     RETURNING file_path AS original, (SELECT file_path FROM depth) AS depth_map`,
    [id],
  );
  const row = rows[0];
  return row ? { original: row.original, depthMap: row.depth_map } : null;
}
