import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Database } from '../db/database';
import {
  archiveFinishedJobs,
  deleteLeastRecentlyReadDepthMaps,
  evictableDepthBytes,
  listDepthMapFiles,
} from '../db/queries/maintenance.queries';
import { findActiveJob, insertQueuedJob } from '../db/queries/queue.queries';
import { sha256File } from '../import/hash-file';
import { removeCoarseDepthMaps } from '../storage/coarse-depth-cache';
import type { DataLayout } from '../storage/data-layout';
import { GROUND_TRUTH_MODEL } from './demo-library.service';

/** Priority of depth maps re-queued by verification: behind user requests and imports. */
const VERIFY_QUEUE_PRIORITY = 8;
/** Rows deleted per statement while evicting. */
const EVICT_BATCH = 500;

export interface EvictSummary {
  before: number;
  after: number;
  removed: number;
}

/**
 * Removes the least recently read depth maps (by accessed_at) until the evictable total is at most
 * `maxBytes`: each row is deleted first, its file right after the commit, so no row ever points at
 * a missing file. Ground truth is never evicted.
 */
export async function evictDepthMaps(
  db: Database,
  layout: DataLayout,
  maxBytes: number,
): Promise<EvictSummary> {
  const before = await evictableDepthBytes(db);
  let total = before;
  let removed = 0;
  while (total > maxBytes) {
    const deleted = await deleteLeastRecentlyReadDepthMaps(db, total - maxBytes, EVICT_BATCH);
    if (deleted.length === 0) break;
    await Promise.all(
      deleted.flatMap((row) => [
        rm(row.file_path, { force: true }),
        removeCoarseDepthMaps(layout, row.media_item_id),
      ]),
    );
    removed += deleted.length;
    total -= deleted.reduce((sum, row) => sum + Number(row.file_size), 0);
  }
  return { before, after: total, removed };
}

export interface VerifySummary {
  checked: number;
  ok: number;
  missing: Array<{ mediaId: string; file: string }>;
  corrupt: Array<{ mediaId: string; file: string }>;
  requeued: number;
  /** Files in DATA_DIR/depth that no row points at. */
  orphans: string[];
  removedOrphans: number;
}

/**
 * Re-hashes every depth map against its checksum. Missing or corrupt ones are reported and queued
 * again (ground truth cannot be re-made: reported only). Files in DATA_DIR/depth with no row are
 * reported and, with `fix`, removed.
 */
export async function verifyDepthMaps(
  db: Database,
  layout: DataLayout,
  options: { fix: boolean; onProgress?: (done: number, total: number) => void },
): Promise<VerifySummary> {
  const rows = await listDepthMapFiles(db);
  const summary: VerifySummary = {
    checked: rows.length,
    ok: 0,
    missing: [],
    corrupt: [],
    requeued: 0,
    orphans: [],
    removedOrphans: 0,
  };
  for (const [i, row] of rows.entries()) {
    const exists = (await stat(row.file_path).catch(() => null))?.isFile() ?? false;
    const healthy =
      exists && (row.checksum === null || (await sha256File(row.file_path)) === row.checksum);
    if (healthy) summary.ok++;
    else {
      (exists ? summary.corrupt : summary.missing).push({
        mediaId: row.media_item_id,
        file: row.file_path,
      });
      if (row.model_name !== GROUND_TRUTH_MODEL) {
        const queued = await db.transaction(async (tx) => {
          if (await findActiveJob(tx, row.media_item_id)) return false;
          await insertQueuedJob(tx, row.media_item_id, VERIFY_QUEUE_PRIORITY, 'system');
          return true;
        });
        if (queued) summary.requeued++;
      }
    }
    options.onProgress?.(i + 1, rows.length);
  }
  const known = new Set(rows.map((r) => r.file_path));
  const entries = await readdir(layout.depthMaps, { recursive: true, withFileTypes: true }).catch(
    () => [],
  );
  for (const entry of entries) {
    const file = path.join(entry.parentPath, entry.name);
    if (entry.isFile() && !known.has(file)) summary.orphans.push(file);
  }
  if (options.fix) {
    for (const file of summary.orphans) await rm(file, { force: true });
    summary.removedOrphans = summary.orphans.length;
  }
  return summary;
}

export async function archiveQueue(db: Database, olderThanSeconds: number): Promise<number> {
  return archiveFinishedJobs(db, olderThanSeconds);
}
