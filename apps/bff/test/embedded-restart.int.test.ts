import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { problemSchema } from '@immichvr/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { createAppDeps } from '../src/app-deps';
import { type Database, openDatabase } from '../src/db/database';
import { crashEngineThreadForTests } from '../src/db/embedded/engine-thread';
import { migrate } from '../src/db/migrate';
import { createLogger } from '../src/logger';
import { type RunningServer, startServer } from '../src/node-server';
import { createDepthWorker } from '../src/worker/create-worker';
import { openEventStream } from './helpers/event-stream';
import { depthFilesAndRowsAgree } from './helpers/files';
import { importFixtures, writeTestJpeg } from './helpers/media-fixtures';

const JOBS = 12;

// Its own file (own process): the engine thread is the process's, and every in-memory embedded
// database on it is gone when it crashes.
describe('the embedded engine crashing under load', () => {
  let db: Database;
  let server: RunningServer;
  let dataDir: string;
  let stopAll: () => Promise<void>;
  let startWorker: () => Promise<void>;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'immichvr-engine-crash-'));
    // As `pnpm start` runs with no DATABASE_URL: PGlite kept in DATA_DIR/db.
    db = await openDatabase({ engine: 'embedded', dataDir });
    await migrate(db);
    const logger = createLogger('silent');
    const deps = await createAppDeps(db, logger, {
      dataDir,
      ffmpegPath: 'ffmpeg',
      ffprobePath: 'ffprobe',
      maxUploadBytes: 10 * 1024 ** 2,
      previewConcurrency: 2,
    });
    server = await startServer(createApp(deps), { port: 0, hostname: '127.0.0.1', logger });
    const media = path.join(dataDir, 'media');
    for (let i = 0; i < JOBS; i++)
      await writeTestJpeg(path.join(media, `p${i}.jpg`), { width: 480, height: 360, seed: i });
    await importFixtures(db, media);
    const worker = await createDepthWorker(
      db,
      deps.layout,
      logger,
      {
        concurrency: 2,
        leaseSeconds: 4,
        ffmpegPath: 'ffmpeg',
        depthServiceUrl: undefined,
        depthServiceTimeoutMs: 5_000,
        pollMs: 100,
        retryBaseSeconds: 1,
      },
      deps.files,
    );
    startWorker = () => worker.runner.start();
    stopAll = async () => {
      await worker.runner.stop(2_000);
      await server.close();
      await deps.close();
    };
  }, 60_000);
  afterAll(async () => {
    await stopAll?.();
    await db?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers 503 while it is down, opens the data folder again by itself, loses and doubles no job, and the live events carry on', async () => {
    const { rows: items } = await db.query<{ id: string }>('SELECT id FROM media_items');
    expect(items).toHaveLength(JOBS);
    const events = await openEventStream(`${server.url}/api/events`);
    for (const { id } of items)
      await fetch(`${server.url}/api/media/${id}/reprocess`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
    await startWorker();

    const samples: Array<{ at: number; status: number; body: string }> = [];
    let browsing = true;
    const browse = async () => {
      while (browsing) {
        const at = performance.now();
        const res = await fetch(`${server.url}/api/media?limit=5`, {
          signal: AbortSignal.timeout(10_000),
        });
        samples.push({ at, status: res.status, body: await res.text() });
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const clients = Promise.all([browse(), browse()]);

    await new Promise((r) => setTimeout(r, 600));
    const crashedAt = performance.now();
    await crashEngineThreadForTests();

    // Everything recovers by itself: all jobs done.
    const deadline = Date.now() + 60_000;
    let done = 0;
    while (Date.now() < deadline) {
      const counted = await db
        .query<{ n: number }>(
          `SELECT count(*)::int AS n FROM processing_queue WHERE status = 'completed'`,
        )
        .catch(() => undefined);
      done = counted?.rows[0]?.n ?? done;
      if (done >= JOBS && performance.now() > crashedAt + 3_000) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    browsing = false;
    await clients;

    const unavailable = samples.filter((s) => s.status === 503);
    const after = samples.filter((s) => s.at > crashedAt + 2_500);
    console.log(
      `${samples.length} list requests; ${unavailable.length} answered 503 (the last ${Math.round(Math.max(0, ...unavailable.map((s) => s.at - crashedAt)))} ms after the crash); ${after.length} after`,
    );
    // The engine was down: someone heard it, as a 503 problem, not a 500.
    expect(unavailable.length).toBeGreaterThan(0);
    for (const s of unavailable)
      expect(problemSchema.parse(JSON.parse(s.body)).detail).toMatch(/database is unreachable/);
    expect(samples.every((s) => s.status === 200 || s.status === 503)).toBe(true);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((s) => s.status === 200)).toBe(true);

    // Exactly one completed job and one depth map per item; every depth file has its row.
    expect(done).toBe(JOBS);
    const { rows: perItem } = await db.query<{ completed: number; maps: number }>(
      `SELECT (SELECT count(*)::int FROM processing_queue q WHERE q.media_item_id = m.id AND q.status = 'completed') AS completed,
              (SELECT count(*)::int FROM depth_map_cache d WHERE d.media_item_id = m.id) AS maps
       FROM media_items m`,
    );
    expect(perItem).toHaveLength(JOBS);
    expect(perItem.every((r) => r.completed === 1 && r.maps === 1)).toBe(true);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await depthFilesAndRowsAgree(db, dataDir)).toEqual({
      rowsWithoutFile: [],
      filesWithoutRow: [],
      leftInTmp: [],
    });

    // Live events carry on over the same stream: a reprocess after the crash is heard.
    const first = items[0]?.id as string;
    await fetch(`${server.url}/api/media/${first}/reprocess`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    await events.next(
      (e) =>
        e.event === 'media.status' &&
        (e.data as { mediaId: string }).mediaId === first &&
        (e.data as { status: string }).status === 'completed' &&
        events.events.indexOf(e) > 0,
      30_000,
    );
    events.close();
  }, 120_000);
});
