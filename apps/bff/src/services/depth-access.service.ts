import type { Queryable } from '../db/database';
import { recordDepthMapAccess } from '../db/queries/library.queries';
import type { Logger } from '../logger';

/**
 * Counts depth map reads off the request path: reads are tallied in memory and written in one
 * statement per interval (accessed_at, access_count drive cache eviction, not the response).
 */
export class DepthAccessRecorder {
  private pending = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Queryable,
    private readonly logger: Logger,
    intervalMs = 1_000,
  ) {
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  record(depthMapId: string): void {
    this.pending.set(depthMapId, (this.pending.get(depthMapId) ?? 0) + 1);
  }

  /** Writes the tally so far. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.pending.size === 0) return;
      const batch = this.pending;
      this.pending = new Map();
      try {
        await recordDepthMapAccess(this.db, batch);
      } catch (error) {
        // Not worth failing anything for: the counts are a cache-eviction hint.
        this.logger.warn('could not record depth map reads', { error: (error as Error).message });
      }
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
