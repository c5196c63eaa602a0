import { COARSE_DEPTH_SIZE, MEDIA_EVENTS, type MediaStatusEvent } from '@immichvr/shared';
import type { Queryable } from '../db/database';
import { listLibraryPage } from '../db/queries/library.queries';
import type { Logger } from '../logger';
import type { CoarseDepthCache } from '../storage/coarse-depth-cache';
import type { MediaEvents } from './media-events.service';
import { type PreviewDeps, previewOf } from './preview.service';

/** The viewer's picture: the size the photo viewer opens with. */
const VIEWER_SIZE = 2048;
/** The gallery's thumbnail. */
const THUMBNAIL_SIZE = 256;
/** Newest items whose thumbnails are made at start: more than a first screen of the gallery. */
const FIRST_SCREEN_ITEMS = 60;
/** Items waiting at most; beyond, the oldest requests are dropped (made on first open instead). */
const MAX_WAITING = 5_000;

/**
 * Makes the viewer's 2048 px preview of photos and their coarse depth map ahead of their first
 * open, one at a time in the background: the newest photos with a depth map at start, and each
 * photo whose depth map has just been made (a worker in any process: its status event). Opening
 * such a photo then costs file reads instead of decoding and scaling the original (100–900 ms on
 * this kind of machine) and the depth map (~20 ms). At start it also makes the gallery's first
 * screen of thumbnails (newest items, videos too), after the viewer's previews they are scaled
 * from: on a first start they otherwise came 0.6–1.7 s after the page asked, made while it loaded.
 */
export class ViewerPreviewWarmer {
  private readonly waiting = new Set<string>();
  private readonly thumbnails = new Set<string>();
  private running: Promise<void> | undefined;
  private stopped = false;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly deps: PreviewDeps & { coarseDepth: CoarseDepthCache; logger: Logger },
  ) {}

  /** Follows depth maps as they are made, and warms the `newest` photos that have one now. */
  async start(db: Queryable, events: MediaEvents, newest = 50): Promise<void> {
    this.unsubscribe = events.subscribe((sent) => {
      if (sent.event !== MEDIA_EVENTS.status) return;
      const event = sent.data as MediaStatusEvent;
      if (event.status === 'completed' && event.depthMap) this.warm([event.mediaId]);
    });
    const rows = await listLibraryPage(db, newest, null, { mediaType: 'photo', hasDepth: true });
    const firstScreen = await listLibraryPage(db, FIRST_SCREEN_ITEMS, null);
    for (const row of firstScreen) this.thumbnails.add(row.media_id);
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
    this.thumbnails.clear();
    await this.running;
  }

  /** Resolves when nothing is waiting (tests). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /**
   * What is waiting, in batches: the coarse depth maps of a batch first (~20 ms each: they are
   * what the first 3D frame waits for), then its previews (100–900 ms each); thumbnails when no
   * viewer preview waits (a photo's ~10 ms from its viewer preview, a video's a frame from ffmpeg).
   */
  private async drain(): Promise<void> {
    while ((this.waiting.size > 0 || this.thumbnails.size > 0) && !this.stopped) {
      if (this.waiting.size === 0) {
        // Side by side: the preview cache makes as many at once as it allows.
        const ids = [...this.thumbnails];
        this.thumbnails.clear();
        await Promise.all(
          ids.map((id) =>
            this.ahead(id, 'thumbnail', () => previewOf(this.deps, id, THUMBNAIL_SIZE)),
          ),
        );
        continue;
      }
      const batch = [...this.waiting];
      this.waiting.clear();
      const photos: string[] = [];
      for (const id of batch) {
        if (this.stopped) return;
        await this.ahead(id, 'coarse depth map', async () => {
          if ((await this.deps.files.describe(id)).media_type !== 'photo') return;
          photos.push(id);
          const depth = await this.deps.files.depthMap(id).catch(() => null);
          if (depth?.row.mime_type === 'image/png')
            await this.deps.coarseDepth.get(
              { mediaId: id, depthMapId: depth.row.id, file: depth.file },
              COARSE_DEPTH_SIZE,
            );
        });
      }
      for (const id of photos) {
        if (this.stopped) return;
        await this.ahead(id, 'viewer preview', () => previewOf(this.deps, id, VIEWER_SIZE));
      }
    }
  }

  private async ahead(id: string, what: string, make: () => Promise<unknown>): Promise<void> {
    try {
      await make();
    } catch (error) {
      // Not fatal: it is made on first open instead, where the error is answered.
      this.deps.logger.debug(`${what} not made ahead`, { id, error: (error as Error).message });
    }
  }
}
