import { Worker } from 'node:worker_threads';
import { threadExecArgv } from '../../util/thread-exec-argv';
import type { Listener } from '../listen';
import type { EngineError, EngineReply, EngineRequest } from './embedded-protocol';

/** The start of every error a stopped engine thread gives (isDatabaseUnavailable: a 503). */
export const ENGINE_STOPPED = 'The embedded database stopped';

/**
 * The thread every embedded database of this process runs on (embedded-engine-thread.ts), started
 * with the first one. It keeps the process alive only while a request is waiting on it. When it
 * stops (it crashed, or was terminated), every waiting request fails, and so does every later one:
 * the next `engineThread()` starts a new thread.
 */
export class EngineThread {
  private readonly worker: Worker;
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  private readonly listeners = new Map<number, Listener>();
  private readonly stopWatchers = new Set<(error: Error) => void>();
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
      this.stopped = new Error(`${ENGINE_STOPPED}: ${error.message}`);
      onStopped();
      for (const waiting of this.pending.values()) waiting.reject(this.stopped);
      this.pending.clear();
      for (const watcher of this.stopWatchers) watcher(this.stopped);
      this.stopWatchers.clear();
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

  /** Calls `watcher` once when the thread stops (at once if it has); returns a way to stop watching. */
  onStop(watcher: (error: Error) => void): () => void {
    if (this.stopped) {
      watcher(this.stopped);
      return () => undefined;
    }
    this.stopWatchers.add(watcher);
    return () => this.stopWatchers.delete(watcher);
  }

  /** Ends the thread at once, as a crash would (tests of what survives one). */
  async terminate(): Promise<void> {
    await this.worker.terminate();
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

/** The process's engine thread, started on first use and again after it stopped. */
export function engineThread(): EngineThread {
  if (!shared) {
    const thread: EngineThread = new EngineThread(() => {
      if (shared === thread) shared = undefined;
    });
    shared = thread;
  }
  return shared;
}

/**
 * Kills the engine thread as a crash would, for tests: every embedded database of the process loses
 * it; those kept in a data folder open again on a new one, in-memory ones are gone.
 */
export async function crashEngineThreadForTests(): Promise<void> {
  await shared?.terminate();
}

/** The error as the BFF would have seen it in-process: its message and PostgreSQL's fields. */
function errorFrom(error: EngineError): Error {
  const rebuilt = new Error(error.message);
  rebuilt.name = error.name;
  return Object.assign(rebuilt, error.fields);
}
