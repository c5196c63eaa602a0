import { randomBytes } from 'node:crypto';
import { MEDIA_EVENTS, type MediaStatusEvent, PROCESSING_STATUSES } from '@immichvr/shared';
import { z } from 'zod';
import type { Database } from '../db/database';
import type { Unlisten } from '../db/listen';
import { findMediaStatuses, type MediaStatusRow } from '../db/queries/events.queries';
import type { Logger } from '../logger';
import { toDepthMapSummary } from './library.service';

/** The channel the 04-media-events triggers NOTIFY on. */
export const MEDIA_EVENTS_CHANNEL = 'media_events';

/**
 * The changes one NOTIFY on the channel carries, in order: one (04, 07: a row changed) or a batch
 * of the rows one statement added (13-batched-insert-events: `mediaIds` of added items, `changes`
 * of new queue rows, each as its per-row payload). Unparseable JSON: none.
 */
export function mediaEventsOf(payload: string): unknown[] {
  const event = safeJson(payload) as { kind?: unknown; mediaIds?: unknown; changes?: unknown };
  if (typeof event !== 'object' || event === null) return [];
  if (Array.isArray(event.changes)) return event.changes;
  if (Array.isArray(event.mediaIds))
    return event.mediaIds.map((mediaId: unknown) => ({ kind: event.kind, mediaId }));
  return [event];
}

/** A reconnect of the LISTEN connection, queued in order with the notifications. */
const RESYNC = Symbol('resync');
/** Notifications looked up in one query at most. */
const MAX_BATCH = 500;

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
type Notification = z.infer<typeof notificationSchema>;

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
  /** Notifications (or a resync after a reconnect) not published yet, in commit order. */
  private readonly pending: Array<string | typeof RESYNC> = [];
  private draining: Promise<void> | undefined;
  private unlisten: Unlisten | undefined;

  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
    private readonly bufferSize = 1000,
  ) {}

  async start(): Promise<void> {
    this.unlisten = await this.db.listen(MEDIA_EVENTS_CHANNEL, {
      // In commit order; what arrived meanwhile is looked up together (one query per burst).
      onNotify: (payload) => this.enqueue(payload),
      onError: (error) =>
        this.logger.warn('event listener lost its connection', { error: error.message }),
      onReconnect: () => {
        this.logger.info('event listener reconnected');
        this.enqueue(RESYNC);
      },
    });
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
    this.unlisten = undefined;
    await this.settled();
  }

  /** Waits until every notification received so far has been published (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private enqueue(item: string | typeof RESYNC): void {
    this.pending.push(item);
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      await this.handleBatch(this.pending.splice(0, MAX_BATCH));
      // Let notifications that arrived meanwhile join the next batch.
      await new Promise((resolve) => setImmediate(resolve));
    }
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

  private async handleBatch(batch: Array<string | typeof RESYNC>): Promise<void> {
    const parsed: Array<Notification | typeof RESYNC> = [];
    for (const item of batch) {
      if (item === RESYNC) {
        parsed.push(item);
        continue;
      }
      const changes = mediaEventsOf(item);
      if (changes.length === 0)
        this.logger.warn('ignored a malformed notification', { payload: item.slice(0, 200) });
      for (const change of changes) {
        const n = notificationSchema.safeParse(change);
        if (n.success) parsed.push(n.data);
        else this.logger.warn('ignored a malformed notification', { payload: item.slice(0, 200) });
      }
    }
    const lookups = parsed.flatMap((n) =>
      n !== RESYNC && n.kind !== 'added' && n.kind !== 'deleted' ? [n.mediaId] : [],
    );
    let rows: Map<string, MediaStatusRow>;
    try {
      rows = await findMediaStatuses(this.db, lookups);
    } catch (error) {
      this.logger.warn('could not read changed items; clients will resync', {
        items: lookups.length,
        error: (error as Error).message,
      });
      rows = new Map();
      // What needs no lookup still goes out in order; the rest is covered by one resync.
      for (const n of parsed)
        if (n === RESYNC || n.kind === 'added' || n.kind === 'deleted') this.publishOne(n, rows);
      this.publish(MEDIA_EVENTS.resync, { reason: 'a change could not be read' });
      return;
    }
    for (const n of parsed) this.publishOne(n, rows);
  }

  private publishOne(n: Notification | typeof RESYNC, rows: Map<string, MediaStatusRow>): void {
    if (n === RESYNC) {
      this.publish(MEDIA_EVENTS.resync, { reason: 'reconnected' });
      return;
    }
    if (n.kind === 'added' || n.kind === 'deleted') {
      this.publish(n.kind === 'added' ? MEDIA_EVENTS.added : MEDIA_EVENTS.deleted, {
        mediaId: n.mediaId,
      });
      return;
    }
    const row = rows.get(n.mediaId);
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
