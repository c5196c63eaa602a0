import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Database } from '../db/database';
import { listImportedPaths, type NewMediaItem } from '../db/queries/ingest.queries';
import { ensureMediaSource } from '../db/queries/media-sources.queries';
import { describeMediaFile } from '../import/describe-media-file';
import { listFiles } from '../import/scan-folder';
import { ingestMedia } from './ingest.service';

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

  // The folder is walked while the database looks up what it already has of it.
  const [source, known, files] = await Promise.all([
    ensureMediaSource(db, 'folder', root),
    listImportedPaths(db, root),
    listFiles(root),
  ]);
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
  let processed = summary.alreadyImported;
  options.onProgress?.({ processed, total: files.length, added: 0 });

  const readBatch = (start: number) =>
    mapConcurrent(fresh.slice(start, start + BATCH_SIZE), READ_CONCURRENCY, (file) =>
      describeMediaFile(file, { ffprobePath: options.ffprobePath }),
    );
  let reading = readBatch(0);
  for (let start = 0; start < fresh.length; start += BATCH_SIZE) {
    const batch = fresh.slice(start, start + BATCH_SIZE);
    const read = await reading;
    // The next batch is read while this one is written: the disk and the database work at once.
    if (start + BATCH_SIZE < fresh.length) {
      reading = readBatch(start + BATCH_SIZE);
      reading.catch(() => undefined); // awaited next round; never an unhandled rejection meanwhile
    }
    const candidates: NewMediaItem[] = [];
    for (const [k, result] of read.entries()) {
      if ('reason' in result)
        summary.skipped.push({ file: batch[k] as string, reason: result.reason });
      else
        candidates.push({
          ...result,
          sourceId: source.id,
          externalId: path.relative(root, result.filePath),
        });
    }
    const ingested = await ingestMedia(db, candidates, {
      queuePriority: (options.queue ?? true) ? IMPORT_QUEUE_PRIORITY : null,
      refuseDuplicateContent: true,
    });
    for (const [relative, id] of ingested.added)
      summary.addedIds.set(path.join(root, relative), id);
    summary.added += ingested.added.size;
    summary.duplicates += ingested.duplicates.length;
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
