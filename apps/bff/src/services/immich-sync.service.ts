import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { AssetResponseDto } from '@immich/sdk';
import type { Database } from '../db/database';
import {
  removeCollectionsExcept,
  replaceCollectionMembers,
  replaceItemPeople,
  upsertCollections,
} from '../db/queries/collections.queries';
import type { NewMediaItem } from '../db/queries/ingest.queries';
import {
  claimSyncLease,
  countSourceItems,
  findMediaSource,
  listSourceItems,
  type MediaSource,
  releaseSyncLease,
  removeSourceItems,
  renewSyncLease,
  type SyncLease,
  writeSyncState,
} from '../db/queries/media-sources.queries';
import { classifyAsset, type ImmichFilePlaces, isShownPerson } from '../immich/immich-asset';
import type { ImmichClient } from '../immich/immich-client';
import type { DataLayout } from '../storage/data-layout';
import { ingestMedia } from './ingest.service';
import { removeItemFiles } from './library.service';

/** Depth jobs of synced items: behind anything a user asks for, like a folder import. */
export const IMMICH_QUEUE_PRIORITY = 7;
/** Assets per search page (Immich allows up to 1000). */
const PAGE_SIZE = 1000;
/** A running sync holds its source's lease this long, renewed a third of the way through. */
const SYNC_LEASE_SECONDS = 60;

/** Another sync of the same server is running (this process, `pnpm immich:sync`, another server). */
export class SyncAlreadyRunningError extends Error {
  override name = 'SyncAlreadyRunningError';
  constructor(location: string, lease: SyncLease) {
    super(
      `another sync of ${location} is running (${lease.holder}); try again once it has finished (its lease runs until ${lease.expiresAt.toISOString()} unless renewed)`,
    );
  }
}

/** What a sync leaves in media_sources.sync_state: enough to go on from where it stopped. */
export interface ImmichSyncState {
  /** `updatedAfter` of the next incremental run: the newest `updatedAt` a finished run saw. */
  cursor?: string;
  /** A run that has not finished: the next page to ask for, with the same `updatedAfter`. */
  run?: { updatedAfter: string | null; page: number; maxUpdatedAt: string | null };
  /** Each album's `updatedAt` and asset count when its members were last read. */
  albums?: Record<string, string>;
  lastRun?: SyncReport;
  lastSuccessAt?: string;
  lastError?: { at: string; message: string };
}

export interface SyncReport {
  at: string;
  seconds: number;
  added: number;
  updated: number;
  removed: number;
  skipped: number;
  /** Every asset was listed (first sync, --full, or a count that did not match). */
  full: boolean;
  /** Went on from a run that had stopped half-way. */
  resumed: boolean;
}

export interface SyncSummary extends SyncReport {
  skippedAssets: Array<{ id: string; name: string; reason: string }>;
  albums: number;
  people: number;
}

export interface SyncProgress {
  /** Assets read so far in this run. */
  assets: number;
  /** Photos and videos Immich has in its timeline (known after the first count). */
  total: number | null;
  added: number;
  removed: number;
}

export interface ImmichSyncDeps {
  db: Database;
  client: ImmichClient;
  source: MediaSource;
  places: ImmichFilePlaces;
  layout: DataLayout;
}

export interface ImmichSyncOptions {
  /** List every asset (and remove what Immich no longer has) instead of the changes only. */
  full?: boolean;
  pageSize?: number;
  onProgress?: (progress: SyncProgress) => void;
}

/**
 * One sync of an Immich server into the library, read-only on the Immich side:
 *
 * 1. people (named, not hidden) become person collections;
 * 2. assets changed since the last finished run are paged with `POST /search/metadata`
 *    (`updatedAfter`, with EXIF, people and trashed assets): photos and videos of the timeline are
 *    ingested (by asset id), trashed, archived and locked ones leave with their depth maps;
 * 3. hard deletions leave no trace in a search, so our count is compared with Immich's timeline
 *    statistics; when they differ every asset is listed and what Immich no longer has is removed —
 *    only after the whole listing arrived, so a sync failing half-way removes nothing;
 * 4. albums whose `updatedAt` or asset count changed have their members read again.
 *
 * After every page the state says where to go on, so a killed sync resumes there (rows are keyed
 * by asset id: a page read twice adds nothing twice). Errors are thrown after being recorded.
 */
