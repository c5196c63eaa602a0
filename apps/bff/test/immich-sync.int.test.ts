import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AssetTypeEnum, AssetVisibility } from '@immich/sdk';
import type { MediaPage, SourcesResponse, Timeline } from '@immichvr/shared';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database';
import {
  claimSyncLease,
  findMediaSource,
  releaseSyncLease,
} from '../src/db/queries/media-sources.queries';
import { ImmichAuthError, ImmichUnavailableError } from '../src/immich/immich-client';
import { openImmichSource } from '../src/immich/immich-source';
import { createLogger, type Logger } from '../src/logger';
import {
  SyncAlreadyRunningError,
  type SyncSummary,
  syncImmich,
} from '../src/services/immich-sync.service';
import { ImmichSyncSchedule } from '../src/services/immich-sync-schedule';
import { freePort, spawnApp } from './helpers/app-process';
import { ImmichStandIn } from './helpers/immich-stand-in';
import { writeTestJpeg, writeTestVideo } from './helpers/media-fixtures';
import { createTestDatabase, ENGINES, type TestDatabase } from './helpers/test-database';
import { startTestServer, type TestServer } from './helpers/test-server';

let fixtures: string;
let photo: { original: string; preview: string };
let clip: { original: string; preview: string };

beforeAll(async () => {
  fixtures = await mkdtemp(path.join(os.tmpdir(), 'immich-fixtures-'));
  photo = {
    original: path.join(fixtures, 'photo.jpg'),
    preview: path.join(fixtures, 'preview.jpg'),
  };
  clip = { original: path.join(fixtures, 'clip.mp4'), preview: path.join(fixtures, 'preview.jpg') };
  await writeTestJpeg(photo.original, { width: 640, height: 480, seed: 1 });
  await writeTestJpeg(photo.preview, { width: 320, height: 240, seed: 2 });
  await writeTestVideo(clip.original);
});
afterAll(async () => rm(fixtures, { recursive: true, force: true }));

