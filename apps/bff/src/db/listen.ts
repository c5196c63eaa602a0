import pg from 'pg';

export interface Listener {
  /** Called with each NOTIFY payload, in commit order. */
  onNotify(payload: string): void;
  /** The connection was lost and is back: notifications in between were missed. */
  onReconnect?(): void;
  /** The connection was lost (logged by the caller); reconnecting continues in the background. */
  onError?(error: Error): void;
}

export type Unlisten = () => Promise<void>;

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 5_000;

/**
 * LISTEN on PostgreSQL over a dedicated connection (pooled ones are shared and recycled), kept up
 * across server restarts with capped back-off.
 */
export async function listenPostgres(
  url: string,
  channel: string,
  listener: Listener,
): Promise<Unlisten> {
  let client: pg.Client | undefined;
  let closed = false;
  let retryMs = RETRY_MIN_MS;
  let timer: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    next.on('notification', (message) => {
      if (message.channel === channel) listener.onNotify(message.payload ?? '');
    });
    next.on('error', (error) => lost(next, error));
    next.on('end', () => lost(next, new Error('LISTEN connection closed')));
    await next.connect();
    await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    client = next;
    retryMs = RETRY_MIN_MS;
  };

  const lost = (which: pg.Client, error: Error) => {
    if (closed || client !== which) return;
    client = undefined;
    which.end().catch(() => {});
    listener.onError?.(error);
    scheduleRetry();
  };

  const scheduleRetry = () => {
    timer = setTimeout(() => {
      connect().then(
        () => listener.onReconnect?.(),
        (error: Error) => {
          listener.onError?.(error);
          retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
          if (!closed) scheduleRetry();
        },
      );
    }, retryMs);
    timer.unref();
  };

  await connect();
  return async () => {
    closed = true;
    clearTimeout(timer);
    await client?.end().catch(() => {});
  };
}
