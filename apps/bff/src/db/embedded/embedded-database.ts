import { Worker } from 'node:worker_threads';
import type pg from 'pg';
// pg's own parameter serialisation (Date → timestamptz text, arrays → array literals, objects → JSON).
// @ts-expect-error: pg ships no types for its internal utils module
import pgUtils from 'pg/lib/utils.js';
import { threadExecArgv } from '../../util/thread-exec-argv';
import type { Database, Queryable } from '../database';
import type { Listener } from '../listen';
import type { EngineError, EngineReply, EngineRequest, EngineRows } from './embedded-protocol';

const { prepareValue } = pgUtils as { prepareValue: (value: unknown) => unknown };

/**
 * The thread every embedded database of this process runs on (embedded-engine-thread.ts), started
 * with the first one. It keeps the process alive only while a request is waiting on it.
 */
class EngineThread {
  private readonly worker: Worker;
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  private readonly listeners = new Map<number, Listener>();
  private nextId = 1;
  private stopped: Error | undefined;

  constructor(onStopped: () => void) {
    this.worker = new Worker(new URL('./embedded-engine-entry.mjs', import.meta.url), {
      execArgv: threadExecArgv(),
    });
    this.worker.unref();
    this.worker.on('message', (reply: EngineReply) => this.receive(reply));
    const stop = (error: Error) => {
      if (this.stopped) return;
      this.stopped = new Error(`The embedded database stopped: ${error.message}`);
      onStopped();
      for (const waiting of this.pending.values()) waiting.reject(this.stopped);
      this.pending.clear();
    };
    this.worker.on('error', stop);
    this.worker.on('exit', (code) => stop(new Error(`its thread exited (code ${code})`)));
  }

  request<T>(request: EngineRequest, transfer: ArrayBuffer[] = []): Promise<T> {
    if (this.stopped) return Promise.reject(this.stopped);
    const id = this.nextId++;
    if (this.pending.size === 0) this.worker.ref();
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ ...request, id }, transfer);
    });
  }

  listen(listenId: number, listener: Listener) {
    this.listeners.set(listenId, listener);
  }

  unlisten(listenId: number) {
    this.listeners.delete(listenId);
  }

  private receive(reply: EngineReply) {
    if (reply.kind === 'notify') {
      this.listeners.get(reply.listenId)?.onNotify(reply.payload);
      return;
    }
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if (reply.ok) waiting.resolve(reply.result);
    else waiting.reject(errorFrom(reply.error));
  }
}

let shared: EngineThread | undefined;

function engineThread(): EngineThread {
  if (!shared) {
    const thread: EngineThread = new EngineThread(() => {
      if (shared === thread) shared = undefined;
    });
    shared = thread;
  }
  return shared;
}

/** The error as the BFF would have seen it in-process: its message and PostgreSQL's fields. */
function errorFrom(error: EngineError): Error {
  const rebuilt = new Error(error.message);
  rebuilt.name = error.name;
  return Object.assign(rebuilt, error.fields);
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
 * PGlite's own node-postgres bridge is not used: after a failed parameterised query its connection
 * stopped answering ("Connection terminated unexpectedly").
 */
export async function openEmbeddedDatabase(options: {
  dataDir: string | undefined;
  loadDataDir?: Blob;
  onClose?: () => Promise<void>;
}): Promise<Database> {
  const thread = engineThread();
  const load = options.loadDataDir ? await options.loadDataDir.arrayBuffer() : undefined;
  const db = await thread.request<number>(
    { op: 'open', dataDir: options.dataDir, ...(load ? { loadDataDir: load } : {}) },
    load ? [load] : [],
  );

  const queryable = (tx?: number): Queryable =>
    ({
      async query(text: string, params?: unknown[]) {
        const rows = await thread.request<EngineRows>({
          op: 'query',
          db,
          tx,
          text,
          params: (params ?? []).map(prepareValue),
        });
        return queryResultOf(rows);
      },
      async exec(script: string) {
        await thread.request({ op: 'exec', db, tx, script });
      },
    }) as Queryable;

  return {
    engine: 'embedded',
    ...queryable(),
    // PGlite runs one statement at a time; a transaction holds it until it ends.
    async transaction(fn) {
      const tx = await thread.request<number>({ op: 'begin', db });
      let result: Awaited<ReturnType<typeof fn>>;
      try {
        result = await fn(queryable(tx));
      } catch (error) {
        await thread.request({ op: 'end', tx, commit: false }).catch(() => undefined);
        throw error;
      }
      await thread.request({ op: 'end', tx, commit: true });
      return result;
    },
    async listen(channel, listener) {
      const listenId = await thread.request<number>({ op: 'listen', db, channel });
      thread.listen(listenId, listener);
      return async () => {
        thread.unlisten(listenId);
        await thread.request({ op: 'unlisten', listenId });
      };
    },
    async dumpDataDir() {
      return new Blob([await thread.request<ArrayBuffer>({ op: 'dump', db })]);
    },
    async close() {
      await thread.request({ op: 'close', db });
      await options.onClose?.();
    },
  } as Database;
}
