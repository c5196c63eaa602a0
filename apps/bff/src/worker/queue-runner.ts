import type { Database, Queryable } from '../db/database';
import type { Unlisten } from '../db/listen';
import {
  type ClaimedJob,
  claimNextJob,
  completeJob,
  failJob,
  recoverExpiredLeases,
  releaseJob,
  renewLease,
  setJobProgress,
} from '../db/queries/worker.queries';
import type { Logger } from '../logger';
import { MEDIA_EVENTS_CHANNEL } from '../services/media-events.service';
import { describeJobError } from '../storage/storage-errors';
import { type JobKind, jobKindOf } from './job-kinds';

/** What a job produced, applied only if the job is still ours when it finishes. */
export interface JobResult {
  /** Writes the result inside the transaction that marks the job completed (none: no result). */
  commit?(tx: Queryable): Promise<void>;
  /** After that transaction committed (e.g. remove the file the result replaced). */
  afterCommit?(): Promise<void>;
  /** The job was cancelled or taken back: undo whatever was prepared (e.g. remove new files). */
  discard(): Promise<void>;
  /**
   * The completing transaction failed with the database unreachable, so whether it committed is
   * unknown: once the database answers, undo what was prepared unless it was recorded.
   */
  discardUnlessRecorded?(db: Queryable): Promise<void>;
}

/** What a running job is given: its stop signal, and a way to say how far it is. */
export interface JobContext {
  /** Aborted when the job is cancelled, taken back or the worker shuts down. */
  signal: AbortSignal;
  /** 0…100; stored (at most every PROGRESS_EVERY_MS, and only when the whole percent changed). */
  reportProgress(percent: number): void;
}

export type JobHandler = (job: ClaimedJob, context: JobContext) => Promise<JobResult>;

/** Progress is written at most this often per job (each write is a live event). */
const PROGRESS_EVERY_MS = 500;

export interface QueueRunnerOptions {
  /** Shown in locked_by: host, pid and a random suffix, unique per runner. */
  workerId: string;
  /** Jobs run at once by this runner. */
  concurrency: number;
  /** A job not renewed for this long is taken back by another worker. */
  leaseSeconds: number;
  /** Looks for due jobs at least this often (NOTIFY wakes it sooner). */
  pollMs: number;
  /** Back-off before attempt n+1: retryBaseSeconds · 2^(n−1), at most retryMaxSeconds. */
  retryBaseSeconds: number;
  retryMaxSeconds: number;
  /** The handler of each job kind. */
  handlers: Record<JobKind, JobHandler>;
  logger: Logger;
}

/** Why a running job was stopped before it finished. */
class JobStopped extends Error {}
/** The worker is shutting down: the job goes back to the queue, its attempt not counted. */
class ShuttingDown extends JobStopped {}
/** The job was cancelled or taken back while its result was being recorded. */
class NotOurs extends Error {}

/**
 * Works through processing_queue: claims due jobs (FOR UPDATE SKIP LOCKED), renews their leases
 * while they run, completes them together with their result in one transaction, retries failures
 * with exponential back-off until max_attempts, and takes back jobs of workers that died.
 * Cancelling a job (status → cancelled) stops it at once (its NOTIFY), or at the latest at the next
 * lease renewal or progress report; its result is dropped.
 */
