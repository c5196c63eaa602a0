import type pg from 'pg';
// pg's own parameter serialisation (Date → timestamptz text, arrays → array literals, objects → JSON).
// @ts-expect-error: pg ships no types for its internal utils module
import pgUtils from 'pg/lib/utils.js';
import type { Database, Queryable } from '../database';
import type { Listener } from '../listen';
import type { EngineRows } from './embedded-protocol';
import { ENGINE_STOPPED, type EngineThread, engineThread } from './engine-thread';

const { prepareValue } = pgUtils as { prepareValue: (value: unknown) => unknown };

/**
 * After the engine thread stopped, a database kept in a folder is opened again on a new one after
 * this wait, doubled (up to REOPEN_MAX_MS) each time it stops again soon after opening or cannot be
 * opened: a data folder that crashes the engine is not reopened in a tight loop.
 */
const REOPEN_MIN_MS = 50;
const REOPEN_MAX_MS = 5_000;
/** An engine that ran this long before stopping starts the wait over. */
const STABLE_MS = 10_000;

/** The database open on one engine thread. */
interface Connection {
  thread: EngineThread;
  db: number;
  openedAt: number;
}

/** A LISTEN of this database's user, and where it listens now (none while the engine is down). */
interface Listening {
  channel: string;
  listener: Listener;
  on?: { thread: EngineThread; listenId: number };
}

function queryResultOf(result: EngineRows): pg.QueryResult {
  return {
    rows: result.rows,
    rowCount: result.affectedRows ?? result.rows.length,
    command: '',
    oid: 0,
    fields: result.fields as pg.FieldDef[],
  };
}

/**
 * An embedded PostgreSQL (PGlite) on its own thread, behind the same interface as a pg.Pool.
 * Parameters are serialised here the way node-postgres does; rows are parsed there with
 * node-postgres' parsers, so both engines return the same values.
 *
 * When the engine thread stops (a crash), what was running fails as a lost connection would (a 503
 * for HTTP), and a database kept in a folder is opened again on a new thread — PostgreSQL's own
 * recovery replays its log — with its LISTENs (listeners hear onError, then onReconnect). Until it
 * is open, statements fail at once; while it is being opened, they wait for it. An in-memory
 * database cannot come back: its data went with the thread.
 *
 * PGlite's own node-postgres bridge is not used: after a failed parameterised query its connection
 * stopped answering ("Connection terminated unexpectedly").
 */
