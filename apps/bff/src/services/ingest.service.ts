import type { Database } from '../db/database';
import {
  findMediaByChecksums,
  insertMediaItems,
  lockChecksums,
  type NewMediaItem,
  queueDepthJobs,
  upsertSourceItems,
} from '../db/queries/ingest.queries';
import { listSourceItems } from '../db/queries/media-sources.queries';

/**
 * The one way items enter the library, whatever their source (a folder imported in place, an
 * upload, the demo, an Immich server): the duplicate rules, batched inserts and queueing live here.
 */
export interface IngestRules {
  /** Depth jobs for new (and changed) items at this priority; null: none (the demo has its own). */
  queuePriority: number | null;
  /**
   * Content the library already has (same SHA-256) is refused: folders and uploads. Sources that
   * name their items (Immich: by asset id) set this false and are matched by external id instead.
   */
  refuseDuplicateContent: boolean;
}

export interface IngestResult {
  /** New items: id by external id, or by file path for an item without one (an upload). */
  added: Map<string, string>;
  /** Items the source already had, brought up to date (same source and external id). */
  updated: number;
  /** Items whose content changed: their depth is made again. */
  changed: number;
  /** Refused because the library has the same content: the id holding it. */
  duplicates: Array<{ item: NewMediaItem; existingId: string }>;
}

const keyOf = (item: NewMediaItem) => item.externalId ?? item.filePath;

/** Adds (or updates) one batch in one transaction: rows and their depth jobs land together. */
export async function ingestMedia(
  db: Database,
  items: NewMediaItem[],
  rules: IngestRules,
): Promise<IngestResult> {
  const result: IngestResult = { added: new Map(), updated: 0, changed: 0, duplicates: [] };
  if (items.length === 0) return result;
  return db.transaction(async (tx) => {
    let fresh = items;
    if (rules.refuseDuplicateContent) {
      // Two ingests of the same bytes at once: the second waits here, then sees the first.
      const checksums = items.map((i) => i.checksum);
      await lockChecksums(tx, checksums);
      const existing = await findMediaByChecksums(tx, checksums);
      const seen = new Map<string, string>();
      fresh = [];
      for (const item of items) {
        const holder = existing.get(item.checksum) ?? seen.get(item.checksum);
        if (holder) result.duplicates.push({ item, existingId: holder });
        else {
          seen.set(item.checksum, keyOf(item));
          fresh.push(item);
        }
      }
    }
    const named = fresh.filter((i) => i.sourceId && i.externalId);
    const unnamed = fresh.filter((i) => !(i.sourceId && i.externalId));
    const toQueue: string[] = [];
    for (const [file, id] of await insertMediaItems(tx, unnamed)) {
      result.added.set(file, id);
      toQueue.push(id);
    }
    if (named.length > 0) {
      const before = await listSourceItems(
        tx,
        named[0]?.sourceId as string,
        named.map((i) => i.externalId as string),
      );
      const checksumById = new Map(named.map((i) => [i.externalId as string, i.checksum]));
      for (const [externalId, row] of await upsertSourceItems(tx, named)) {
        if (row.inserted) {
          result.added.set(externalId, row.id);
          toQueue.push(row.id);
          continue;
        }
        result.updated++;
        if (before.get(externalId)?.checksum !== checksumById.get(externalId)) {
          result.changed++;
          toQueue.push(row.id);
        }
      }
    }
    if (rules.queuePriority !== null) await queueDepthJobs(tx, toQueue, rules.queuePriority);
    return result;
  });
}