export async function syncImmich(
  deps: ImmichSyncDeps,
  options: ImmichSyncOptions = {},
): Promise<SyncSummary> {
  const { db, source } = deps;
  const lease = { holder: syncHolder(), seconds: SYNC_LEASE_SECONDS };
  let standing = await claimSyncLease(db, source.id, lease.holder, lease.seconds);
  // A sync killed on this machine (its process is gone) need not be waited for.
  if (standing && !isAliveHere(standing.holder))
    standing = await claimSyncLease(db, source.id, lease.holder, lease.seconds, standing.holder);
  if (standing) throw new SyncAlreadyRunningError(source.location, standing);
  const renewal = setInterval(
    () => void renewSyncLease(db, source.id, lease.holder, lease.seconds).catch(() => false),
    (SYNC_LEASE_SECONDS * 1000) / 3,
  );
  renewal.unref();
  try {
    // What the last sync left, read once this one holds the lease (the caller's copy may predate
    // a sync that finished meanwhile).
    const current = (await findMediaSource(db, source.kind, source.location)) ?? source;
    return await runSync({ ...deps, source: current }, options, lease);
  } finally {
    clearInterval(renewal);
    await releaseSyncLease(db, source.id, lease.holder).catch(() => {});
  }
}

/** Names a sync in its lease: the machine, the process, and which run of that process. */
const syncHolder = () => `${os.hostname()} pid ${process.pid} run ${randomUUID().slice(0, 8)}`;

