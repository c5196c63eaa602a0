import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { problemSchema } from '@immichvr/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { createAppDeps } from '../src/app-deps';
import { type Database, openDatabase } from '../src/db/database';
import { createLogger } from '../src/logger';
import { type RunningServer, startServer } from '../src/node-server';
import { createDepthWorker } from '../src/worker/create-worker';
import { openEventStream } from './helpers/event-stream';
import { depthFilesAndRowsAgree } from './helpers/files';
import { importFixtures, writeTestJpeg } from './helpers/media-fixtures';
import { startTcpProxy } from './helpers/tcp-proxy';
import { createTestDatabase, TEST_POSTGRES_URL, type TestDatabase } from './helpers/test-database';

const JOBS = 16;
const OUTAGE_MS = 3_000;

describe.skipIf(!TEST_POSTGRES_URL)('PostgreSQL restarting under load', () => {
  let t: TestDatabase;
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let appDb: Database;
  let server: RunningServer;
  let dataDir: string;
  let stopAll: () => Promise<void>;
  let startWorker: () => Promise<void>;

  beforeAll(async () => {
    t = await createTestDatabase('postgres');
    const direct = new URL(t.url as string);
    proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    const proxied = new URL(direct);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    appDb = await openDatabase({ engine: 'postgres', url: proxied.toString() });
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'immichvr-pg-restart-'));
    const logger = createLogger('silent');
    const deps = await createAppDeps(appDb, logger, {
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
    await importFixtures(t.db, media);
    const worker = await createDepthWorker(
      appDb,
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
    await appDb?.close();
    await proxy?.close();
    await t?.cleanup();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('fails fast with 503 during the outage, recovers without a restart, loses and doubles no job', async () => {
    const { rows: items } = await t.db.query<{ id: string }>('SELECT id FROM media_items');
    const events = await openEventStream(`${server.url}/api/events`);
    // Queue every item, then keep browsing while the worker runs.
    for (const { id } of items)
      await fetch(`${server.url}/api/media/${id}/reprocess`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
    await startWorker();

    const samples: Array<{ at: number; status: number; ms: number; body: string }> = [];
    let browsing = true;
    const browse = async () => {
      while (browsing) {
        const started = performance.now();
        const res = await fetch(`${server.url}/api/media?limit=5`, {
          signal: AbortSignal.timeout(10_000),
        });
        samples.push({
          at: started,
          status: res.status,
          ms: performance.now() - started,
          body: await res.text(),
        });
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const clients = Promise.all([browse(), browse(), browse()]);

    await new Promise((r) => setTimeout(r, 800));
    const outageStart = performance.now();
    await proxy.cut();
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    await proxy.restore();
    const outageEnd = performance.now();

    // Everything recovers by itself: all jobs done.
    const deadline = Date.now() + 60_000;
    let done = 0;
    while (Date.now() < deadline) {
      const { rows } = await t.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM processing_queue WHERE status = 'completed'`,
      );
      done = rows[0]?.n ?? 0;
      if (done >= JOBS && performance.now() > outageEnd + 4_000) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    browsing = false;
    await clients;

    const during = samples.filter((s) => s.at > outageStart + 200 && s.at < outageEnd - 200);
    const after = samples.filter((s) => s.at > outageEnd + 3_000);
    console.log(
      `${samples.length} list requests; during the outage ${during.length} (statuses ${[...new Set(during.map((s) => s.status))].join(',')}, slowest ${Math.round(Math.max(0, ...during.map((s) => s.ms)))} ms); after ${after.length}`,
    );
    expect(during.length).toBeGreaterThan(0);
    for (const s of during) {
      expect(s.status).toBe(503);
      expect(problemSchema.parse(JSON.parse(s.body)).detail).toMatch(/database is unreachable/);
      expect(s.ms).toBeLessThan(5_500);
    }
    expect(samples.every((s) => s.status === 200 || s.status === 503)).toBe(true);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((s) => s.status === 200)).toBe(true);

    // Exactly one completed job and one depth map per item; every depth file has its row.
    const { rows: perItem } = await t.db.query<{ completed: number; maps: number }>(
      `SELECT (SELECT count(*)::int FROM processing_queue q WHERE q.media_item_id = m.id AND q.status = 'completed') AS completed,
              (SELECT count(*)::int FROM depth_map_cache d WHERE d.media_item_id = m.id) AS maps
       FROM media_items m`,
    );
    expect(perItem).toHaveLength(JOBS);
    expect(perItem.every((r) => r.completed === 1 && r.maps === 1)).toBe(true);
    // Results whose commit was cut off are settled (kept or removed) once the database answers.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await depthFilesAndRowsAgree(t.db, dataDir)).toEqual({
      rowsWithoutFile: [],
      filesWithoutRow: [],
      leftInTmp: [],
    });

    // Live events carry on over the same stream: a reprocess after the restart is heard.
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
        (e.data as { status: string }).status === 'completed',
      30_000,
    );
    events.close();
  }, 120_000);
});
