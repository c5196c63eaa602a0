import { ACTIVE_PROCESSING_STATUSES, type ProcessingStatus } from '@immichvr/shared';
import type { Database, Queryable } from '../database';

export interface QueueRow {
  id: string;
  media_item_id: string;
  status: ProcessingStatus;
  priority: number;
  attempts: number;
  max_attempts: number;
  error_count: number;
  last_error: string | null;
  queued_at: Date;
  started_at: Date | null;
  completed_at: Date | null;
  processing_duration_seconds: string | null;
  created_at: Date;
  updated_at: Date;
}

/** The shared list of unfinished statuses, as an SQL list: `IN ${ACTIVE}`. */
const ACTIVE = `(${ACTIVE_PROCESSING_STATUSES.map((s) => `'${s}'`).join(', ')})`;

/**
 * Locks the media item's row until the transaction ends, so that concurrent reprocess requests for
 * it run one after another. NO KEY UPDATE: foreign-key checks (a worker inserting its depth map)
 * are not blocked. False when there is no such item.
 */
export async function lockMediaItemForQueueing(tx: Queryable, mediaId: string): Promise<boolean> {
  const { rows } = await tx.query('SELECT 1 FROM media_items WHERE id = $1 FOR NO KEY UPDATE', [
    mediaId,
  ]);
  return rows.length > 0;
}

/** The item's unfinished job, if any (newest first). */
export async function findActiveJob(db: Queryable, mediaId: string): Promise<QueueRow | null> {
  const { rows } = await db.query<QueueRow>(
    `SELECT * FROM processing_queue WHERE media_item_id = $1 AND status IN ${ACTIVE}
     ORDER BY created_at DESC, id DESC LIMIT 1`,
    [mediaId],
  );
  return rows[0] ?? null;
}

export async function insertQueuedJob(
  db: Queryable,
  mediaId: string,
  priority: number,
  requestedBy: 'system' | 'user',
): Promise<QueueRow> {
  const { rows } = await db.query<QueueRow>(
    `INSERT INTO processing_queue (media_item_id, status, priority, requested_by)
     VALUES ($1, 'queued', $2, $3)
     RETURNING *`,
    [mediaId, priority, requestedBy],
  );
  return rows[0] as QueueRow;
}

/** Moves a waiting job forward when asked again with a more urgent priority (1 is first). */
export async function raiseJobPriority(
  db: Queryable,
  queueId: string,
  priority: number,
): Promise<QueueRow | null> {
  const { rows } = await db.query<QueueRow>(
    `UPDATE processing_queue SET priority = $2
     WHERE id = $1 AND status IN ('pending', 'queued') AND priority > $2
     RETURNING *`,
    [queueId, priority],
  );
  return rows[0] ?? null;
}

/** Cancels an unfinished job; null when it is finished or unknown. */
export async function cancelJob(db: Queryable, queueId: string): Promise<QueueRow | null> {
  const { rows } = await db.query<QueueRow>(
    `UPDATE processing_queue
     SET status = 'cancelled', completed_at = now(),
       processing_duration_seconds = CASE WHEN started_at IS NULL THEN NULL
         ELSE round(extract(epoch FROM now() - started_at)::numeric, 3) END
     WHERE id = $1 AND status IN ${ACTIVE}
     RETURNING *`,
    [queueId],
  );
  return rows[0] ?? null;
}

export async function findJob(db: Queryable, queueId: string): Promise<QueueRow | null> {
  const { rows } = await db.query<QueueRow>('SELECT * FROM processing_queue WHERE id = $1', [
    queueId,
  ]);
  return rows[0] ?? null;
}

export interface QueueKey {
  createdAt: Date;
  id: string;
}

/** Queue items newest first (keyset on created_at, id), optionally of one status or item. */
export async function listQueuePage(
  db: Queryable,
  limit: number,
  after: QueueKey | null,
  filter: { status?: ProcessingStatus | undefined; mediaId?: string | undefined },
): Promise<QueueRow[]> {
  const { rows } = await db.query<QueueRow>(
    `SELECT * FROM processing_queue
     WHERE ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
       AND ($4::processing_status IS NULL OR status = $4::processing_status)
       AND ($5::uuid IS NULL OR media_item_id = $5::uuid)
     ORDER BY created_at DESC, id DESC
     LIMIT $1`,
    [
      limit,
      after?.createdAt ?? null,
      after?.id ?? null,
      filter.status ?? null,
      filter.mediaId ?? null,
    ],
  );
  return rows;
}

export interface QueueSummaryRow {
  status: ProcessingStatus;
  count: string;
  avg_attempts: string | null;
  avg_processing_time_seconds: string | null;
}

export async function readQueueSummary(db: Queryable): Promise<QueueSummaryRow[]> {
  const { rows } = await db.query<QueueSummaryRow>(
    'SELECT * FROM processing_queue_summary ORDER BY status',
  );
  return rows;
}

/**
 * Queues, at `priority`, every item whose depth map `modelName` made and which has no unfinished
 * job, nor a job that failed or was cancelled since that map was made (so a photo the better
 * estimator cannot read, or one the user stopped, is not queued again at every start). Serialised by a transaction-scoped advisory lock, so
 * workers starting together queue each item once. Returns how many were queued.
 */
export async function queueItemsWithDepthFrom(
  db: Database,
  modelName: string,
  priority: number,
): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('immichvr:requeue-depth'))`);
    const { rows } = await tx.query<{ queued: string }>(
      `WITH inserted AS (
         INSERT INTO processing_queue (media_item_id, status, priority, requested_by)
         SELECT d.media_item_id, 'queued', $2, 'system'
         FROM depth_map_cache d
         WHERE d.model_name = $1
           AND NOT EXISTS (
             SELECT 1 FROM processing_queue q
             WHERE q.media_item_id = d.media_item_id
               AND (q.status IN ${ACTIVE}
                 OR (q.status IN ('failed', 'cancelled') AND q.created_at > d.generated_at)))
         RETURNING 1)
       SELECT count(*)::text AS queued FROM inserted`,
      [modelName, priority],
    );
    return Number(rows[0]?.queued ?? 0);
  });
}
