import { randomBytes } from 'node:crypto';
import { MEDIA_EVENTS, type MediaStatusEvent, PROCESSING_STATUSES } from '@immichvr/shared';
import { z } from 'zod';
import type { Database } from '../db/database';
import type { Unlisten } from '../db/listen';
import { findMediaStatus, type MediaStatusRow } from '../db/queries/events.queries';
import type { Logger } from '../logger';
import { toDepthMapSummary } from './library.service';

/** The channel the 04-media-events triggers NOTIFY on. */
export const MEDIA_EVENTS_CHANNEL = 'media_events';

/** Trigger payloads (04-media-events.sql). */
const notificationSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('queue'),
    mediaId: z.uuid(),
    queueId: z.uuid(),
    status: z.enum(PROCESSING_STATUSES),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    progress: z.number().int().nullable().optional(),
  }),
  z.object({ kind: z.literal('depth'), mediaId: z.uuid(), depthMapId: z.uuid().nullable() }),
  z.object({ kind: z.enum(['added', 'deleted']), mediaId: z.uuid() }),
]);

export interface SentEvent {
  /** `<boot id>-<sequence>`: resumable within one server run. */
  id: string;
  event: string;
  data: unknown;
}

export type EventSubscriber = (event: SentEvent) => void;

/**
 * Turns the database's NOTIFYs into numbered events for every connected client. Keeps the last
 * `bufferSize` events so a client reconnecting with Last-Event-ID gets what it missed; when it
 * cannot (too old, another server run, a lost LISTEN connection) the client is told to resync.
 */
export class MediaEvents {
  private readonly bootId = randomBytes(4).toString('hex');
  private sequence = 0;
  private readonly recent: SentEvent[] = [];
  private readonly subscribers = new Set<EventSubscriber>();
  private chain: Promise<void> = Promise.resolve();
  private unlisten: Unlisten | undefined;

  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
    private readonly bufferSize = 1000,
  ) {}

  async start(): Promise<void> {
    this.unlisten = await this.db.listen(MEDIA_EVENTS_CHANNEL, {
      // One at a time, in commit order: each event may need a lookup first.
      onNotify: (payload) => {
        this.chain = this.chain.then(() => this.handle(payload));
      },
      onError: (error) =>
        this.logger.warn('event listener lost its connection', { error: error.message }),
      onReconnect: () => {
        this.logger.info('event listener reconnected');
        this.chain = this.chain.then(() =>
          this.publish(MEDIA_EVENTS.resync, { reason: 'reconnected' }),
        );
      },
    });
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
    this.unlisten = undefined;
    await this.chain;
  }

  /** Waits until every notification received so far has been published (tests, shutdown). */
  settled(): Promise<void> {
    return this.chain;
  }

  get clientCount(): number {
    return this.subscribers.size;
  }

  /**
   * Adds a client. With `lastEventId`, first replays what it missed, or asks it to resync when
   * that is not possible.
   */
  subscribe(subscriber: EventSubscriber, lastEventId?: string): () => void {
    if (lastEventId !== undefined) {
      const missed = this.eventsAfter(lastEventId);
      if (missed) for (const event of missed) subscriber(event);
      else subscriber(this.unnumbered(MEDIA_EVENTS.resync, { reason: 'events were missed' }));
    }
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  private eventsAfter(lastEventId: string): SentEvent[] | null {
    const [boot, seq] = lastEventId.split('-');
    const after = Number(seq);
    if (boot !== this.bootId || !Number.isInteger(after) || after > this.sequence) return null;
    const oldest = this.sequence - this.recent.length;
    if (after < oldest) return null;
    return this.recent.slice(after - oldest);
  }

  private async handle(payload: string): Promise<void> {
    const parsed = notificationSchema.safeParse(safeJson(payload));
    if (!parsed.success) {
      this.logger.warn('ignored a malformed notification', { payload: payload.slice(0, 200) });
      return;
    }
    const n = parsed.data;
    if (n.kind === 'added' || n.kind === 'deleted') {
      this.publish(n.kind === 'added' ? MEDIA_EVENTS.added : MEDIA_EVENTS.deleted, {
        mediaId: n.mediaId,
      });
      return;
    }
    let row: MediaStatusRow | null;
    try {
      row = await findMediaStatus(this.db, n.mediaId);
    } catch (error) {
      this.logger.warn('could not read a changed item; clients will resync', {
        mediaId: n.mediaId,
        error: (error as Error).message,
      });
      this.publish(MEDIA_EVENTS.resync, { reason: 'a change could not be read' });
      return;
    }
    if (!row) return; // deleted since: media.deleted follows
    const event: MediaStatusEvent =
      n.kind === 'queue'
        ? {
            mediaId: n.mediaId,
            queueId: n.queueId,
            status: n.status,
            attempts: n.attempts,
            lastError: n.lastError,
            progress: n.progress ?? null,
            depthMap: toDepthMapSummary(row),
          }
        : {
            mediaId: n.mediaId,
            queueId: row.queue_id,
            status: row.processing_status,
            attempts: row.processing_attempts,
            lastError: row.last_error,
            progress: row.processing_progress ?? null,
            depthMap: toDepthMapSummary(row),
          };
    this.publish(MEDIA_EVENTS.status, event);
  }

  private publish(event: string, data: unknown): void {
    const sent: SentEvent = { id: `${this.bootId}-${++this.sequence}`, event, data };
    this.recent.push(sent);
    if (this.recent.length > this.bufferSize) this.recent.shift();
    for (const subscriber of this.subscribers) {
      try {
        subscriber(sent);
      } catch (error) {
        this.logger.warn('an event subscriber failed', { error: (error as Error).message });
      }
    }
  }

  /** An event outside the numbered sequence (sent to one client). */
  private unnumbered(event: string, data: unknown): SentEvent {
    return { id: `${this.bootId}-${this.sequence}`, event, data };
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
