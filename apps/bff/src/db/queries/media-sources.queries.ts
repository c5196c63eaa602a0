import type { Queryable } from '../database';

export type MediaSourceKind = 'folder' | 'upload' | 'immich';

export interface MediaSource {
  id: string;
  kind: MediaSourceKind;
  location: string;
  mediaPath: string | null;
  syncState: Record<string, unknown>;
}

interface SourceRow {
  id: string;
  kind: MediaSourceKind;
  location: string;
  media_path: string | null;
  sync_state: Record<string, unknown>;
}

const toSource = (r: SourceRow): MediaSource => ({
  id: r.id,
  kind: r.kind,
  location: r.location,
  mediaPath: r.media_path,
  syncState: r.sync_state,
});

/** The source of this kind at this location, created on first use (its media path kept current). */
export async function ensureMediaSource(
  db: Queryable,
  kind: MediaSourceKind,
  location: string,
  mediaPath: string | null = null,
): Promise<MediaSource> {
  const { rows } = await db.query<SourceRow>(
    `INSERT INTO media_sources (kind, location, media_path) VALUES ($1, $2, $3)
     ON CONFLICT (kind, location) DO UPDATE SET media_path = EXCLUDED.media_path
       WHERE media_sources.media_path IS DISTINCT FROM EXCLUDED.media_path
     RETURNING id, kind, location, media_path, sync_state`,
    [kind, location, mediaPath],
  );
  if (rows[0]) return toSource(rows[0]);
  const found = await findMediaSource(db, kind, location);
  if (!found) throw new Error(`media source ${kind} ${location} vanished`);
  return found;
}

export async function findMediaSource(
  db: Queryable,
  kind: MediaSourceKind,
  location: string,
): Promise<MediaSource | null> {
  const { rows } = await db.query<SourceRow>(
    'SELECT id, kind, location, media_path, sync_state FROM media_sources WHERE kind = $1 AND location = $2',
    [kind, location],
  );
  return rows[0] ? toSource(rows[0]) : null;
}

export async function listMediaSources(
  db: Queryable,
  kind?: MediaSourceKind,
): Promise<MediaSource[]> {
  const { rows } = await db.query<SourceRow>(
    `SELECT id, kind, location, media_path, sync_state FROM media_sources
     WHERE $1::media_source_kind IS NULL OR kind = $1::media_source_kind ORDER BY created_at, id`,
    [kind ?? null],
  );
  return rows.map(toSource);
}

/** Replaces what the source's last sync left (one writer: that source's sync). */
export async function writeSyncState(
  db: Queryable,
  sourceId: string,
  state: Record<string, unknown>,
): Promise<void> {
  await db.query('UPDATE media_sources SET sync_state = $2::jsonb WHERE id = $1', [
    sourceId,
    JSON.stringify(state),
  ]);
}

/** The source's items by external id: what a sync compares against. */
export async function listSourceItems(
  db: Queryable,
  sourceId: string,
  externalIds?: string[],
): Promise<Map<string, { id: string; checksum: string | null }>> {
  const { rows } = await db.query<{ id: string; external_id: string; checksum: string | null }>(
    `SELECT id, external_id, checksum FROM media_items
     WHERE source_id = $1 AND external_id IS NOT NULL
       AND ($2::text[] IS NULL OR external_id = ANY($2::text[]))`,
    [sourceId, externalIds ?? null],
  );
  return new Map(rows.map((r) => [r.external_id, { id: r.id, checksum: r.checksum }]));
}

export async function countSourceItems(db: Queryable, sourceId: string): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    'SELECT count(*)::text AS n FROM media_items WHERE source_id = $1',
    [sourceId],
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * Removes a source's items by external id (their queue rows, depth maps and collection entries
 * cascade); returns what was removed, for the caller to delete its files after commit.
 */
export async function removeSourceItems(
  db: Queryable,
  sourceId: string,
  externalIds: string[],
): Promise<RemovedItem[]> {
  if (externalIds.length === 0) return [];
  const { rows } = await db.query<RemovedItem>(
    `WITH gone AS (
       SELECT m.id, m.file_path, d.file_path AS depth_file FROM media_items m
       LEFT JOIN depth_map_cache d ON d.media_item_id = m.id
       WHERE m.source_id = $1 AND m.external_id = ANY($2::text[])
     ), deleted AS (
       DELETE FROM media_items m USING gone WHERE m.id = gone.id RETURNING m.id
     )
     SELECT gone.id, gone.file_path, gone.depth_file FROM gone JOIN deleted ON deleted.id = gone.id`,
    [sourceId, externalIds],
  );
  return rows;
}

export interface RemovedItem {
  id: string;
  file_path: string;
  depth_file: string | null;
}

/** Folders originals may be served from: imported folders and mounted Immich libraries. */
export async function listServedFolders(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ path: string }>(
    `SELECT location AS path FROM media_sources WHERE kind = 'folder'
     UNION SELECT media_path FROM media_sources WHERE media_path IS NOT NULL`,
  );
  return rows.map((r) => r.path);
}