/** false only for a holder on this machine whose process no longer exists. */
function isAliveHere(holder: string): boolean {
  const named = /^(.*) pid (\d+) run \S+$/.exec(holder);
  if (!named || named[1] !== os.hostname()) return true;
  try {
    process.kill(Number(named[2]), 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

async function runSync(
  deps: ImmichSyncDeps,
  options: ImmichSyncOptions,
  lease: { holder: string; seconds: number },
): Promise<SyncSummary> {
  const started = performance.now();
  const { db, source } = deps;
  const state = { ...(source.syncState as ImmichSyncState) };
  const summary: SyncSummary = {
    at: new Date().toISOString(),
    seconds: 0,
    added: 0,
    updated: 0,
    removed: 0,
    skipped: 0,
    full: false,
    resumed: false,
    skippedAssets: [],
    albums: 0,
    people: 0,
  };
  const progress: SyncProgress = { assets: 0, total: null, added: 0, removed: 0 };
  const report = () => {
    progress.added = summary.added;
    progress.removed = summary.removed;
    options.onProgress?.({ ...progress });
  };
  // Each save also renews the lease; one that finds it lost (this sync stalled past it and another
  // took over) stops this sync before it writes more.
  const save = async () => {
    if (!(await writeSyncState(db, source.id, state as Record<string, unknown>, lease)))
      throw new Error(
        `this sync of ${source.location} lost its lease (it stalled for over ${lease.seconds} s and another sync took over)`,
      );
  };

  try {
    const people = (await deps.client.people()).filter(isShownPerson);
    await upsertCollections(
      db,
      source.id,
      'person',
      people.map((p) => ({ externalId: p.id, name: p.name.trim() })),
    );
    await removeCollectionsExcept(
      db,
      source.id,
      'person',
      people.map((p) => p.id),
    );
    summary.people = people.length;

    const stats = await deps.client.timelineStatistics();
    progress.total = stats.images + stats.videos;
    report();

    const resume = options.full ? undefined : state.run;
    summary.resumed = resume !== undefined;
    const updatedAfter = resume
      ? resume.updatedAfter
      : options.full
        ? null
        : (state.cursor ?? null);
    let pass = await listAssets(deps, state, save, summary, progress, report, {
      updatedAfter,
      page: resume?.page ?? 1,
      maxUpdatedAt: resume?.maxUpdatedAt ?? null,
      pageSize: options.pageSize ?? PAGE_SIZE,
    });
    summary.full = updatedAfter === null;
    const ours = await countSourceItems(db, source.id);
    // A full listing from page one shows what Immich no longer has; so does a count that differs.
    if (!(summary.full && pass.fromFirstPage) && ours !== progress.total) {
      pass = await listAssets(deps, state, save, summary, progress, report, {
        updatedAfter: null,
        page: 1,
        maxUpdatedAt: pass.maxUpdatedAt,
        pageSize: options.pageSize ?? PAGE_SIZE,
      });
      summary.full = true;
    }
    if (summary.full && pass.fromFirstPage) {
      const gone = [...(await listSourceItems(db, source.id)).keys()].filter(
        (id) => !pass.seen.has(id),
      );
      await removeAssets(deps, gone, summary);
      report();
    }

    summary.albums = await syncAlbums(deps, state, options.pageSize ?? PAGE_SIZE);

    summary.seconds = (performance.now() - started) / 1000;
    state.cursor = pass.maxUpdatedAt ?? state.cursor;
    delete state.run;
    delete state.lastError;
    state.lastRun = reportOf(summary);
    state.lastSuccessAt = new Date().toISOString();
    await save();
    return summary;
  } catch (error) {
    state.lastError = { at: new Date().toISOString(), message: (error as Error).message };
    await save().catch(() => {});
    throw error;
  }
}

interface PassStart {
  updatedAfter: string | null;
  page: number;
  maxUpdatedAt: string | null;
  pageSize: number;
}

/** Pages through the assets (changed after `updatedAfter`, or all), applying each page. */
async function listAssets(
  deps: ImmichSyncDeps,
  state: ImmichSyncState,
  save: () => Promise<void>,
  summary: SyncSummary,
  progress: SyncProgress,
  report: () => void,
  start: PassStart,
): Promise<{ seen: Set<string>; fromFirstPage: boolean; maxUpdatedAt: string | null }> {
  const seen = new Set<string>();
  let { page, maxUpdatedAt } = start;
  const fetchPage = (n: number) => {
    const request = deps.client.searchAssets({
      ...(start.updatedAfter ? { updatedAfter: start.updatedAfter } : {}),
      withExif: true,
      withPeople: true,
      withDeleted: true,
      page: n,
      size: start.pageSize,
    });
    // Awaited later, or dropped when writing the page before it failed.
    request.catch(() => {});
    return request;
  };
  let pending = fetchPage(page);
  for (;;) {
    const answer = await pending;
    const next = answer.nextPage ? Number(answer.nextPage) : null;
    const more = next !== null && Number.isInteger(next) && next > page && answer.items.length > 0;
    // The next page travels while this one is written: network and database overlap.
    if (more) pending = fetchPage(next);
    await applyPage(deps, answer.items, seen, summary);
    for (const asset of answer.items)
      if (!maxUpdatedAt || asset.updatedAt > maxUpdatedAt) maxUpdatedAt = asset.updatedAt;
    progress.assets += answer.items.length;
    if (!more) return { seen, fromFirstPage: start.page === 1, maxUpdatedAt };
    page = next;
    state.run = { updatedAfter: start.updatedAfter, page, maxUpdatedAt };
    await save();
    report();
  }
}

async function applyPage(
  deps: ImmichSyncDeps,
  assets: AssetResponseDto[],
  seen: Set<string>,
  summary: SyncSummary,
): Promise<void> {
  const keep: NewMediaItem[] = [];
  const people: Array<{ itemExternalId: string; personExternalIds: string[] }> = [];
  const leave: string[] = [];
  for (const asset of assets) {
    const verdict = classifyAsset(asset, deps.places);
    if (verdict.kind === 'keep') {
      keep.push(verdict.item);
      people.push({ itemExternalId: asset.id, personExternalIds: verdict.personIds });
      seen.add(asset.id);
    } else if (verdict.kind === 'leave') leave.push(asset.id);
    else {
      summary.skipped++;
      if (summary.skippedAssets.length < 1000)
        summary.skippedAssets.push({
          id: asset.id,
          name: asset.originalFileName,
          reason: verdict.reason,
        });
    }
  }
  const ingested = await ingestMedia(deps.db, keep, {
    queuePriority: IMMICH_QUEUE_PRIORITY,
    refuseDuplicateContent: false,
  });
  summary.added += ingested.added.size;
  summary.updated += ingested.updated;
  await replaceItemPeople(deps.db, deps.source.id, people);
  await removeAssets(deps, leave, summary);
}

async function removeAssets(
  deps: ImmichSyncDeps,
  externalIds: string[],
  summary: SyncSummary,
): Promise<void> {
  const removed = await removeSourceItems(deps.db, deps.source.id, externalIds);
  summary.removed += removed.length;
  for (const item of removed)
    await removeItemFiles(deps.layout, {
      id: item.id,
      original: item.file_path,
      depthMap: item.depth_file,
    });
}

/** Albums: names kept current, members read again only for albums that changed. */
async function syncAlbums(
  deps: ImmichSyncDeps,
  state: ImmichSyncState,
  pageSize: number,
): Promise<number> {
  const { db, source } = deps;
  const albums = await deps.client.albums();
  const ids = await upsertCollections(
    db,
    source.id,
    'album',
    albums.map((a) => ({ externalId: a.id, name: a.albumName.trim() || 'Untitled album' })),
  );
  await removeCollectionsExcept(
    db,
    source.id,
    'album',
    albums.map((a) => a.id),
  );
  const signatures: Record<string, string> = {};
  for (const album of albums) {
    const signature = `${album.updatedAt}|${album.assetCount}`;
    signatures[album.id] = signature;
    const collectionId = ids.get(album.id);
    if (!collectionId || state.albums?.[album.id] === signature) continue;
    const members: string[] = [];
    for (let page: number | null = 1; page !== null; ) {
      const answer = await deps.client.searchAssets({ albumIds: [album.id], page, size: pageSize });
      members.push(...answer.items.map((a) => a.id));
      const next = answer.nextPage ? Number(answer.nextPage) : null;
      page = next !== null && next > page && answer.items.length > 0 ? next : null;
    }
    await replaceCollectionMembers(db, collectionId, source.id, members);
  }
  state.albums = signatures;
  return albums.length;
}

function reportOf(summary: SyncSummary): SyncReport {
  const { at, seconds, added, updated, removed, skipped, full, resumed } = summary;
  return { at, seconds, added, updated, removed, skipped, full, resumed };
}
