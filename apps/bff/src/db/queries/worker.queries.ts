import type { MediaType } from '@immichvr/shared';
import type { Queryable } from '../database';
import type { QueueRow } from './queue.queries';

export interface ClaimedJob extends QueueRow {
  locked_by: string;
  requested_by: 'system' | 'user';
  /** The item's type: what kind of job this is (job-kinds.ts). */
  media_type: MediaType;
}

/**
 * One round trip of the queue runner: marks the finished jobs in `doneIds` completed (those this
 * worker still holds; a job cancelled or taken back meanwhile is left as it is) and claims up to
 * `limit` of the most urgent due jobs (priority 1 first, then oldest queued_at; a job backing off
 * has a queued_at in the future). The claim locks only the rows it takes (FOR UPDATE SKIP LOCKED):
 * any number of workers on any number of machines can run it at once, and no two get the same job.
 * Every row changed still fires its own status event.
 *
 * The limit is written into the statement (one prepared statement per limit, a handful: 0 up to the
 * runner's concurrency), not passed as a parameter: with every parameter's role then independent of
 * its value, PostgreSQL settles on one generic plan per connection instead of planning again at
 * every round trip (planning was ~0.3 ms of the statement's ~1 ms).
 */
export async function completeAndClaimJobs(
  db: Queryable,
  workerId: string,
  leaseSeconds: number,
  doneIds: readonly string[],
  limit: number,
): Promise<{ completed: Set<string>; claimed: ClaimedJob[] }> {
  const take = Math.max(0, Math.floor(limit));
  if (!Number.isSafeInteger(take)) throw new RangeError(`cannot claim ${limit} jobs`);
  const { rows } = await db.query<ClaimedJob & { completed: string[] | null }>(
    `WITH done AS (
       ${COMPLETE_HELD_JOBS}
     ), claimed AS (
       UPDATE processing_queue q
       SET status = 'processing', attempts = q.attempts + 1, started_at = now(), completed_at = NULL,
         processing_duration_seconds = NULL, progress = NULL, locked_by = $2,
         lease_expires_at = now() + $3 * interval '1 second'
       WHERE q.id IN (
         SELECT id FROM processing_queue
         WHERE status = 'queued' AND queued_at <= now()
         ORDER BY priority, queued_at
         FOR UPDATE SKIP LOCKED
         LIMIT ${take}
       )
       RETURNING q.*, (SELECT m.media_type FROM media_items m WHERE m.id = q.media_item_id) AS media_type
     )
     SELECT c.*, d.completed
     FROM (SELECT array_agg(id) AS completed FROM done) d LEFT JOIN claimed c ON true`,
    [doneIds, workerId, leaseSeconds],
    { prepareAs: `complete_and_claim_jobs_${take}` },
  );
  const completed = new Set(rows[0]?.completed ?? []);
  const claimed = rows
    .filter((row) => row.id !== null)
    .map(({ completed: _, ...job }) => job as ClaimedJob);
  // Most urgent first, as the statement chose them.
  claimed.sort((a, b) => a.priority - b.priority || a.queued_at.getTime() - b.queued_at.getTime());
  return { completed, claimed };
}

/** Extends a held lease; the job's status, or null when this worker no longer holds it. */
export async function renewLease(
  db: Queryable,
  jobId: string,
  workerId: string,
  leaseSeconds: number,
): Promise<string | null> {
  const { rows } = await db.query<{ status: string }>(
    `UPDATE processing_queue SET lease_expires_at = now() + $3 * interval '1 second'
     WHERE id = $1 AND locked_by = $2 AND status = 'processing'
     RETURNING status`,
    [jobId, workerId, leaseSeconds],
    { prepareAs: 'renew_lease' },
  );
  return rows[0]?.status ?? null;
}

/**
 * Records how far a held job is (percent); false when this worker no longer holds it (cancelled,
 * taken back): the job then stops.
 */
export async function setJobProgress(
  db: Queryable,
  jobId: string,
  workerId: string,
  percent: number,
): Promise<boolean> {
  const { rows } = await db.query(
    `UPDATE processing_queue SET progress = $3
     WHERE id = $1 AND locked_by = $2 AND status = 'processing'
     RETURNING id`,
    [jobId, workerId, percent],
  );
  return rows.length > 0;
}

/** Completes the held jobs of ANY($1) for worker $2 (a statement of its own, or a CTE above). */
const COMPLETE_HELD_JOBS = `UPDATE processing_queue
       SET status = 'completed', completed_at = now(), locked_by = NULL, lease_expires_at = NULL,
         last_error = NULL, progress = CASE WHEN progress IS NULL THEN NULL ELSE 100 END,
         processing_duration_seconds = round(extract(epoch FROM now() - started_at)::numeric, 3)
       WHERE id = ANY($1::uuid[]) AND locked_by = $2 AND status = 'processing'
       RETURNING id`;

