/**
 * The embedded engine's own thread: every PGlite of the process runs here, so a statement's work
 * (planning, executing, the triggers, writing pages) no longer holds the thread that serves HTTP,
 * reads files and hashes them. Requests come from embedded-database.ts; see embedded-protocol.ts.
 */
import { parentPort } from 'node:worker_threads';
import { PGlite, type Results, type Transaction } from '@electric-sql/pglite';
import pg from 'pg';
import type {
  EngineError,
  EngineReply,
  EngineRequest,
  EngineRequestMessage,
  EngineRows,
} from './embedded-protocol';

if (!parentPort) throw new Error('embedded-engine-thread runs as a worker thread');
const port = parentPort;

const databases = new Map<number, PGlite>();
const transactions = new Map<
  number,
  { tx: Transaction; end: (commit: boolean) => void; done: Promise<void> }
>();
const unlisteners = new Map<number, () => Promise<void>>();
let nextHandle = 1;

/** Thrown inside PGlite's transaction callback to make it roll back. */
const ROLL_BACK = Symbol('roll back');

/**
 * Parsers for every type node-postgres parses, so embedded rows come back typed exactly as
 * PostgreSQL rows do through `pg` (int8 and numeric as strings, timestamptz as Date, json parsed).
 */
function pgCompatibleParsers(): Record<number, (value: string) => unknown> {
  const unknownParser = pg.types.getTypeParser(0x7fffffff as never);
  const parsers: Record<number, (value: string) => unknown> = {};
  for (let oid = 0; oid < 10_000; oid++) {
    const parser = pg.types.getTypeParser(oid as never);
    if (parser !== unknownParser) parsers[oid] = parser as (value: string) => unknown;
  }
  return parsers;
}
const parsers = pgCompatibleParsers();

function databaseOf(handle: number): PGlite {
  const db = databases.get(handle);
  if (!db) throw new Error('The embedded database is closed');
  return db;
}

/** The transaction a statement runs in, or the database itself. */
function targetOf(db: number, tx: number | undefined): PGlite | Transaction {
  if (tx === undefined) return databaseOf(db);
  const open = transactions.get(tx);
  if (!open) throw new Error('The transaction has already ended');
  return open.tx;
}

function rowsOf(result: Results | undefined): EngineRows {
  return {
    rows: (result?.rows ?? []) as Record<string, unknown>[],
    affectedRows: result?.affectedRows,
    fields: (result?.fields ?? []).map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })),
  };
}

async function handle(request: EngineRequest): Promise<unknown> {
  switch (request.op) {
    case 'open': {
      const pglite = new PGlite({
        dataDir: request.dataDir,
        parsers,
        ...(request.loadDataDir ? { loadDataDir: new Blob([request.loadDataDir]) } : {}),
      });
      await pglite.waitReady;
      const handle = nextHandle++;
      databases.set(handle, pglite);
      return handle;
    }
    case 'query':
      return rowsOf(await targetOf(request.db, request.tx).query(request.text, request.params));
    case 'exec':
      await targetOf(request.db, request.tx).exec(request.script);
      return null;
    case 'begin':
      return begin(databaseOf(request.db));
    case 'end': {
      const open = transactions.get(request.tx);
      if (!open) throw new Error('The transaction has already ended');
      transactions.delete(request.tx);
      open.end(request.commit);
      await open.done;
      return null;
    }
    case 'listen': {
      const listenId = nextHandle++;
      const unlisten = await databaseOf(request.db).listen(request.channel, (payload) =>
        post({ kind: 'notify', listenId, payload }),
      );
      unlisteners.set(listenId, unlisten);
      return listenId;
    }
    case 'unlisten': {
      const unlisten = unlisteners.get(request.listenId);
      unlisteners.delete(request.listenId);
      await unlisten?.();
      return null;
    }
    case 'dump': {
      const blob = await databaseOf(request.db).dumpDataDir('none');
      return blob.arrayBuffer();
    }
    case 'close': {
      const db = databases.get(request.db);
      databases.delete(request.db);
      await db?.close();
      return null;
    }
  }
}

/**
 * Opens a transaction that stays open across messages: PGlite's callback waits until an `end`
 * request says commit (return) or roll back (throw). Resolves with the transaction's handle once
 * BEGIN has run; PGlite runs nothing else meanwhile.
 */
function begin(db: PGlite): Promise<number> {
  return new Promise((resolve, reject) => {
    const handle = nextHandle++;
    let begun = false;
    const open = { done: Promise.resolve() };
    open.done = db
      .transaction(async (tx) => {
        const commit = await new Promise<boolean>((end) => {
          transactions.set(handle, { tx, end, done: open.done });
          begun = true;
          resolve(handle);
        });
        if (!commit) throw ROLL_BACK;
      })
      .then(
        () => undefined,
        (error: unknown) => {
          if (error === ROLL_BACK) return;
          if (!begun) reject(error);
          else throw error;
        },
      );
    // Until `end` awaits it, a failed commit must not go unhandled.
    open.done.catch(() => undefined);
  });
}

function errorOf(error: unknown): EngineError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), fields: {} };
  const fields: EngineError['fields'] = {};
  for (const [key, value] of Object.entries(error)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      fields[key] = value;
  }
  return { name: error.name, message: error.message, fields };
}

function post(reply: EngineReply) {
  const transfer = reply.kind === 'reply' && reply.ok && reply.result instanceof ArrayBuffer;
  port.postMessage(reply, transfer ? [reply.result as ArrayBuffer] : []);
}

port.on('message', (message: EngineRequestMessage) => {
  handle(message).then(
    (result) => post({ kind: 'reply', id: message.id, ok: true, result }),
    (error: unknown) => post({ kind: 'reply', id: message.id, ok: false, error: errorOf(error) }),
  );
});
