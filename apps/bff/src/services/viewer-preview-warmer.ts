import { MEDIA_EVENTS, type MediaStatusEvent } from '@immichvr/shared';
import type { Queryable } from '../db/database';
import { listLibraryPage } from '../db/queries/library.queries';
import type { Logger } from '../logger';
import type { MediaEvents } from './media-events.service';
import { type PreviewDeps, previewOf } from './preview.service';

/** The viewer's picture: the size the photo viewer opens with. */
const VIEWER_SIZE = 2048;
/** Items waiting at most; beyond, the oldest requests are dropped (made on first open instead). */
const MAX_WAITING = 5_000;

/**
 * Makes the viewer's 2048 px preview of photos ahead of their first open, one at a time in the
 * background: the newest photos with a depth map at start, and each photo whose depth map has just
 * been made (a worker in any process: its status event). Opening such a photo then costs a file
 * read instead of decoding and scaling the original (100–900 ms on this kind of machine).
 */
export class ViewerPreviewWarmer {
  private readonly waiting = new Set<string>();
  private running: Promise<void> | undefined;
  private stopped = false;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly deps: PreviewDeps & { logger: Logger }) {}

  /** Follows depth maps as they are made, and warms the `newest` photos that have one now. */
  async start(db: Queryable, events: MediaEvents, newest = 50): Promise<void> {
    this.unsubscribe = events.subscribe((sent) => {
      if (sent.event !== MEDIA_EVENTS.status) return;
      const event = sent.data as MediaStatusEvent;
      if (event.status === 'completed' && event.depthMap) this.warm([event.mediaId]);
    });
    const rows = await listLibraryPage(db, newest, null, { mediaType: 'photo', hasDepth: true });
    this.warm(rows.map((r) => r.media_id));
  }

  warm(ids: readonly string[]): void {
    for (const id of ids) {
      if (this.waiting.size >= MAX_WAITING) {
        const oldest = this.waiting.values().next().value;
        if (oldest !== undefined) this.waiting.delete(oldest);
      }
      this.waiting.add(id);
    }
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
    });
  }

  /** Stops taking work; resolves once the preview being made (if any) is done. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.waiting.clear();
    await this.running;
  }

  /** Resolves when nothing is waiting (tests). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    for (const id of this.waiting) {
      this.waiting.delete(id);
      if (this.stopped) return;
      try {
        const row = await this.deps.files.describe(id);
        if (row.media_type === 'photo') await previewOf(this.deps, id, VIEWER_SIZE);
      } catch (error) {
        // Not fatal: the preview is made on first open instead, where the error is answered.
        this.deps.logger.debug('viewer preview not made ahead', {
          id,
          error: (error as Error).message,
        });
      }
    }
  }
}
