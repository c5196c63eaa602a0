import { type MediaItem, type MediaPage, mediaUrls } from '@immichvr/shared';
import type { Queryable } from '../db/database';
import { type LibraryKey, type LibraryRow, listLibraryPage } from '../db/queries/library.queries';
import { BadRequestError } from '../errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Cursors are opaque to clients: base64url of the last item's sort key. */
export function encodeCursor(key: LibraryKey): string {
  return Buffer.from(JSON.stringify([key.sortAt.toISOString(), key.id])).toString('base64url');
}

export function decodeCursor(cursor: string): LibraryKey {
  try {
    const [sortAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    const date = new Date(String(sortAt));
    if (typeof id !== 'string' || !isUuid(id) || Number.isNaN(date.getTime())) throw new Error();
    return { sortAt: date, id };
  } catch {
    throw new BadRequestError('cursor is not one this server issued');
  }
}

export async function getLibraryPage(
  db: Queryable,
  limit: number,
  cursor: string | undefined,
): Promise<MediaPage> {
  const rows = await listLibraryPage(db, limit + 1, cursor ? decodeCursor(cursor) : null);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(toMediaItem),
    nextCursor:
      rows.length > limit && last
        ? encodeCursor({ sortAt: last.sort_at, id: last.media_id })
        : null,
  };
}

export function toMediaItem(row: LibraryRow): MediaItem {
  const hasDepth = row.depth_map_id !== null;
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
    depthMap:
      hasDepth && row.depth_map_generated_at
        ? {
            id: row.depth_map_id as string,
            format: row.depth_map_format ?? 'png',
            width: row.depth_map_width ?? 0,
            height: row.depth_map_height ?? 0,
            modelName: row.depth_map_model_name,
            generatedAt: row.depth_map_generated_at.toISOString(),
          }
        : null,
    urls: mediaUrls(row.media_id, hasDepth),
  };
}
