import { API } from '@immichvr/shared';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { AppDeps } from '../app-deps';
import type { SentEvent } from '../services/media-events.service';
import { routePath } from './route-path';

/** How long a client waits before reconnecting after the stream drops. */
const RETRY_MS = 3_000;
/** Events queued for one client that is not reading before it is dropped (it will resync). */
const MAX_PENDING_WRITES = 500;

/** Where these routes are mounted (app.ts); their paths are the shared contract's. */
export const EVENTS_MOUNT = '/api/events';

/**
 * GET /api/events: Server-Sent Events of every status change. A comment line every heartbeat
 * keeps proxies and the headset's browser from closing an idle stream. `Last-Event-ID` (header,
 * or `lastEventId` query for a first connect) replays what was missed.
 */
export function eventsRoutes({ events, heartbeatMs }: AppDeps) {
  return new Hono().get(routePath(API.events, EVENTS_MOUNT), (c) => {
    const lastEventId = c.req.header('last-event-id') ?? c.req.query('lastEventId');
    c.header('Cache-Control', 'no-cache, no-transform');
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, async (stream) => {
      let pending = 0;
      const send = (event: SentEvent) => {
        if (stream.aborted || stream.closed) return;
        if (++pending > MAX_PENDING_WRITES) {
          stream.abort();
          return;
        }
        stream
          .writeSSE({ id: event.id, event: event.event, data: JSON.stringify(event.data) })
          .finally(() => pending--)
          .catch(() => stream.abort());
      };
      await stream.write(`retry: ${RETRY_MS}\n: connected\n\n`);
      const unsubscribe = events.subscribe(send, lastEventId);
      const heartbeat = setInterval(() => {
        stream.write(': ping\n\n').catch(() => stream.abort());
      }, heartbeatMs);
      await new Promise<void>((resolve) => {
        stream.onAbort(() => resolve());
      });
      clearInterval(heartbeat);
      unsubscribe();
    });
  });
}
