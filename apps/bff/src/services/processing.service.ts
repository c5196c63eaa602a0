import type { QueueItem, QueuePage, QueueSummary } from '@immichvr/shared';
import type { Database, Queryable } from '../db/database';
import {
  cancelJob,
  findActiveJob,
  findJob,
  insertQueuedJob,
  listQueuePage,
  lockMediaItemForQueueing,
  type QueueRow,
  raiseJobPriority,
  readQueueSummary,
} from '../db/queries/queue.queries';
import { ConflictError, NotFoundError } from '../errors';
import { decodeCursor, keysetPage } from './cursor';

/**
 * Queues an item for depth processing. While it has an unfinished job that job is returned
 * (moved forward if this request is more urgent), never a second one: requests for one item are
 * serialised by a lock on its row, so concurrent clicks in several headsets still make one job.
 */
export async function requestReprocess(
  db: Database,
  mediaId: string,
  priority: number,
): Promise<{ job: QueueItem; created: boolean }> {
  return db.transaction(async (tx) => {
    if (!(await lockMediaItemForQueueing(tx, mediaId)))
      throw new NotFoundError('no media item with this id');
    const active = await findActiveJob(tx, mediaId);
    if (active) {
      const raised = await raiseJobPriority(tx, active.id, priority);
      return { job: toQueueItem(raised ?? active), created: false };
    }
    return {
      job: toQueueItem(await insertQueuedJob(tx, mediaId, priority, 'user')),
      created: true,
    };
  });
}

/** Cancels an unfinished job; a worker running it discards its result. */
export async function cancelQueueItem(db: Queryable, queueId: string): Promise<QueueItem> {
  const cancelled = await cancelJob(db, queueId);
  if (cancelled) return toQueueItem(cancelled);
  const job = await findJob(db, queueId);
  if (!job) throw new NotFoundError('no queue item with this id');
  throw new ConflictError(`the job is already ${job.status}`, { queueItem: toQueueItem(job) });
}

export async function getQueuePage(
  db: Queryable,
  query: {
    limit: number;
    cursor?: string | undefined;
    status?: QueueRow['status'] | undefined;
    mediaId?: string | undefined;
  },
): Promise<QueuePage> {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  return keysetPage(
    query.limit,
    (n) => listQueuePage(db, n, after ? { createdAt: after.at, id: after.id } : null, query),
    (row) => ({ at: row.created_at, id: row.id }),
    toQueueItem,
  );
}

export async function getQueueSummary(db: Queryable): Promise<QueueSummary> {
  const rows = await readQueueSummary(db);
  return {
    rows: rows.map((r) => ({
      status: r.status,
      count: Number(r.count),
      avgAttempts: r.avg_attempts === null ? null : Number(r.avg_attempts),
      avgProcessingTimeSeconds:
        r.avg_processing_time_seconds === null ? null : Number(r.avg_processing_time_seconds),
    })),
  };
}

export function toQueueItem(row: QueueRow): QueueItem {
  return {
    id: row.id,
    mediaItemId: row.media_item_id,
    status: row.status,
    priority: row.priority,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    errorCount: row.error_count,
    lastError: row.last_error,
    queuedAt: row.queued_at.toISOString(),
    startedAt: row.started_at?.toISOString() ?? null,
    completedAt: row.completed_at?.toISOString() ?? null,
    processingDurationSeconds:
      row.processing_duration_seconds === null ? null : Number(row.processing_duration_seconds),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
