import type { Database, Queryable } from '../db/database';
import type { Unlisten } from '../db/listen';
import { refreshStatusMonthCounts } from '../db/queries/library.queries';
import {
  type ClaimedJob,
  completeAndClaimJobs,
  completeJobs,
  failJob,
  lockHeldJobs,
  recoverExpiredLeases,
  releaseJobs,
  renewLease,
  setJobProgress,
} from '../db/queries/worker.queries';
import type { Logger } from '../logger';
import { MEDIA_EVENTS_CHANNEL, mediaEventsOf } from '../services/media-events.service';
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
/**
 * While jobs change status, the timeline's status counts are settled this often (migration 11), so
 * the notes the queue's triggers leave never pile up between two reads of the timeline.
 */
const SETTLE_STATUS_COUNTS_EVERY_MS = 2_000;
/**
 * Jobs whose handlers take less than this (on average) are quick: the runner then claims a few
 * ahead of its free slots, so one round trip claims, and later completes, several of them.
 */
const QUICK_JOB_MS = 5;
/** Jobs claimed ahead per slot while jobs are quick, at most MAX_AHEAD in all. */
const AHEAD_PER_SLOT = 8;
const MAX_AHEAD = 32;
/** Jobs claimed ahead and not started within this (the jobs before them turned slow) go back. */
const HOLD_AHEAD_MS = 1_000;

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

/** A job whose handler finished, waiting for the runner's next round trip to complete it. */
interface Finished {
  job: ClaimedJob;
  result: JobResult;
  /** true: completed (and its result written); false: cancelled or taken back meanwhile. */
  settle(completed: boolean): void;
  fail(error: unknown): void;
}

/**
 * Works through processing_queue: claims due jobs (FOR UPDATE SKIP LOCKED), renews their leases
 * while they run, completes them together with their result in one transaction, retries failures
 * with exponential back-off until max_attempts, and takes back jobs of workers that died.
 * Cancelling a job (status → cancelled) stops it at once (its NOTIFY), or at the latest at the next
 * lease renewal or progress report; its result is dropped.
 *
 * One loop talks to the queue, so a busy runner needs few statements per job: each round trip
 * completes every job that finished since the last one and claims as many as there are free slots
 * (one statement), and the results of several finished jobs are written in one transaction.
 */
