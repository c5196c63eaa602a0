import { rm } from 'node:fs/promises';
import {
  type DepthMapSummary,
  type DepthVideo,
  depthVideoSchema,
  disparityEncodingSchema,
  type LibraryFilterQuery,
  type MediaDetail,
  type MediaItem,
  type MediaListQuery,
  type MediaPage,
  mediaUrls,
  PREVIEW_SIZES,
  type Timeline,
} from '@immichvr/shared';
import type { Database, Queryable } from '../db/database';
import type { MediaStatusRow } from '../db/queries/events.queries';
import {
  countLibraryByMonth,
  countStatusByMonth,
  deleteMediaItem,
  findItemSource,
  findMediaDetail,
  type LibraryFilter,
  type LibraryRow,
  listLibraryPage,
  type MediaDetailRow,
  readMonthCounts,
} from '../db/queries/library.queries';
import { ConflictError, NotFoundError } from '../errors';
import { removeCoarseDepthMaps } from '../storage/coarse-depth-cache';
import { type DataLayout, isInside } from '../storage/data-layout';
import { decodeCursor, keysetPage } from './cursor';

const NIL_UUID = '00000000-0000-0000-0000-000000000000';

export async function getLibraryPage(db: Queryable, query: MediaListQuery): Promise<MediaPage> {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  // `before` alone: every item taken strictly earlier (the nil UUID sorts below every id).
  const start = after
    ? { sortAt: after.at, id: after.id }
    : query.before
      ? { sortAt: new Date(query.before), id: NIL_UUID }
      : null;
  return keysetPage(
    query.limit,
    (n) => listLibraryPage(db, n, start, libraryFilter(query)),
    (row) => ({ at: row.sort_at, id: row.media_id }),
    toMediaItem,
  );
}

function libraryFilter(query: LibraryFilterQuery): LibraryFilter {
  return {
    mediaType: query.type,
    status: query.status,
    hasDepth: query.hasDepth,
    favorite: query.favorite,
    collection: query.collection,
  };
}

/**
 * How many items each month holds under the gallery's filters, newest month first: from the
 * maintained month counts (by type and depth, and by latest job status under a status filter),
 * except for favourites, an album or a person (counted from the items, smaller sets).
 */
export async function getTimeline(db: Queryable, query: LibraryFilterQuery): Promise<Timeline> {
  const filter = { mediaType: query.type, hasDepth: query.hasDepth };
  const rows =
    query.favorite !== undefined || query.collection
      ? await countLibraryByMonth(db, libraryFilter(query))
      : query.status
        ? await countStatusByMonth(db, query.status, filter)
        : await readMonthCounts(db, filter);
  const months = rows.map((r) => ({ month: r.month, count: Number(r.count) }));
  return { total: months.reduce((sum, m) => sum + m.count, 0), months };
}

export async function getMediaDetail(db: Queryable, id: string): Promise<MediaDetail> {
  const row = await findMediaDetail(db, id);
  if (!row) throw new NotFoundError('no media item with this id');
  return toMediaDetail(row);
}

/**
 * Deletes an item: rows first (queue entries and depth map cascade), files once that committed, so
 * a failed delete never leaves rows pointing at missing files. The original is removed only when it
 * is the app's own copy inside DATA_DIR; a file in an imported folder belongs to the user.
 */
export async function deleteMedia(
  db: Database,
  layout: DataLayout,
  id: string,
): Promise<{ originalRemoved: boolean }> {
  const files = await deleteMediaItem(db, id);
  if (!files) {
    const source = await findItemSource(db, id);
    if (source?.kind === 'immich')
      throw new ConflictError(
        `this item comes from Immich at ${source.location}; ImmichVR never changes your Immich library: delete or archive it there and it leaves at the next sync`,
      );
    throw new NotFoundError('no media item with this id');
  }
  return removeItemFiles(layout, { id, original: files.original, depthMap: files.depthMap });
}

/**
 * The files of an item whose row is gone: its previews and depth map, and its original only when
 * that is the app's own copy inside DATA_DIR (an upload, a file fetched from Immich).
 */
export async function removeItemFiles(
  layout: DataLayout,
  item: { id: string; original: string; depthMap: string | null },
): Promise<{ originalRemoved: boolean }> {
  const removals = PREVIEW_SIZES.map((size) => layout.previewFile(item.id, size));
  if (item.depthMap && isInside(item.depthMap, layout.dataDir)) removals.push(item.depthMap);
  const originalRemoved = isInside(item.original, layout.dataDir);
  if (originalRemoved) removals.push(item.original);
  await Promise.all([
    ...removals.map((file) => rm(file, { force: true })),
    removeCoarseDepthMaps(layout, item.id),
  ]);
  return { originalRemoved };
}

export function toMediaItem(row: LibraryRow): MediaItem {
  return {
    id: row.media_id,
    originalFilename: row.original_filename,
    mediaType: row.media_type,
    width: row.width,
    height: row.height,
    capturedAt: row.captured_at?.toISOString() ?? null,
    uploadedAt: row.uploaded_at.toISOString(),
    processingStatus: row.processing_status,
    processingAttempts: row.processing_attempts,
    lastError: row.last_error,
    queueId: row.queue_id,
    processingProgress: row.processing_progress ?? null,
    depthMap: toDepthMapSummary(row),
    urls: mediaUrls(row.media_id, row.depth_map_id),
  };
}

/** The depth map columns of a media_processing_status row, as the client sees them. */
export function toDepthMapSummary(row: MediaStatusRow): DepthMapSummary | null {
  if (!row.depth_map_id || !row.depth_map_generated_at) return null;
  return {
    id: row.depth_map_id,
    format: row.depth_map_format ?? 'png',
    width: row.depth_map_width ?? 0,
    height: row.depth_map_height ?? 0,
    modelName: row.depth_map_model_name,
    generatedAt: row.depth_map_generated_at.toISOString(),
  };
}

export function toMediaDetail(row: MediaDetailRow): MediaDetail {
  const summary = toDepthMapSummary(row);
  const params = row.depth_map_params ?? {};
  const encoding = disparityEncodingSchema.safeParse(params.encoding);
  const positive = (value: unknown) => (typeof value === 'number' && value > 0 ? value : null);
  return {
    ...toMediaItem(row),
    depthMap: summary && {
      ...summary,
      encoding: encoding.success ? encoding.data : null,
      focalLengthPixels: positive(params.focalLengthPixels),
      focalLength35mm: positive(params.focalLength35mm),
      video: summary.format === 'mp4' ? parseDepthVideo(params.video) : null,
    },
    mimeType: row.mime_type,
    fileSizeBytes: Number(row.file_size),
    durationSeconds: row.duration_seconds === null ? null : Number(row.duration_seconds),
    frameRate: row.frame_rate === null ? null : Number(row.frame_rate),
    checksum: row.checksum,
  };
}

/** A depth video's layout as recorded in processing_params.video; null when it is not readable. */
function parseDepthVideo(recorded: unknown): DepthVideo | null {
  const parsed = depthVideoSchema.safeParse(recorded);
  return parsed.success ? parsed.data : null;
}