/** Marks held jobs completed; the ids of those this worker still held (not cancelled or taken back). */
export async function completeJobs(
  db: Queryable,
  jobIds: readonly string[],
  workerId: string,
): Promise<Set<string>> {
  const { rows } = await db.query<{ id: string }>(COMPLETE_HELD_JOBS, [jobIds, workerId], {
    prepareAs: 'complete_jobs',
  });
  return new Set(rows.map((row) => row.id));
}

/**
 * Locks the jobs of `jobIds` this worker still holds, until the transaction ends (a cancel waits
 * for it): their results can then be written knowing the jobs will complete. Their ids.
 */
export async function lockHeldJobs(
  tx: Queryable,
  jobIds: readonly string[],
  workerId: string,
): Promise<Set<string>> {
  const { rows } = await tx.query<{ id: string }>(
    `SELECT id FROM processing_queue
     WHERE id = ANY($1::uuid[]) AND locked_by = $2 AND status = 'processing'
     FOR UPDATE`,
    [jobIds, workerId],
  );
  return new Set(rows.map((row) => row.id));
}

/**
 * Records a failed attempt: processing → failed (with the error); then, while attempts remain and
 * the failure is not `permanent`, failed → queued again, due after `retryAfterSeconds`. Returns
 * the job's status afterwards, or null when this worker no longer held it.
 */
export async function failJob(
  tx: Queryable,
  jobId: string,
  workerId: string,
  error: string,
  retryAfterSeconds: number,
  permanent = false,
): Promise<'failed' | 'queued' | null> {
  const failed = await tx.query<{ attempts: number; max_attempts: number }>(
    `UPDATE processing_queue
     SET status = 'failed', last_error = $3, error_count = error_count + 1, completed_at = now(),
       locked_by = NULL, lease_expires_at = NULL,
       processing_duration_seconds = round(extract(epoch FROM now() - started_at)::numeric, 3)
     WHERE id = $1 AND locked_by = $2 AND status = 'processing'
     RETURNING attempts, max_attempts`,
    [jobId, workerId, error],
  );
  const row = failed.rows[0];
  if (!row) return null;
  if (permanent || row.attempts >= row.max_attempts) return 'failed';
  await tx.query(
    `UPDATE processing_queue
     SET status = 'queued', queued_at = now() + $2 * interval '1 second', completed_at = NULL
     WHERE id = $1`,
    [jobId, retryAfterSeconds],
  );
  return 'queued';
}

/** Gives jobs back untouched (a worker shutting down): queued again, the attempt not counted. */
export async function releaseJobs(
  db: Queryable,
  jobIds: readonly string[],
  workerId: string,
): Promise<void> {
  if (jobIds.length === 0) return;
  await db.query(
    `UPDATE processing_queue
     SET status = 'queued', attempts = greatest(attempts - 1, 0), started_at = NULL,
       locked_by = NULL, lease_expires_at = NULL
     WHERE id = ANY($1::uuid[]) AND locked_by = $2 AND status = 'processing'`,
    [jobIds, workerId],
  );
}

/**
 * Jobs whose worker stopped renewing its lease (killed, machine lost): back to queued, or failed
 * when that was their last attempt. Returns how many were recovered.
 */
export async function recoverExpiredLeases(db: Queryable): Promise<number> {
  const { rows } = await db.query(
    `UPDATE processing_queue q
     SET status = (CASE WHEN q.attempts >= q.max_attempts THEN 'failed' ELSE 'queued' END)::processing_status,
       last_error = 'the worker stopped responding (lease expired on ' || coalesce(q.locked_by, '?') || ')',
       error_count = q.error_count + 1, locked_by = NULL, lease_expires_at = NULL,
       completed_at = CASE WHEN q.attempts >= q.max_attempts THEN now() END
     WHERE q.id IN (
       SELECT id FROM processing_queue
       WHERE status = 'processing' AND lease_expires_at < now()
       FOR UPDATE SKIP LOCKED
     )
     RETURNING q.id`,
  );
  return rows.length;
}

export interface JobSource {
  id: string;
  file_path: string;
  media_type: 'photo' | 'video';
  mime_type: string;
  duration_seconds: string | null;
  depth_model_name: string | null;
  depth_file_path: string | null;
}

/** The media item of a job, with the depth map it has now. */
export async function findJobSource(db: Queryable, mediaId: string): Promise<JobSource | null> {
  const { rows } = await db.query<JobSource>(
    `SELECT m.id, m.file_path, m.media_type, m.mime_type, m.duration_seconds,
       d.model_name AS depth_model_name, d.file_path AS depth_file_path
     FROM media_items m LEFT JOIN depth_map_cache d ON d.media_item_id = m.id
     WHERE m.id = $1`,
    [mediaId],
  );
  return rows[0] ?? null;
}