export class QueueRunner {
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  /** Claimed jobs not yet settled (running, or finished and waiting to be completed). */
  private readonly active = new Map<string, AbortController>();
  /**
   * Claimed jobs whose handler has not handed them to the loop yet: the slots taken. A finished job
   * frees its slot as it is handed over, so the round trip that completes it claims the next one —
   * not a round trip of its own once the job's promise chain has unwound.
   */
  private readonly occupied = new Set<string>();
  private finished: Finished[] = [];
  /** Claimed ahead of a free slot (jobs are quick); started as slots free, before the next claim. */
  private ahead: ClaimedJob[] = [];
  /** Since when the jobs in `ahead` have waited with none of them started (see giveBackHeldAhead). */
  private aheadSince = 0;
  /** How long handlers took lately (moving average, ms); starts slow: nothing claimed ahead. */
  private recentJobMs = 1_000;
  private woken = false;
  private endIdle: (() => void) | undefined;
  private unlisten: Unlisten | undefined;
  private reaper: NodeJS.Timeout | undefined;
  private settler: NodeJS.Timeout | undefined;
  /** Jobs claimed or settled since the status counts were last settled. */
  private changedSinceSettle = 0;

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
    // New or re-queued jobs wake the idle loop at once instead of at the next poll.
    this.unlisten = await this.db
      .listen(MEDIA_EVENTS_CHANNEL, {
        onNotify: (payload) => {
          for (const change of queueChangesOf(payload)) {
            if (change.status === 'queued') this.wake();
            if (change.status === 'cancelled') {
              this.active.get(change.queueId)?.abort(new JobStopped('cancelled'));
              // Not started yet: the cancel already took it from this runner.
              this.ahead = this.ahead.filter((job) => job.id !== change.queueId);
            }
          }
        },
      })
      .catch(() => undefined);
    const reapEveryMs = Math.max(1_000, (this.options.leaseSeconds * 1000) / 2);
    this.reaper = setInterval(() => void this.reap(), reapEveryMs);
    this.reaper.unref();
    this.settler = setInterval(() => void this.settleStatusCounts(), SETTLE_STATUS_COUNTS_EVERY_MS);
    this.settler.unref();
    await this.reap();
    this.loop = this.dispatch();
  }

  /**
   * Stops claiming; waits up to `drainMs` for running jobs to finish, then stops the rest and puts
   * them back in the queue (their attempt not counted).
   */
  async stop(drainMs = 30_000): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake();
    clearInterval(this.reaper);
    clearInterval(this.settler);
    const drained = this.loop;
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

  private async settleStatusCounts(): Promise<void> {
    if (this.changedSinceSettle === 0) return;
    this.changedSinceSettle = 0;
    try {
      await refreshStatusMonthCounts(this.db);
    } catch (error) {
      this.changedSinceSettle++;
      this.options.logger.warn('could not settle the status counts', {
        error: (error as Error).message,
      });
    }
  }

  /**
   * The runner's one connection to the queue: until stopped and every claimed job is settled,
   * writes the results of finished jobs, completes them and claims new ones for the free slots.
   */
  private async dispatch(): Promise<void> {
    const { concurrency, workerId, leaseSeconds, logger } = this.options;
    while (this.running || this.active.size > 0 || this.ahead.length > 0) {
      await this.giveBackHeldAhead();
      const finished = this.finished;
      this.finished = [];
      const withResults = finished.filter((f) => f.result.commit);
      const plain = finished.filter((f) => !f.result.commit);
      if (withResults.length > 0) await this.commitResults(withResults);
      // Jobs settled in this round trip freed their slots for the jobs it claims; quick jobs are
      // claimed ahead too.
      const want = this.running ? concurrency - this.occupied.size + this.aheadWanted() : 0;
      const take = Math.max(0, want - this.ahead.length);
      let claimed: ClaimedJob[] = [];
      if (plain.length > 0 || take > 0) {
        try {
          const round = await completeAndClaimJobs(
            this.db,
            workerId,
            leaseSeconds,
            plain.map((f) => f.job.id),
            take,
          );
          for (const f of plain) f.settle(round.completed.has(f.job.id));
          claimed = round.claimed;
        } catch (error) {
          for (const f of plain) f.fail(error);
          logger.warn('could not claim a job', { error: (error as Error).message });
        }
      }
      if (claimed.length > 0) {
        if (this.ahead.length === 0) this.aheadSince = performance.now();
        this.ahead.push(...claimed);
        this.startAhead();
      }
      this.changedSinceSettle += claimed.length + finished.length;
      // Nothing new to do: wait for a job to finish, a NOTIFY, the poll, or stop.
      if (claimed.length === 0 && this.finished.length === 0) await this.idle();
    }
  }

  /**
   * Writes the results of finished jobs in one transaction, each with the job's completion: the
   * jobs still held are locked first (a cancel waits), each result is written under a savepoint
   * (one failing fails only its own job), then those written are completed in one statement.
   */
  private async commitResults(batch: Finished[]): Promise<void> {
    const { workerId } = this.options;
    try {
      const outcome = await this.db.transaction(async (tx) => {
        const held = await lockHeldJobs(
          tx,
          batch.map((f) => f.job.id),
          workerId,
        );
        const written: Finished[] = [];
        const failed = new Map<Finished, unknown>();
        for (const f of batch) {
          if (!held.has(f.job.id) || !f.result.commit) continue;
          if (batch.length === 1) {
            await f.result.commit(tx);
            written.push(f);
            continue;
          }
          await tx.query('SAVEPOINT job_result');
          try {
            await f.result.commit(tx);
            await tx.query('RELEASE SAVEPOINT job_result');
            written.push(f);
          } catch (error) {
            await tx.query('ROLLBACK TO SAVEPOINT job_result');
            failed.set(f, error);
          }
        }
        const completed = await completeJobs(
          tx,
          written.map((f) => f.job.id),
          workerId,
        );
        return { completed, failed };
      });
      for (const f of batch) {
        const error = outcome.failed.get(f);
        if (error !== undefined) f.fail(error);
        else f.settle(outcome.completed.has(f.job.id));
      }
    } catch (error) {
      // Whether the transaction committed is unknown when the database became unreachable.
      for (const f of batch) {
        void this.settleUncertain(f.result, f.job.id);
        f.fail(error);
      }
    }
  }

  /** How many jobs to hold claimed ahead of the free slots: some while jobs are quick, else none. */
  private aheadWanted(): number {
    if (this.recentJobMs >= QUICK_JOB_MS) return 0;
    return Math.min(MAX_AHEAD, AHEAD_PER_SLOT * this.options.concurrency);
  }

  /** Starts jobs claimed ahead in the free slots (most urgent first, as they were claimed). */
  private startAhead(): void {
    if (!this.running) return;
    while (this.ahead.length > 0 && this.occupied.size < this.options.concurrency) {
      this.launch(this.ahead.shift() as ClaimedJob);
      this.aheadSince = performance.now();
    }
  }

  /**
   * Jobs claimed ahead wait for no one long: stopping, or when the jobs before them turned slow
   * (none started for HOLD_AHEAD_MS), they go back to the queue for any worker, attempt not counted.
   */
  private async giveBackHeldAhead(): Promise<void> {
    if (this.ahead.length === 0) return;
    if (this.running && performance.now() - this.aheadSince < HOLD_AHEAD_MS) return;
    const jobs = this.ahead;
    this.ahead = [];
    // Jobs are not quick now: none is claimed ahead again until they are.
    this.recentJobMs = Math.max(this.recentJobMs, HOLD_AHEAD_MS);
    try {
      await releaseJobs(
        this.db,
        jobs.map((job) => job.id),
        this.options.workerId,
      );
      this.changedSinceSettle += jobs.length;
    } catch (error) {
      // Their leases run out and the reaper queues them again.
      this.options.logger.warn('could not give back jobs claimed ahead', {
        jobs: jobs.length,
        error: (error as Error).message,
      });
    }
  }

  /** Runs a claimed job; its slot is free again once it is settled. */
  private launch(job: ClaimedJob): void {
    const controller = new AbortController();
    this.active.set(job.id, controller);
    this.occupied.add(job.id);
    void this.run(job, controller).finally(() => {
      this.active.delete(job.id);
      // Still here when the job failed or stopped; then its slot is free only now.
      this.occupied.delete(job.id);
      this.startAhead();
      this.wake();
    });
  }

  /** Hands a finished job to the loop; resolves once it is completed (true) or found not ours. */
  private completeLater(job: ClaimedJob, result: JobResult): Promise<boolean> {
    return new Promise((settle, fail) => {
      this.occupied.delete(job.id);
      this.finished.push({ job, result, settle, fail });
      // A job claimed ahead takes the slot now, not after the round trip that completes this one.
      this.startAhead();
      this.wake();
    });
  }

  /** Something changed (a job finished or was queued, stop): the loop looks again at once. */
  private readonly wake = () => {
    this.woken = true;
    this.endIdle?.();
  };

  /** Waits for a wake, or the poll interval; returns at once when woken since the last wait. */
  private idle(): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.endIdle = undefined;
        this.woken = false;
        resolve();
      };
      const timer = setTimeout(done, this.options.pollMs);
      this.endIdle = done;
    });
  }

  private async run(job: ClaimedJob, controller: AbortController): Promise<void> {
    const { workerId, leaseSeconds, logger } = this.options;
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
      const result = await handler(job, { signal: controller.signal, reportProgress }).finally(
        () => {
          this.recentJobMs = (this.recentJobMs + (performance.now() - started)) / 2;
        },
      );
      // The result and the job's completion are written together; a job cancelled or taken back
      // meanwhile writes neither.
      const completed = !controller.signal.aborted && (await this.completeLater(job, result));
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
          await releaseJobs(this.db, [job.id], workerId).catch(() => {});
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
    }
  }
}

/** The queue rows a media_events payload is about (07-video-depth.sql, 13: a batch): id, status. */
function queueChangesOf(payload: string): Array<{ queueId: string; status: string }> {
  return mediaEventsOf(payload).flatMap((change) => {
    const event = change as { kind?: unknown; status?: unknown; queueId?: unknown };
    return event.kind === 'queue' &&
      typeof event.status === 'string' &&
      typeof event.queueId === 'string'
      ? [{ queueId: event.queueId, status: event.status }]
      : [];
  });
}