export class QueueRunner {
  private running = false;
  private lanes: Promise<void>[] = [];
  private readonly active = new Map<string, AbortController>();
  private wake: (() => void) | undefined;
  private unlisten: Unlisten | undefined;
  private reaper: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Database,
    private readonly options: QueueRunnerOptions,
  ) {}

  get activeJobs(): number {
    return this.active.size;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    // New or re-queued jobs wake idle lanes at once instead of at the next poll.
    this.unlisten = await this.db
      .listen(MEDIA_EVENTS_CHANNEL, {
        onNotify: (payload) => {
          const change = parseQueueNotification(payload);
          if (change?.status === 'queued') this.wake?.();
          if (change?.status === 'cancelled')
            this.active.get(change.queueId)?.abort(new JobStopped('cancelled'));
        },
      })
      .catch(() => undefined);
    const reapEveryMs = Math.max(1_000, (this.options.leaseSeconds * 1000) / 2);
    this.reaper = setInterval(() => void this.reap(), reapEveryMs);
    this.reaper.unref();
    await this.reap();
    this.lanes = Array.from({ length: this.options.concurrency }, () => this.lane());
  }

  /**
   * Stops claiming; waits up to `drainMs` for running jobs to finish, then stops the rest and puts
   * them back in the queue (their attempt not counted).
   */
  async stop(drainMs = 30_000): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake?.();
    clearInterval(this.reaper);
    const drained = Promise.all(this.lanes);
    const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), drainMs).unref());
    if ((await Promise.race([drained, timer])) === 'timeout') {
      for (const controller of this.active.values())
        controller.abort(new ShuttingDown('worker shutting down'));
      await drained;
    }
    await this.unlisten?.();
  }

  /** Retries `discardUnlessRecorded` until the database answers again (up to two minutes). */
  private async settleUncertain(result: JobResult, jobId: string): Promise<void> {
    if (!result.discardUnlessRecorded) return;
    for (let attempt = 0; attempt < 120; attempt++) {
      try {
        await result.discardUnlessRecorded(this.db);
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 1_000).unref());
      }
    }
    this.options.logger.warn('could not settle a job result after a database outage', { jobId });
  }

  private async reap(): Promise<void> {
    try {
      const recovered = await recoverExpiredLeases(this.db);
      if (recovered > 0)
        this.options.logger.warn('took back jobs of a lost worker', { jobs: recovered });
    } catch (error) {
      this.options.logger.warn('lease check failed', { error: (error as Error).message });
    }
  }

  private async lane(): Promise<void> {
    while (this.running) {
      let job: ClaimedJob | null = null;
      try {
        job = await claimNextJob(this.db, this.options.workerId, this.options.leaseSeconds);
      } catch (error) {
        this.options.logger.warn('could not claim a job', { error: (error as Error).message });
      }
      if (job) await this.run(job);
      else await this.idle();
    }
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.options.pollMs);
      const previous = this.wake;
      this.wake = () => {
        previous?.();
        done();
      };
      function done() {
        clearTimeout(timer);
        resolve();
      }
    });
  }

  private async run(job: ClaimedJob): Promise<void> {
    const { workerId, leaseSeconds, logger } = this.options;
    const controller = new AbortController();
    this.active.set(job.id, controller);
    // Renew the lease while working. If renewals keep failing (database unreachable) until the
    // lease has run out, another worker may take the job: stop here, so it never runs twice at once.
    let renewedAt = performance.now();
    const heartbeat = setInterval(
      () => {
        if (performance.now() - renewedAt > leaseSeconds * 1000) {
          controller.abort(new JobStopped('lease lost (database unreachable)'));
          return;
        }
        renewLease(this.db, job.id, workerId, leaseSeconds).then(
          (status) => {
            if (status === null) controller.abort(new JobStopped('cancelled or taken back'));
            else renewedAt = performance.now();
          },
          (error: Error) =>
            logger.warn('lease renewal failed', { jobId: job.id, error: error.message }),
        );
      },
      Math.max(200, (leaseSeconds * 1000) / 3),
    );
    const started = performance.now();
    let reported = { percent: -1, at: 0 };
    const reportProgress = (value: number) => {
      const percent = Math.max(0, Math.min(100, Math.floor(value)));
      const now = performance.now();
      if (percent === reported.percent || now - reported.at < PROGRESS_EVERY_MS) return;
      reported = { percent, at: now };
      setJobProgress(this.db, job.id, workerId, percent).then(
        (ours) => {
          if (!ours) controller.abort(new JobStopped('cancelled or taken back'));
        },
        (error: Error) =>
          logger.warn('progress not recorded', { jobId: job.id, error: error.message }),
      );
    };
    try {
      const handler = this.options.handlers[jobKindOf(job.media_type)];
      const result = await handler(job, { signal: controller.signal, reportProgress });
      // The result first, then the job: its 'completed' event then already carries the result.
      // A job cancelled or taken back meanwhile rolls both back.
      const commit = result.commit?.bind(result);
      const completed =
        !controller.signal.aborted &&
        (commit
          ? await this.db
              .transaction(async (tx) => {
                await commit(tx);
                if (!(await completeJob(tx, job.id, workerId))) throw new NotOurs();
                return true;
              })
              .catch((error: Error) => {
                if (error instanceof NotOurs) return false;
                void this.settleUncertain(result, job.id);
                throw error;
              })
          : await completeJob(this.db, job.id, workerId));
      if (completed) {
        await result
          .afterCommit?.()
          .catch((error: Error) =>
            logger.warn('clean-up after a job failed', { jobId: job.id, error: error.message }),
          );
        logger.info('job completed', {
          jobId: job.id,
          mediaId: job.media_item_id,
          ms: Math.round(performance.now() - started),
        });
      } else {
        await result.discard();
        logger.info('job result discarded (cancelled or taken back)', { jobId: job.id });
      }
    } catch (error) {
      if (controller.signal.aborted) {
        const reason = controller.signal.reason;
        if (reason instanceof ShuttingDown)
          await releaseJob(this.db, job.id, workerId).catch(() => {});
        logger.info('job stopped', { jobId: job.id, reason: String(reason?.message ?? reason) });
      } else {
        const message = describeJobError(error);
        const retryAfter = Math.min(
          this.options.retryMaxSeconds,
          this.options.retryBaseSeconds * 2 ** Math.max(0, job.attempts - 1),
        );
        // A failure that trying again cannot mend (an undecodable file) is not retried.
        const permanent = (error as { permanent?: unknown }).permanent === true;
        const status = await this.db
          .transaction((tx) =>
            failJob(tx, job.id, workerId, message.slice(0, 2000), retryAfter, permanent),
          )
          .catch((e: Error) => {
            logger.error('could not record a job failure', { jobId: job.id, error: e.message });
            return null;
          });
        logger.warn('job failed', {
          jobId: job.id,
          mediaId: job.media_item_id,
          error: message,
          next: status,
          retryAfter,
        });
      }
    } finally {
      clearInterval(heartbeat);
      this.active.delete(job.id);
    }
  }
}

/** A media_events payload (07-video-depth.sql) about a queue row: its id and new status. */
function parseQueueNotification(payload: string): { queueId: string; status: string } | null {
  try {
    const event = JSON.parse(payload) as { kind?: unknown; status?: unknown; queueId?: unknown };
    return event.kind === 'queue' &&
      typeof event.status === 'string' &&
      typeof event.queueId === 'string'
      ? { queueId: event.queueId, status: event.status }
      : null;
  } catch {
    return null;
  }
}
