/**
 * Messages between the BFF's thread and the embedded engine's thread (embedded-engine-thread.ts).
 * Every request carries an id; the thread answers each with one reply of the same id. It also
 * sends `notify` messages, unasked, for LISTEN; they come before the reply of the statement whose
 * commit raised them.
 */
export type EngineRequest =
  | { op: 'open'; dataDir: string | undefined; loadDataDir?: ArrayBuffer }
  | { op: 'query'; db: number; tx?: number; text: string; params: unknown[] }
  | { op: 'exec'; db: number; tx?: number; script: string }
  | { op: 'begin'; db: number }
  | { op: 'end'; tx: number; commit: boolean }
  | { op: 'listen'; db: number; channel: string }
  | { op: 'unlisten'; listenId: number }
  | { op: 'dump'; db: number }
  | { op: 'close'; db: number };

export type EngineRequestMessage = EngineRequest & { id: number };

/** What a query returns across the threads (PGlite's Results, less what is not cloneable). */
export interface EngineRows {
  rows: Record<string, unknown>[];
  affectedRows: number | undefined;
  fields: { name: string; dataTypeID: number }[];
}

/** An error as plain data: message and PostgreSQL's fields (code, detail, constraint, …). */
export interface EngineError {
  name: string;
  message: string;
  fields: Record<string, string | number | boolean>;
}

export type EngineReply =
  | { kind: 'reply'; id: number; ok: true; result: unknown }
  | { kind: 'reply'; id: number; ok: false; error: EngineError }
  | { kind: 'notify'; listenId: number; payload: string };