describe.each(ENGINES)('an Immich server as a library source, on %s', (engine) => {
  let immich: ImmichStandIn;
  let server: TestServer | undefined;
  let mounted: string | undefined;

  const start = async (
    options: { mount?: string; timeoutMs?: number; cacheMaxBytes?: number; worker?: boolean } = {},
  ) => {
    await server?.close();
    server = undefined;
    mounted = options.mount;
    server = await startTestServer(engine, {
      immich: {
        url: immich.url,
        apiKey: immich.apiKey,
        mount: options.mount ? { immichPrefix: '/data', localPath: options.mount } : undefined,
        syncIntervalMinutes: 0,
        cacheMaxBytes: options.cacheMaxBytes ?? 64 * 1024 ** 2,
      },
      ...(options.timeoutMs ? { immichTimeoutMs: options.timeoutMs } : {}),
      ...(options.worker ? { worker: true } : {}),
    });
  };

  /** One sync as `pnpm immich:sync` runs it (the source row read fresh, its state included). */
  const sync = async (options: { apiKey?: string; full?: boolean; timeoutMs?: number } = {}) => {
    const opened = await openImmichSource(srv().t.db, srv().dataDir, createLogger('silent'), {
      url: immich.url,
      apiKey: options.apiKey ?? immich.apiKey,
      mount: mounted ? { immichPrefix: '/data', localPath: mounted } : undefined,
      syncIntervalMinutes: 0,
      cacheMaxBytes: 64 * 1024 ** 2,
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    });
    return syncImmich(
      { ...opened, db: srv().t.db, layout: srv().deps.layout },
      { pageSize: 2, ...(options.full ? { full: true } : {}) },
    );
  };

  const srv = () => {
    if (!server) throw new Error('no server');
    return server;
  };

  const gallery = async (query = '') => {
    const response = await srv().get(`/api/media?limit=100${query}`);
    expect(response.status).toBe(200);
    return ((await response.json()) as MediaPage).items;
  };

  beforeEach(async () => {
    immich = new ImmichStandIn();
    await immich.start();
    await start();
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await immich.close();
  });

  const counts = (s: SyncSummary) => ({
    added: s.added,
    updated: s.updated,
    removed: s.removed,
    skipped: s.skipped,
  });

  it('adds the timeline’s photos and videos with Immich’s metadata, skips what the gallery does not show, queues depth', async () => {
    const photos = Array.from({ length: 4 }, () => immich.addAsset({ files: photo }));
    const video = immich.addAsset({
      type: AssetTypeEnum.Video,
      duration: 12_500,
      width: 1920,
      height: 1080,
      files: clip,
    });
    immich.addAsset({ type: AssetTypeEnum.Audio, originalFileName: 'memo.m4a' });
    immich.addAsset({ visibility: AssetVisibility.Hidden, type: AssetTypeEnum.Video });
    immich.addAsset({ visibility: AssetVisibility.Archive });
    immich.addAsset({ isTrashed: true });

    const summary = await sync();
    // The live photo's motion part never comes out of a search (Immich hides it), audio does.
    expect(counts(summary)).toEqual({ added: 5, updated: 0, removed: 0, skipped: 1 });
    expect(summary.full).toBe(true);
    expect(summary.skippedAssets.map((s) => s.reason)).toEqual(['audio assets are not shown']);

    const items = await gallery();
    expect(items.map((i) => i.id)).toHaveLength(5);
    const shown = items.find((i) => i.mediaType === 'video');
    expect(shown).toMatchObject({
      width: 1920,
      height: 1080,
      capturedAt: video.exifInfo?.dateTimeOriginal,
    });
    const detail = await (await srv().get(`/api/media/${shown?.id}`)).json();
    expect(detail).toMatchObject({ mimeType: 'video/mp4', durationSeconds: 12.5 });
    const first = photos[0];
    expect(items.find((i) => i.originalFilename === first?.originalFileName)).toBeTruthy();

    const { rows } = await srv().t.db.query<{ n: string; priority: number }>(
      `SELECT count(*)::text AS n, min(priority) AS priority FROM processing_queue`,
    );
    expect(rows[0]).toEqual({ n: '5', priority: 7 });
    // Pages of 2: every search asked for EXIF, people and the trash, and nothing was written.
    const searches = immich.requests.filter((r) => r.path === '/api/search/metadata');
    expect(searches).toHaveLength(4);
    expect(searches[0]?.body).toMatchObject({
      withExif: true,
      withPeople: true,
      withDeleted: true,
      page: 1,
      size: 2,
    });
    expect(
      immich.requests.every((r) => r.method === 'GET' || r.path.startsWith('/api/search/')),
    ).toBe(true);
  });

  it('on the next sync asks only for changes: a trashed, a deleted, a favourited and a new asset', async () => {
    const [a, b, c, d] = Array.from({ length: 4 }, () => immich.addAsset({ files: photo }));
    await sync();
    const before = await gallery();
    const idOf = (externalId: string | undefined) =>
      before.find(
        (i) => i.originalFilename === immich.assets.get(externalId ?? '')?.originalFileName,
      )?.id;
    const trashedId = idOf(a?.id);
    await srv().t.db.query(`UPDATE processing_queue SET status = 'completed'`);

    immich.trash(a?.id as string);
    immich.deleteForGood(b?.id as string);
    immich.update(c?.id as string, { isFavorite: true });
    const added = immich.addAsset({ files: photo });
    const source = await findMediaSource(srv().t.db, 'immich', `${immich.url}/api`);
    const cursor = (source?.syncState as { cursor?: string } | undefined)?.cursor;
    expect(cursor).toMatch(/^2026-/);
    immich.requests.length = 0;

    const summary = await sync();
    expect(counts(summary)).toEqual({ added: 1, updated: 1, removed: 2, skipped: 0 });
    const first = immich.requests.find((r) => r.path === '/api/search/metadata');
    expect(first?.body).toMatchObject({ updatedAfter: cursor });
    // The hard delete left no trace in a search: the counts differed, so every asset was listed.
    expect(summary.full).toBe(true);

    const after = await gallery();
    expect(after.map((i) => i.originalFilename).sort()).toEqual(
      [c, d, added].map((x) => x?.originalFileName).sort(),
    );
    expect((await srv().get(`/api/media/${trashedId}`)).status).toBe(404);
    const favourites = await gallery('&favorite=true');
    expect(favourites.map((i) => i.originalFilename)).toEqual([c?.originalFileName]);

    // Nothing changed since: one page (the boundary asset), no full listing, nothing written.
    immich.requests.length = 0;
    const quiet = await sync();
    expect(counts(quiet)).toEqual({ added: 0, updated: 0, removed: 0, skipped: 0 });
    expect(quiet.full).toBe(false);
    expect(immich.searchPages()).toBe(1);
  });

  it('offers albums, favourites and people as gallery filters, on the timeline too', async () => {
    const [a, b, c] = Array.from({ length: 3 }, () => immich.addAsset({ files: photo }));
    const ada = immich.addPerson('Ada');
    immich.addPerson('Hidden Person', true);
    immich.addPerson('');
    immich.setPeople(a?.id as string, [ada]);
    immich.setPeople(c?.id as string, [ada]);
    const trip = immich.addAlbum('Trip to Lisbon', [a?.id as string, b?.id as string]);
    immich.update(b?.id as string, { isFavorite: true });
    await sync();

    const collections = (await (await srv().get('/api/collections')).json()) as {
      items: Array<{ id: string; kind: string; name: string; itemCount: number }>;
    };
    expect(
      collections.items.map(({ kind, name, itemCount }) => ({ kind, name, itemCount })),
    ).toEqual([
      { kind: 'album', name: 'Trip to Lisbon', itemCount: 2 },
      { kind: 'person', name: 'Ada', itemCount: 2 },
    ]);
    const names = (items: Array<{ originalFilename: string }>) =>
      items.map((i) => i.originalFilename).sort();
    const album = collections.items[0]?.id;
    const person = collections.items[1]?.id;
    expect(names(await gallery(`&collection=${album}`))).toEqual(
      names([a, b].map((x) => ({ originalFilename: x?.originalFileName as string }))),
    );
    expect(names(await gallery(`&collection=${person}`))).toEqual(
      names([a, c].map((x) => ({ originalFilename: x?.originalFileName as string }))),
    );
    expect(names(await gallery('&favorite=true'))).toEqual([b?.originalFileName]);
    const timeline = (await (
      await srv().get(`/api/timeline?collection=${album}`)
    ).json()) as Timeline;
    expect(timeline.total).toBe(2);
    expect((await srv().get('/api/media?collection=nope')).status).toBe(400);

    // Album changes are read again; people's tags follow the asset.
    immich.addToAlbum(trip.id, [c?.id as string]);
    immich.setPeople(a?.id as string, []);
    await sync();
    expect(await gallery(`&collection=${album}`)).toHaveLength(3);
    expect(names(await gallery(`&collection=${person}`))).toEqual([c?.originalFileName]);
  });

  it('serves originals fetched on demand into a bounded cache, previews and depth from Immich’s preview', async () => {
    const asset = immich.addAsset({ files: photo });
    await sync();
    const [item] = await gallery();
    immich.requests.length = 0;

    const preview = await srv().get(`/api/media/${item?.id}/preview?size=256`);
    expect(preview.status).toBe(200);
    expect(immich.requests.map((r) => r.path)).toEqual([`/api/assets/${asset.id}/thumbnail`]);

    const original = await srv().get(`/api/media/${item?.id}/original`);
    expect(original.status).toBe(200);
    expect(Buffer.from(await original.arrayBuffer())).toEqual(await readFile(photo.original));
    const again = await srv().get(`/api/media/${item?.id}/original`, {
      headers: { range: 'bytes=0-9' },
    });
    expect(again.status).toBe(206);
    expect(immich.requests.filter((r) => r.path.endsWith('/original'))).toHaveLength(1);

    // Deleting it here is refused: Immich's library is Immich's.
    const deleted = await srv().get(`/api/media/${item?.id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(409);
    expect(((await deleted.json()) as { detail: string }).detail).toMatch(
      /never changes your Immich library/,
    );
  });

  it('makes depth for a photo from Immich’s preview and for a video from its fetched original', async () => {
    const picture = immich.addAsset({ files: photo });
    const video = immich.addAsset({ type: AssetTypeEnum.Video, files: clip });
    await start({ worker: true });
    await sync();
    for (let k = 0; k < 300; k++) {
      const items = await gallery();
      if (items.length === 2 && items.every((i) => i.depthMap)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const items = await gallery();
    expect(items.map((i) => [i.mediaType, i.depthMap?.format])).toEqual(
      expect.arrayContaining([
        ['photo', 'png'],
        ['video', 'mp4'],
      ]),
    );
    const fetched = immich.requests
      .filter((r) => r.path.startsWith('/api/assets/'))
      .map((r) => r.path);
    expect(fetched).toContain(`/api/assets/${picture.id}/thumbnail`);
    expect(fetched).not.toContain(`/api/assets/${picture.id}/original`);
    expect(fetched).toContain(`/api/assets/${video.id}/original`);
  });

  it('serves originals in place from a mounted library without asking Immich', async () => {
    const mount = await mkdtemp(path.join(os.tmpdir(), 'immich-mount-'));
    try {
      const relative = 'library/admin/2024/mounted.jpg';
      await writeTestJpeg(path.join(mount, relative), { width: 64, height: 48 });
      immich.addAsset({ originalPath: `/data/${relative}`, originalFileName: 'mounted.jpg' });
      immich.addAsset({
        originalPath: '/data/../../etc/passwd',
        originalFileName: 'escape.jpg',
        files: photo,
      });
      await start({ mount });
      await sync();
      const items = await gallery();
      immich.requests.length = 0;
      const mounted = items.find((i) => i.originalFilename === 'mounted.jpg');
      const response = await srv().get(`/api/media/${mounted?.id}/original`);
      expect(response.status).toBe(200);
      expect(Buffer.from(await response.arrayBuffer())).toEqual(
        await readFile(path.join(mount, relative)),
      );
      expect(immich.requests).toEqual([]);
      // A path climbing out of the mount is not followed: that one is fetched from Immich.
      const climbing = items.find((i) => i.originalFilename === 'escape.jpg');
      expect((await srv().get(`/api/media/${climbing?.id}/original`)).status).toBe(200);
      expect(immich.requests.map((r) => r.path)).toEqual([expect.stringMatching(/\/original$/)]);
    } finally {
      await rm(mount, { recursive: true, force: true });
    }
  });

  it('says once that the key was refused, and retries nothing', async () => {
    immich.addAsset();
    await expect(sync({ apiKey: 'wrong' })).rejects.toThrow(ImmichAuthError);
    await expect(sync({ apiKey: 'wrong' })).rejects.toThrow(
      /refused the API key \(HTTP 401: Invalid API key\)\. Create a key in Immich/,
    );
    expect(immich.requests).toHaveLength(2);
    const status = (await (await srv().get('/api/sources')).json()) as SourcesResponse;
    expect(status.immich?.lastError?.message).toMatch(/refused the API key/);
    expect(await gallery()).toEqual([]);
  });

  it('keeps the gallery and loses nothing when Immich fails half-way (500), then resumes without duplicates', async () => {
    for (let k = 0; k < 6; k++) immich.addAsset({ files: photo });
    await sync();
    for (let k = 0; k < 5; k++) immich.addAsset({ files: photo });
    immich.deleteForGood([...immich.assets.keys()][0] as string);
    // The third search page fails: two pages of changes were applied, nothing was removed.
    immich.fault = { status: 500, count: 1, path: /search/, skip: 2 };
    immich.requests.length = 0;
    await expect(sync()).rejects.toThrow(ImmichUnavailableError);
    expect(await gallery()).toHaveLength(6 + 4);
    const status = (await (await srv().get('/api/sources')).json()) as SourcesResponse;
    expect(status.immich?.lastError?.message).toMatch(/HTTP 500/);

    const resumed = await sync();
    expect(resumed.resumed).toBe(true);
    const items = await gallery();
    expect(items).toHaveLength(10);
    expect(new Set(items.map((i) => i.originalFilename)).size).toBe(10);
    const after = (await (await srv().get('/api/sources')).json()) as SourcesResponse;
    expect(after.immich?.lastError).toBeNull();
    expect(after.immich?.lastRun).toMatchObject({ removed: 1 });
  });

  it('runs one sync of a server at a time: a second is refused while the first runs, saying whose it is', async () => {
    for (let k = 0; k < 6; k++) immich.addAsset({ files: photo });
    immich.delayMs = 40;
    const first = sync();
    const leaseOf = async () => {
      const { rows } = await srv().t.db.query<{ sync_holder: string | null }>(
        `SELECT sync_holder FROM media_sources WHERE kind = 'immich'`,
      );
      return rows[0]?.sync_holder ?? null;
    };
    while ((await leaseOf()) === null) await new Promise((r) => setTimeout(r, 5));
    const second = await sync().catch((error: Error) => error);
    expect(second).toBeInstanceOf(SyncAlreadyRunningError);
    expect((second as Error).message).toMatch(
      new RegExp(
        `^another sync of ${immich.url}/api is running \\(${os.hostname()} pid ${process.pid} run \\w+\\)`,
      ),
    );
    // The first went on undisturbed, and gave the lease back.
    expect(counts(await first)).toMatchObject({ added: 6 });
    expect(await leaseOf()).toBeNull();
    immich.delayMs = 0;
    immich.addAsset({ files: photo });
    expect(counts(await sync())).toMatchObject({ added: 1 });
    expect(await gallery()).toHaveLength(7);
  });

  it('takes over the lease of a sync whose process is gone, or whose lease ran out; waits for a live one elsewhere', async () => {
    immich.addAsset({ files: photo });
    await sync();
    const hold = (holder: string, seconds: number) =>
      srv().t.db.query(
        `UPDATE media_sources SET sync_holder = $1,
           sync_lease_expires_at = now() + $2 * interval '1 second' WHERE kind = 'immich'`,
        [holder, seconds],
      );
    // Killed on this machine: no process 2^22 + 1 (above Linux's pid limit).
    await hold(`${os.hostname()} pid 4194305 run dead`, 600);
    immich.addAsset({ files: photo });
    expect(counts(await sync())).toMatchObject({ added: 1 });
    // Running on another machine: refused while its lease runs, taken once it ran out.
    await hold('nas pid 1 run 0a1b2c3d', 600);
    immich.addAsset({ files: photo });
    await expect(sync()).rejects.toThrow(
      /another sync of .* is running \(nas pid 1 run 0a1b2c3d\)/,
    );
    expect(await gallery()).toHaveLength(2);
    await hold('nas pid 1 run 0a1b2c3d', -1);
    expect(counts(await sync())).toMatchObject({ added: 1 });
    expect(await gallery()).toHaveLength(3);
  });

  it('gives up on a server that does not answer in time, saying so, and the gallery keeps working', async () => {
    immich.addAsset();
    await sync();
    immich.delayMs = 500;
    await expect(sync({ timeoutMs: 150 })).rejects.toThrow(/did not answer .* within 0\.15 s/);
    expect(await gallery()).toHaveLength(1);
  });
});

describe('the background Immich sync', () => {
  let immich: ImmichStandIn;
  let server: TestServer;
  const logged: Array<{ level: string; msg: string; fields?: Record<string, unknown> }> = [];
  const logger: Logger = {
    debug: () => {},
    info: (msg, fields) => logged.push({ level: 'info', msg, ...(fields ? { fields } : {}) }),
    warn: (msg, fields) => logged.push({ level: 'warn', msg, ...(fields ? { fields } : {}) }),
    error: (msg, fields) => logged.push({ level: 'error', msg, ...(fields ? { fields } : {}) }),
  };
  const schedule = async (apiKey: string, intervalMs: number, firstRetryMs: number) => {
    const opened = await openImmichSource(server.t.db, server.dataDir, logger, {
      url: immich.url,
      apiKey,
      mount: undefined,
      syncIntervalMinutes: 0,
      cacheMaxBytes: 64 * 1024 ** 2,
    });
    return new ImmichSyncSchedule(
      server.t.db,
      opened,
      server.deps.layout,
      logger,
      intervalMs,
      firstRetryMs,
    );
  };
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

  beforeEach(async () => {
    logged.length = 0;
    immich = new ImmichStandIn();
    await immich.start();
    server = await startTestServer(ENGINES[0]);
  });
  afterEach(async () => {
    await server.close();
    await immich.close();
  });

  it('says a refused key once and tries again only at the interval (no retry storm)', async () => {
    immich.addAsset();
    const sync = await schedule('wrong', 300, 10);
    sync.start();
    await wait(1_000);
    await sync.stop();
    const errors = logged.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.fields?.error).toMatch(/refused the API key/);
    // One request per run (the first one is refused): at most one run per interval.
    expect(immich.requests.length).toBeGreaterThanOrEqual(2);
    expect(immich.requests.length).toBeLessThanOrEqual(5);
    expect((await sync.status()).lastError?.message).toMatch(/refused the API key/);
  });

  it('says a sync runs while another process holds the server’s lease (pnpm immich:sync), and not once it is given back or has run out', async () => {
    const sync = await schedule(immich.apiKey, 0, 10);
    const source = await findMediaSource(server.t.db, 'immich', `${immich.url}/api`);
    if (!source) throw new Error('opening the Immich source made its row');
    expect((await sync.status()).running).toBe(false);
    expect(await claimSyncLease(server.t.db, source.id, 'other-host:4242:cli', 60)).toBeNull();
    const elsewhere = await sync.status();
    expect(elsewhere.running).toBe(true);
    expect(elsewhere.progress).toBeNull();
    await releaseSyncLease(server.t.db, source.id, 'other-host:4242:cli');
    expect((await sync.status()).running).toBe(false);
    // A lease that ran out (its process died) is not a sync running.
    await claimSyncLease(server.t.db, source.id, 'other-host:4242:cli', 60);
    await server.t.db.query(
      `UPDATE media_sources SET sync_lease_expires_at = now() - interval '1 second' WHERE id = $1`,
      [source.id],
    );
    expect((await sync.status()).running).toBe(false);
    await sync.stop();
  });

  it('backs off while Immich answers 5xx, then recovers by itself', async () => {
    immich.addAsset();
    immich.fault = { status: 503, count: 3 };
    const sync = await schedule(immich.apiKey, 60_000, 40);
    sync.start();
    // Retries after 40, 80 and 160 ms: the fourth run succeeds.
    for (let k = 0; k < 100 && (await sync.status()).lastSuccessAt === null; k++) await wait(30);
    await sync.stop();
    const status = await sync.status();
    expect(status.lastSuccessAt).not.toBeNull();
    expect(status.lastError).toBeNull();
    expect(status.lastRun).toMatchObject({ added: 1 });
    expect(logged.filter((l) => l.level === 'error')).toHaveLength(1);
    const runs = immich.requests.filter((r) => r.path === '/api/people').length;
    expect(runs).toBe(4);
  });
});

describe.each(ENGINES)('pnpm immich:sync on %s', (engine) => {
  let immich: ImmichStandIn;
  let dataDir: string;
  let database: TestDatabase;

  beforeEach(async () => {
    immich = new ImmichStandIn();
    await immich.start();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'immich-cli-'));
    database = await createTestDatabase(engine, { migrate: false });
    if (engine === 'embedded') await database.cleanup();
  });
  afterEach(async () => {
    if (engine === 'postgres') await database.cleanup();
    await immich.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** The CLI as a child process (the stand-in answers from this one, so not spawnSync). */
  const runSync = (args: string[], killAfterSearches?: number, env: Record<string, string> = {}) =>
    new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>(
      (resolve) => {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', 'src/cli/immich-sync.ts', ...args],
          {
            cwd: path.resolve(import.meta.dirname, '..'),
            env: {
              ...process.env,
              DATA_DIR: dataDir,
              DATABASE_URL: database.url ?? '',
              IMMICH_URL: immich.url,
              IMMICH_API_KEY: immich.apiKey,
              LOG_LEVEL: 'warn',
              ...env,
            },
          },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => {
          stdout += d;
        });
        child.stderr.on('data', (d) => {
          stderr += d;
        });
        const watch =
          killAfterSearches === undefined
            ? undefined
            : setInterval(() => {
                if (immich.searchPages() >= killAfterSearches) child.kill('SIGKILL');
              }, 5);
        child.on('exit', (code, signal) => {
          clearInterval(watch);
          resolve({ code, signal, stdout, stderr });
        });
      },
    );

  it('resumes a sync killed half-way (SIGKILL) where it stopped, without duplicates', async () => {
    for (let k = 0; k < 30; k++) immich.addAsset();
    immich.delayMs = 50;
    const killed = await runSync(['--page-size', '3'], 4);
    expect(killed.signal).toBe('SIGKILL');
    immich.delayMs = 0;
    const searchesBefore = immich.searchPages();

    const again = await runSync(['--page-size', '3']);
    expect(again.stderr).not.toMatch(/immichvr:/);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/resumed/);
    expect(again.stdout).toMatch(/added\s+\d+/);
    // It went on from a later page instead of starting over.
    const resumedAt = immich.requests.filter((r) => r.path === '/api/search/metadata')[
      searchesBefore
    ];
    expect((resumedAt?.body as { page?: number } | undefined)?.page).toBeGreaterThan(1);

    const db = await openDatabase(
      database.url ? { engine: 'postgres', url: database.url } : { engine: 'embedded', dataDir },
    );
    try {
      const { rows } = await db.query<{ n: string; distinct_ids: string }>(
        `SELECT count(*)::text AS n, count(DISTINCT external_id)::text AS distinct_ids FROM media_items`,
      );
      expect(rows[0]).toEqual({ n: '30', distinct_ids: '30' });
    } finally {
      await db.close();
    }
  });

  it('says what is wrong in one line: no server configured, a refused key, a bad option', async () => {
    const bad = await runSync(['--page-size', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--page-size must be a number from 1 to 1000/);
    const none = await runSync([], undefined, { IMMICH_URL: '' });
    expect(none.code).toBe(1);
    expect(none.stderr).toBe(
      'immichvr: no Immich server configured: set IMMICH_URL and IMMICH_API_KEY (see .env.example)\n',
    );
    // Said before the database is opened: no embedded one was made for it.
    expect(existsSync(path.join(dataDir, 'db'))).toBe(false);
    const refused = await runSync([], undefined, { IMMICH_API_KEY: 'wrong' });
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^immichvr: Immich at .* refused the API key \(HTTP 401/),
    ]);
    // Asked before the database is opened: a refused key makes no embedded database either.
    expect(existsSync(path.join(dataDir, 'db'))).toBe(false);
    const unreachable = await runSync([], undefined, { IMMICH_URL: 'http://127.0.0.1:9' });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^immichvr: .*127\.0\.0\.1:9/),
    ]);
    expect(existsSync(path.join(dataDir, 'db'))).toBe(false);
  });
});

describe('a first start with an Immich server set', () => {
  let immich: ImmichStandIn;
  let dataDir: string;
  beforeEach(async () => {
    immich = new ImmichStandIn();
    await immich.start();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'immich-first-start-'));
  });
  afterEach(async () => {
    await immich.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('shows that library, not the demo: no demo is rendered into an empty embedded library', async () => {
    immich.addAsset({ files: photo, originalFileName: 'from-immich.jpg' });
    const port = await freePort();
    const app = await spawnApp(
      {
        DATA_DIR: dataDir,
        DATABASE_URL: '',
        PORT: String(port),
        DEMO_LIBRARY: 'auto',
        LOG_LEVEL: 'info',
        IMMICH_URL: immich.url,
        IMMICH_API_KEY: immich.apiKey,
      },
      [],
      /listening/,
    );
    try {
      let names: string[] = [];
      for (let i = 0; i < 200 && names.length === 0; i++) {
        const page = (await (
          await fetch(`http://127.0.0.1:${port}/api/media?limit=100`)
        ).json()) as MediaPage;
        names = page.items.map((item) => item.originalFilename);
        if (names.length === 0) await new Promise((r) => setTimeout(r, 50));
      }
      expect(names).toEqual(['from-immich.jpg']);
      expect(existsSync(path.join(dataDir, 'demo'))).toBe(false);
    } finally {
      await app.stop();
    }
  }, 60_000);
});