export async function openEmbeddedDatabase(options: {
  dataDir: string | undefined;
  loadDataDir?: Blob;
  onClose?: () => Promise<void>;
}): Promise<Database> {
  const open = async (load?: ArrayBuffer): Promise<Connection> => {
    const thread = engineThread();
    const db = await thread.request<number>(
      { op: 'open', dataDir: options.dataDir, ...(load ? { loadDataDir: load } : {}) },
      load ? [load] : [],
    );
    return { thread, db, openedAt: performance.now() };
  };

  let live: Connection | undefined;
  /** An open in progress after the engine stopped: statements wait for it. */
  let reopening: Promise<Connection> | undefined;
  /** Why there is no open database now (the stop, or the last failed open). */
  let down: Error | undefined;
  let closed = false;
  let waitMs = REOPEN_MIN_MS;
  const listening = new Set<Listening>();

  const adopt = (connection: Connection) => {
    live = connection;
    connection.thread.onStop((error) => {
      if (live !== connection) return;
      live = undefined;
      down = error;
      for (const entry of listening) {
        entry.on = undefined;
        entry.listener.onError?.(error);
      }
      if (closed || !options.dataDir) return;
      const ranMs = performance.now() - connection.openedAt;
      waitMs = ranMs >= STABLE_MS ? REOPEN_MIN_MS : Math.min(waitMs * 2, REOPEN_MAX_MS);
      reopenLater();
    });
  };

  const listenOn = async (connection: Connection, entry: Listening) => {
    const listenId = await connection.thread.request<number>({
      op: 'listen',
      db: connection.db,
      channel: entry.channel,
    });
    connection.thread.listen(listenId, entry.listener);
    entry.on = { thread: connection.thread, listenId };
  };

  const reopenLater = () => {
    const timer = setTimeout(() => {
      if (closed) return;
      reopening = open().then(
        async (connection) => {
          reopening = undefined;
          down = undefined;
          adopt(connection);
          for (const entry of listening) {
            await listenOn(connection, entry);
            entry.listener.onReconnect?.();
          }
          return connection;
        },
        (error: Error) => {
          reopening = undefined;
          down = error.message.startsWith(ENGINE_STOPPED)
            ? error
            : new Error(`${ENGINE_STOPPED} and could not be opened again: ${error.message}`);
          waitMs = Math.min(waitMs * 2, REOPEN_MAX_MS);
          reopenLater();
          throw down;
        },
      );
      reopening.catch(() => undefined);
    }, waitMs);
    timer.unref();
  };

  /** The open database; while it is being opened again, once it is. */
  const connection = (): Connection | Promise<Connection> => {
    if (live) return live;
    if (reopening) return reopening;
    return Promise.reject(closed ? new Error('The embedded database is closed') : down);
  };

  const load = options.loadDataDir ? await options.loadDataDir.arrayBuffer() : undefined;
  adopt(await open(load));

  /** Statements on the open database (tx: in that transaction, on the connection it began on). */
  const queryable = (tx?: { connection: Connection; id: number }): Queryable =>
    ({
      async query(text: string, params?: unknown[]) {
        const { thread, db } = tx?.connection ?? (await connection());
        const rows = await thread.request<EngineRows>({
          op: 'query',
          db,
          tx: tx?.id,
          text,
          params: (params ?? []).map(prepareValue),
        });
        return queryResultOf(rows);
      },
      async exec(script: string) {
        const { thread, db } = tx?.connection ?? (await connection());
        await thread.request({ op: 'exec', db, tx: tx?.id, script });
      },
    }) as Queryable;

  return {
    engine: 'embedded',
    ...queryable(),
    // PGlite runs one statement at a time; a transaction holds it until it ends.
    async transaction(fn) {
      const on = await connection();
      const id = await on.thread.request<number>({ op: 'begin', db: on.db });
      let result: Awaited<ReturnType<typeof fn>>;
      try {
        result = await fn(queryable({ connection: on, id }));
      } catch (error) {
        await on.thread.request({ op: 'end', tx: id, commit: false }).catch(() => undefined);
        throw error;
      }
      await on.thread.request({ op: 'end', tx: id, commit: true });
      return result;
    },
    async listen(channel, listener) {
      const entry: Listening = { channel, listener };
      listening.add(entry);
      try {
        await listenOn(await connection(), entry);
      } catch (error) {
        listening.delete(entry);
        throw error;
      }
      return async () => {
        listening.delete(entry);
        const on = entry.on;
        entry.on = undefined;
        if (!on) return;
        on.thread.unlisten(on.listenId);
        await on.thread.request({ op: 'unlisten', listenId: on.listenId }).catch((error: Error) => {
          if (!error.message.startsWith(ENGINE_STOPPED)) throw error;
        });
      };
    },
    async dumpDataDir() {
      const { thread, db } = await connection();
      return new Blob([await thread.request<ArrayBuffer>({ op: 'dump', db })]);
    },
    async close() {
      closed = true;
      const last = live ?? (await reopening?.catch(() => undefined));
      live = undefined;
      // A stopped engine has nothing left to close; the data folder's lock is let go either way.
      if (last)
        await last.thread.request({ op: 'close', db: last.db }).catch((error: Error) => {
          if (!error.message.startsWith(ENGINE_STOPPED)) throw error;
        });
      await options.onClose?.();
    },
  } as Database;
}
