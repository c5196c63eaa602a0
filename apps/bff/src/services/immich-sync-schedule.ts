import type { ImmichSyncStatus } from '@immichvr/shared';
import type { Database } from '../db/database';
import { findLiveSyncLease, findMediaSource } from '../db/queries/media-sources.queries';
import { ImmichAuthError, ImmichUnavailableError } from '../immich/immich-client';
import type { ImmichSource } from '../immich/immich-source';
import type { Logger } from '../logger';
import type { DataLayout } from '../storage/data-layout';
import {
  type ImmichSyncState,
  SyncAlreadyRunningError,
  type SyncProgress,
  syncImmich,
} from './immich-sync.service';

/** First retry after Immich could not be reached; doubled each time up to the interval. */
const FIRST_RETRY_MS = 30_000;

/**
 * Syncs the Immich source at start and every interval inside `pnpm start`, one run at a time.
 * Immich unreachable or 5xx: retried with back-off (30 s, 1 min, 2 min … up to the interval), the
 * gallery meanwhile showing what it has. A refused key: said once, tried again only at the next
 * interval (no retry storm). Another process syncing the same server (`pnpm immich:sync`): retried
 * with the same back-off. `syncNow()` runs one at once (the page's "Sync now").
 */
export class ImmichSyncSchedule {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private progress: SyncProgress | null = null;
  private failures = 0;
  private lastLogged = '';
  private nextRunAt: Date | null = null;
  private stopped = false;

  constructor(
    private readonly db: Database,
    private readonly immich: ImmichSource,
    private readonly layout: DataLayout,
    private readonly logger: Logger,
    private readonly intervalMs: number,
    private readonly firstRetryMs = FIRST_RETRY_MS,
  ) {}

  /** Starts the first sync now and schedules the next ones (none when the interval is 0). */
  start(): void {
    void this.syncNow();
  }

  /** Runs a sync unless one is running; resolves when that run ends (never rejects). */
  syncNow(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  async status(): Promise<ImmichSyncStatus> {
    const source = await findMediaSource(this.db, 'immich', this.immich.client.baseUrl);
    const state = (source?.syncState ?? {}) as ImmichSyncState;
    // A sync of this server by another process (`pnpm immich:sync`, a second app on the same
    // PostgreSQL) holds the source's lease: running too, though its progress is not known here.
    const elsewhere =
      this.running === undefined && source ? await findLiveSyncLease(this.db, source.id) : null;
    return {
      url: this.immich.client.baseUrl,
      running: this.running !== undefined || elsewhere !== null,
      progress: this.progress,
      lastRun: state.lastRun ?? null,
      lastSuccessAt: state.lastSuccessAt ?? null,
      lastError: state.lastError ?? null,
      nextRunAt: this.nextRunAt?.toISOString() ?? null,
      intervalMinutes: this.intervalMs / 60_000,
    };
  }

  private async run(): Promise<void> {
    clearTimeout(this.timer);
    this.nextRunAt = null;
    let delay = this.intervalMs;
    try {
      const source =
        (await findMediaSource(this.db, 'immich', this.immich.client.baseUrl)) ??
        this.immich.source;
      const summary = await syncImmich(
        { ...this.immich, source, db: this.db, layout: this.layout },
        { onProgress: (p) => (this.progress = p) },
      );
      this.failures = 0;
      this.lastLogged = '';
      if (summary.added || summary.updated || summary.removed || summary.resumed)
        this.logger.info('Immich sync done', {
          added: summary.added,
          updated: summary.updated,
          removed: summary.removed,
          skipped: summary.skipped,
          seconds: Number(summary.seconds.toFixed(1)),
        });
    } catch (error) {
      const message = (error as Error).message;
      // Immich unreachable, or another process syncing the same server: try again soon.
      if (error instanceof ImmichUnavailableError || error instanceof SyncAlreadyRunningError) {
        this.failures++;
        const backOff = this.firstRetryMs * 2 ** (this.failures - 1);
        delay = Math.min(backOff, this.intervalMs);
      }
      // Each different failure is said once; the same one again stays quiet.
      if (message !== this.lastLogged) {
        this.logger.error(
          error instanceof ImmichAuthError ? 'Immich sync stopped' : 'Immich sync failed',
          { error: message },
        );
        this.lastLogged = message;
      }
    } finally {
      this.progress = null;
    }
    if (!this.stopped && delay > 0) {
      this.nextRunAt = new Date(Date.now() + delay);
      this.timer = setTimeout(() => void this.syncNow(), delay);
      this.timer.unref();
    }
  }
}
