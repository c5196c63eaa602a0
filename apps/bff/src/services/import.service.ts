import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Database } from '../db/database';
import {
  findMediaByChecksums,
  insertMediaItems,
  listImportedPaths,
  type NewMediaItem,
  queueDepthJobs,
  registerMediaRoot,
} from '../db/queries/import.queries';
import { describeMediaFile } from '../import/describe-media-file';
import { listFiles } from '../import/scan-folder';

/** Priority of depth jobs queued by an import: behind anything a user asks for (default 5). */
export const IMPORT_QUEUE_PRIORITY = 7;
/** Rows per INSERT: large enough to amortise round trips, small enough to keep progress live. */
const BATCH_SIZE = 200;
/** Files read (hashed and probed) at once. */
const READ_CONCURRENCY = 4;

export interface ImportOptions {
  ffprobePath: string;
  /** Queue each new item for depth processing (default true). */
  queue?: boolean;
  onProgress?: (progress: ImportProgress) => void;
}

export interface ImportProgress {
  processed: number;
  total: number;
  added: number;
}

export interface ImportSummary {
  root: string;
  /** Files found under the root. */
  scanned: number;
  added: number;
  /** New files whose content the library already has (by SHA-256). */
  duplicates: number;
  /** Files imported by an earlier run, not read again. */
  alreadyImported: number;
  skipped: Array<{ file: string; reason: string }>;
  /** Ids of the added items by absolute path. */
  addedIds: Map<string, string>;
  seconds: number;
}

export class ImportError extends Error {
  override name = 'ImportError';
}

/**
 * Adds the photos and videos under `folder` to the library in place: nothing is copied, moved or
 * written there; rows point at the original files. Safe to re-run: only new files are read.
 */
export async function importFolder(
  db: Database,
  folder: string,
  options: ImportOptions,
): Promise<ImportSummary> {
  const started = performance.now();
  const root = path.resolve(folder);
  const rootStat = await stat(root).catch(() => undefined);
  if (!rootStat?.isDirectory()) throw new ImportError(`${root} is not a folder`);

  await registerMediaRoot(db, root);
  const known = await listImportedPaths(db, root);
  const files = await listFiles(root);
  const fresh = files.filter((f) => !known.has(f));
  const summary: ImportSummary = {
    root,
    scanned: files.length,
    added: 0,
    duplicates: 0,
    alreadyImported: files.length - fresh.length,
    skipped: [],
    addedIds: new Map(),
    seconds: 0,
  };
  const seenChecksums = new Set<string>();
  let processed = summary.alreadyImported;
  options.onProgress?.({ processed, total: files.length, added: 0 });

  for (let start = 0; start < fresh.length; start += BATCH_SIZE) {
    const batch = fresh.slice(start, start + BATCH_SIZE);
    const read = await mapConcurrent(batch, READ_CONCURRENCY, (file) =>
      describeMediaFile(file, { ffprobePath: options.ffprobePath }),
    );
    const candidates: NewMediaItem[] = [];
    for (const [k, result] of read.entries()) {
      if ('reason' in result)
        summary.skipped.push({ file: batch[k] as string, reason: result.reason });
      else candidates.push(result);
    }
    const existing = await findMediaByChecksums(
      db,
      candidates.map((c) => c.checksum),
    );
    const rows = candidates.filter((c) => {
      const duplicate = existing.has(c.checksum) || seenChecksums.has(c.checksum);
      seenChecksums.add(c.checksum);
      if (duplicate) summary.duplicates++;
      return !duplicate;
    });
    // Rows and their queue entries land together or not at all.
    const ids = await db.transaction(async (tx) => {
      const inserted = await insertMediaItems(tx, rows);
      if (options.queue ?? true)
        await queueDepthJobs(tx, [...inserted.values()], IMPORT_QUEUE_PRIORITY);
      return inserted;
    });
    for (const [file, id] of ids) summary.addedIds.set(file, id);
    summary.added += ids.size;
    processed += batch.length;
    options.onProgress?.({ processed, total: files.length, added: summary.added });
  }
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}

async function mapConcurrent<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  });
  await Promise.all(lanes);
  return results;
}
