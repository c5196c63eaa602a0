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

/**
 * Replaces what the source's last sync left and extends its lease — only while `holder` holds the
 * lease (one writer: that source's running sync). false: the lease was lost, nothing written.
 */
export async function writeSyncState(
  db: Queryable,
  sourceId: string,
  state: Record<string, unknown>,
  lease: { holder: string; seconds: number },
): Promise<boolean> {
  const { rows } = await db.query(
    `UPDATE media_sources
     SET sync_state = $2::jsonb, sync_lease_expires_at = now() + $4 * interval '1 second'
     WHERE id = $1 AND sync_holder = $3 RETURNING id`,
    [sourceId, JSON.stringify(state), lease.holder, lease.seconds],
  );
  return rows.length > 0;
}

/** Who holds a source's sync lease, and until when. */
export interface SyncLease {
  holder: string;
  expiresAt: Date;
}

/**
 * Takes the source's sync lease for `holder` (for `seconds`) unless another holder's lease is still
 * running — or that holder is `replacing` (known to be gone); null when taken, else the lease that
 * stands in the way.
 */
export async function claimSyncLease(
  db: Queryable,
  sourceId: string,
  holder: string,
  seconds: number,
  replacing: string | null = null,
): Promise<SyncLease | null> {
  const { rows } = await db.query<{ taken: boolean; holder: string; expires_at: Date }>(
    `WITH taken AS (
       UPDATE media_sources
       SET sync_holder = $2, sync_lease_expires_at = now() + $3 * interval '1 second'
       WHERE id = $1
         AND (sync_holder IS NULL OR sync_holder IN ($2, $4) OR sync_lease_expires_at < now())
       RETURNING id
     )
     SELECT EXISTS (SELECT 1 FROM taken) AS taken, sync_holder AS holder,
       sync_lease_expires_at AS expires_at
     FROM media_sources WHERE id = $1`,
    [sourceId, holder, seconds, replacing],
  );
  const row = rows[0];
  if (!row) throw new Error(`media source ${sourceId} does not exist`);
  return row.taken ? null : { holder: row.holder, expiresAt: row.expires_at };
}

/** The source's sync lease while one is held and has not run out (any process's); else null. */
export async function findLiveSyncLease(
  db: Queryable,
  sourceId: string,
): Promise<SyncLease | null> {
  const { rows } = await db.query<{ holder: string; expires_at: Date }>(
    `SELECT sync_holder AS holder, sync_lease_expires_at AS expires_at FROM media_sources
     WHERE id = $1 AND sync_holder IS NOT NULL AND sync_lease_expires_at > now()`,
    [sourceId],
  );
  const row = rows[0];
  return row ? { holder: row.holder, expiresAt: row.expires_at } : null;
}

/** Extends a held lease; false when `holder` no longer holds it (it expired and was taken). */
export async function renewSyncLease(
  db: Queryable,
  sourceId: string,
  holder: string,
  seconds: number,
): Promise<boolean> {
  const { rows } = await db.query(
    `UPDATE media_sources SET sync_lease_expires_at = now() + $3 * interval '1 second'
     WHERE id = $1 AND sync_holder = $2 RETURNING id`,
    [sourceId, holder, seconds],
  );
  return rows.length > 0;
}

/** Gives the lease back (if `holder` still holds it). */
export async function releaseSyncLease(
  db: Queryable,
  sourceId: string,
  holder: string,
): Promise<void> {
  await db.query(
    `UPDATE media_sources SET sync_holder = NULL, sync_lease_expires_at = NULL
     WHERE id = $1 AND sync_holder = $2`,
    [sourceId, holder],
  );
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
