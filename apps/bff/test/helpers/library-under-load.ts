import path from 'node:path';
import { expect } from 'vitest';
import { createApp } from '../../src/app';
import { createAppDeps } from '../../src/app-deps';
import type { Database } from '../../src/db/database';
import { createLogger } from '../../src/logger';
import { startServer } from '../../src/node-server';
import { createDepthWorker } from '../../src/worker/create-worker';
import type { EventStreamClient } from './event-stream';
import { depthFilesAndRowsAgree } from './files';
import { importFixtures, writeTestJpeg } from './media-fixtures';

/**
 * The BFF and a depth worker over `appDb`, with `jobs` photos imported (through `setupDb`, which
 * may be a direct connection when `appDb` goes through something the test cuts) and queued: what
 * the database-outage tests put under load.
 */
export async function startLibraryUnderLoad(options: {
  appDb: Database;
  setupDb: Database;
  dataDir: string;
  jobs: number;
}) {
  const { appDb, setupDb, dataDir, jobs } = options;
  const logger = createLogger('silent');
  const deps = await createAppDeps(appDb, logger, {
    dataDir,
    ffmpegPath: 'ffmpeg',
    ffprobePath: 'ffprobe',
    maxUploadBytes: 10 * 1024 ** 2,
    previewConcurrency: 2,
  });
  const server = await startServer(createApp(deps), { port: 0, hostname: '127.0.0.1', logger });
  const media = path.join(dataDir, 'media');
  for (let i = 0; i < jobs; i++)
    await writeTestJpeg(path.join(media, `p${i}.jpg`), { width: 480, height: 360, seed: i });
  await importFixtures(setupDb, media);
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
  const reprocess = (id: string) =>
    fetch(`${server.url}/api/media/${id}/reprocess`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
  return {
    url: server.url,
    /** Queues every item, then starts the worker. */
    async queueAllAndWork(ids: string[]) {
      for (const id of ids) await reprocess(id);
      await worker.runner.start();
    },
    reprocess,
    async stop() {
      await worker.runner.stop(2_000);
      await server.close();
      await deps.close();
    },
  };
}

export interface ListSample {
  at: number;
  status: number;
  ms: number;
  body: string;
}

/** `clients` clients listing the library every `pauseMs` until `stop`; every answer is kept. */
export function browse(url: string, clients: number, pauseMs: number) {
  const samples: ListSample[] = [];
  let browsing = true;
  const client = async () => {
    while (browsing) {
      const at = performance.now();
      const res = await fetch(`${url}/api/media?limit=5`, { signal: AbortSignal.timeout(10_000) });
      samples.push({ at, status: res.status, ms: performance.now() - at, body: await res.text() });
      await new Promise((r) => setTimeout(r, pauseMs));
    }
  };
  const running = Promise.all(Array.from({ length: clients }, client));
  return {
    samples,
    async stop() {
      browsing = false;
      await running;
    },
  };
}

/** Waits (up to 60 s) until `jobs` jobs are completed and `notBefore` (performance.now()) has passed. */
export async function waitForJobsDone(db: Database, jobs: number, notBefore: number) {
  const deadline = Date.now() + 60_000;
  let done = 0;
  while (Date.now() < deadline) {
    // The database may still be coming back: a failed count is asked again.
    const counted = await db
      .query<{ n: number }>(
        `SELECT count(*)::int AS n FROM processing_queue WHERE status = 'completed'`,
      )
      .catch(() => undefined);
    done = counted?.rows[0]?.n ?? done;
    if (done >= jobs && performance.now() > notBefore) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return done;
}

/** Exactly one completed job and one depth map per item; every depth file has its row. */
export async function expectEveryItemDoneOnce(db: Database, dataDir: string, jobs: number) {
  const { rows: perItem } = await db.query<{ completed: number; maps: number }>(
    `SELECT (SELECT count(*)::int FROM processing_queue q WHERE q.media_item_id = m.id AND q.status = 'completed') AS completed,
            (SELECT count(*)::int FROM depth_map_cache d WHERE d.media_item_id = m.id) AS maps
     FROM media_items m`,
  );
  expect(perItem).toHaveLength(jobs);
  expect(perItem.every((r) => r.completed === 1 && r.maps === 1)).toBe(true);
  // Results whose commit was cut off are settled (kept or removed) once the database answers.
  await new Promise((r) => setTimeout(r, 1_500));
  expect(await depthFilesAndRowsAgree(db, dataDir)).toEqual({
    rowsWithoutFile: [],
    filesWithoutRow: [],
    leftInTmp: [],
  });
}

/** Live events carry on over the same stream: a reprocess asked for now is heard completing. */
export async function expectReprocessHeard(
  library: { reprocess(id: string): Promise<Response> },
  events: EventStreamClient,
  id: string,
) {
  const heardBefore = events.events.length;
  await library.reprocess(id);
  await events.next(
    (e) =>
      events.events.indexOf(e) >= heardBefore &&
      e.event === 'media.status' &&
      (e.data as { mediaId: string }).mediaId === id &&
      (e.data as { status: string }).status === 'completed',
    30_000,
  );
}
