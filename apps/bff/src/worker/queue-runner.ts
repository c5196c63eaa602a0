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
} from '../db/queries/worker.queries';
import type { Logger } from '../logger';
import { MEDIA_EVENTS_CHANNEL } from '../services/media-events.service';
import { describeJobError } from '../storage/storage-errors';

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

export type JobHandler = (job: ClaimedJob, signal: AbortSignal) => Promise<JobResult>;

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
  handler: JobHandler;
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
 * Cancelling a job (status → cancelled) stops it at the next lease renewal; its result is dropped.
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
          if (isQueuedJobNotification(payload)) this.wake?.();
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
    try {
      const result = await this.options.handler(job, controller.signal);
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
        const status = await this.db
          .transaction((tx) => failJob(tx, job.id, workerId, message.slice(0, 2000), retryAfter))
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

/** Whether a media_events payload (04-media-events.sql) says a job became due. */
function isQueuedJobNotification(payload: string): boolean {
  try {
    const event = JSON.parse(payload) as { kind?: unknown; status?: unknown };
    return event.kind === 'queue' && event.status === 'queued';
  } catch {
    return false;
  }
}
