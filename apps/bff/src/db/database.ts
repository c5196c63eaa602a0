import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { DatabaseEngine } from '@immichvr/shared';
import pg from 'pg';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock';
import { openEmbeddedDatabase } from './embedded/embedded-database';
import { type Listener, listenPostgres, type Unlisten } from './listen';

export interface QueryOptions {
  /**
   * Prepare the statement once per connection under this name (PostgreSQL; hot paths such as the
   * queue claim, where planning would otherwise cost as much as running). Same name, same text.
   */
  prepareAs?: string;
}

/** Anything that runs a parameterised query: the database itself or a transaction's client. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    params?: unknown[],
    options?: QueryOptions,
  ): Promise<pg.QueryResult<R>>;
  /** Runs a script of several statements (migrations); returns nothing. */
  exec(script: string): Promise<void>;
}

/**
 * The one database interface of the BFF, over a `pg.Pool` or embedded PGlite. Rows come back typed
 * the same way on both (bigint and numeric as strings, timestamptz as Date, json parsed).
 */
export interface Database extends Queryable {
  readonly engine: DatabaseEngine;
  /** Runs fn in a transaction on one connection; use only `tx` inside it. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** LISTEN on a channel until the returned function is called. */
  listen(channel: string, listener: Listener): Promise<Unlisten>;
  /** Embedded only: the whole data folder as one tarball, for `loadDataDir` (test templates). */
  dumpDataDir?(): Promise<Blob>;
  close(): Promise<void>;
}

export type DatabaseOptions =
  | { engine: 'postgres'; url: string; maxConnections?: number }
  /**
   * dataDir: a folder to persist in, or undefined for an in-memory database (tests), which may
   * start from a dump of another (`loadDataDir`, from dumpDataDir): no initdb, ~2 s less.
   */
  | { engine: 'embedded'; dataDir: string | undefined; loadDataDir?: Blob };

/** The engine the environment asks for: PostgreSQL when DATABASE_URL is set, else embedded in DATA_DIR. */
export function databaseOptionsFromEnv(env: {
  databaseUrl: string | undefined;
  dataDir: string;
}): DatabaseOptions {
  return env.databaseUrl
    ? { engine: 'postgres', url: env.databaseUrl }
    : { engine: 'embedded', dataDir: env.dataDir };
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.engine === 'postgres') {
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: 5_000,
    });
    // An idle client losing its server must not crash the process; the next query reports it.
    pool.on('error', () => {});
    return wrapPool('postgres', pool, {
      listen: (channel, listener) => listenPostgres(options.url, channel, listener),
      close: async () => pool.end(),
    });
  }

  // The lock is this process's, taken here; the engine itself runs on its own thread.
  let lock: DataDirLock | undefined;
  let dataPath: string | undefined;
  if (options.dataDir) {
    await mkdir(options.dataDir, { recursive: true });
    lock = await acquireDataDirLock(options.dataDir);
    dataPath = path.join(options.dataDir, 'db');
  }
  try {
    return await openEmbeddedDatabase({
      dataDir: dataPath,
      loadDataDir: options.loadDataDir,
      onClose: async () => lock?.release(),
    });
  } catch (error) {
    await lock?.release();
    throw error;
  }
}

function wrapPool(
  engine: DatabaseEngine,
  pool: pg.Pool,
  rest: Pick<Database, 'listen' | 'close'>,
): Database {
  return {
    engine,
    query: (text, params, options) =>
      options?.prepareAs
        ? pool.query({ name: options.prepareAs, text, values: params ?? [] })
        : pool.query(text, params),
    async exec(script) {
      await pool.query(script);
    },
    async transaction(fn) {
      const client = await pool.connect();
      // A server going away between the transaction's statements is an 'error' event on the
      // checked-out client (the pool listens only to idle ones): unheard, it would crash the
      // process. The next statement fails and says so; the broken client is then discarded.
      let lost: Error | undefined;
      const onError = (error: Error) => {
        lost = error;
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const tx: Queryable = {
          query: (text, params, options) =>
            options?.prepareAs
              ? client.query({ name: options.prepareAs, text, values: params ?? [] })
              : client.query(text, params),
          async exec(script) {
            await client.query(script);
          },
        } as Queryable;
        const result = await fn(tx);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.off('error', onError);
        client.release(lost);
      }
    },
    ...rest,
  };
}

/** SQLSTATE classes and socket errors that mean "the database is not reachable right now". */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
]);

/** Whether an error means the database is down or restarting (a 503), not a bug (a 500). */
export function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' ? e.code : '';
  if (UNAVAILABLE_CODES.has(code)) return true;
  // 08: connection exception; 57P01–57P03: admin shutdown, crash shutdown, cannot connect now.
  if (/^08|^57P0[1-3]$/.test(code)) return true;
  const message = typeof e?.message === 'string' ? e.message : '';
  // The embedded engine's thread stopped: it is being opened again (embedded-database.ts).
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|^The embedded database stopped/i.test(
    message,
  );
}
