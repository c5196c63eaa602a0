/**
 * pnpm bench worker: queue machinery with a no-op job at 1/2/4/8 workers against graphile-worker on
 * the same PostgreSQL; time per photo spent outside inference (decode, resize, encode, hash, write,
 * record) on the demo photos and on 12 MP JPEGs; inference per photo with the built-in estimate and
 * with the tiny ONNX model of the tests (the ONNX path's own cost: input transform, session, output).
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Logger, makeWorkerUtils, run as runGraphile } from 'graphile-worker';
import type { Database } from '../src/db/database';
import type { ClaimedJob } from '../src/db/queries/worker.queries';
import { DEMO_PHOTOS } from '../src/demo/catalogue';
import { demoLayout, generateDemo } from '../src/demo/generate-demo';
import { createLogger } from '../src/logger';
import { importFolder } from '../src/services/import.service';
import { MEDIA_EVENTS_CHANNEL } from '../src/services/media-events.service';
import { dataLayout } from '../src/storage/data-layout';
import { FileLocator } from '../src/storage/file-locator';
import { BuiltinEstimator } from '../src/worker/depth/builtin-estimator';
import { EstimatorSlot } from '../src/worker/depth/estimator-slot';
import { OnnxEstimator } from '../src/worker/depth/onnx-estimator';
import { depthJobHandler } from '../src/worker/depth-job';
import { QueueRunner } from '../src/worker/queue-runner';
import { writeTinyDepthModel } from '../test/helpers/tiny-onnx-model';
import { withBenchDatabase, writeDetailedJpeg } from './fixtures';
import { percentile } from './stats';

const JOBS = Number(process.env.BENCH_JOBS ?? 2000);
const logger = createLogger('silent');

export async function benchWorker(): Promise<void> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'immichvr-bench-worker-'));
  try {
    await withBenchDatabase(
      async (db, url) => {
        await benchQueue(db, url);
        await benchPerPhoto(db, work);
      },
      { maxConnections: 20 },
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function benchQueue(db: Database, url: string): Promise<void> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO media_items (original_filename, media_type, file_path, file_size, mime_type)
     SELECT 'n' || g, 'photo', '/none/' || g, 1, 'image/jpeg' FROM generate_series(1, $1::int) g RETURNING id`,
    [JOBS],
  );
  const ids = rows.map((r) => r.id);
  const utils = await makeWorkerUtils({ connectionString: url });
  await utils.migrate();

  for (const workers of [1, 2, 4, 8]) {
    // Ours: one runner running `workers` jobs at once, as graphile-worker's `concurrency` below.
    await db.query('DELETE FROM processing_queue');
    await db.query('INSERT INTO processing_queue (media_item_id) SELECT unnest($1::uuid[])', [ids]);
    let done = 0;
    let finished: () => void = () => {};
    const allDone = new Promise<void>((resolve) => {
      finished = resolve;
    });
    const noop = async (_job: ClaimedJob) => {
      if (++done === JOBS) setTimeout(finished, 0);
      return { discard: async () => {} };
    };
    const started = performance.now();
    // Every status change must still reach the live events: claimed (processing) and completed.
    let events = 0;
    const unlisten = await db.listen(MEDIA_EVENTS_CHANNEL, {
      onNotify: (payload) => {
        if ((JSON.parse(payload) as { kind?: string }).kind === 'queue') events++;
      },
    });
    const runner = new QueueRunner(db, {
      workerId: 'bench',
      concurrency: workers,
      leaseSeconds: 60,
      pollMs: 100,
      retryBaseSeconds: 1,
      retryMaxSeconds: 1,
      logger,
      handlers: { 'photo-depth': noop, 'video-depth': noop },
    });
    await runner.start();
    await allDone;
    // Done means completed in the database, not just handled.
    for (;;) {
      const left = await db.query<{ n: string }>(
        `SELECT count(*) AS n FROM processing_queue WHERE status <> 'completed'`,
      );
      if (left.rows[0]?.n === '0') break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const ours = JOBS / ((performance.now() - started) / 1000);
    await runner.stop();
    await new Promise((r) => setTimeout(r, 200));
    await unlisten();

    // graphile-worker: the same number of no-op jobs at the same concurrency, same database.
    await db.query(
      `SELECT graphile_worker.add_job('noop', json_build_object('i', g)) FROM generate_series(1, $1::int) g`,
      [JOBS],
    );
    let theirsDone = 0;
    let theirsFinished: () => void = () => {};
    const theirsAll = new Promise<void>((resolve) => {
      theirsFinished = resolve;
    });
    const theirsStarted = performance.now();
    const graphile = await runGraphile({
      connectionString: url,
      concurrency: workers,
      noHandleSignals: true,
      pollInterval: 100,
      logger: new Logger(() => () => {}),
      taskList: {
        noop: async () => {
          if (++theirsDone === JOBS) setTimeout(theirsFinished, 0);
        },
      },
    });
    await theirsAll;
    for (;;) {
      const left = await db.query<{ n: string }>('SELECT count(*) AS n FROM graphile_worker.jobs');
      if (left.rows[0]?.n === '0') break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const theirs = JOBS / ((performance.now() - theirsStarted) / 1000);
    await graphile.stop();
    console.log(
      `queue, ${workers} worker${workers > 1 ? 's' : ''}: ${ours.toFixed(0)} jobs/s | graphile-worker ${theirs.toFixed(0)} jobs/s | ratio ${(ours / theirs).toFixed(2)}× (target ≥ 1.0×) | status events ${events} of ${2 * JOBS}`,
    );
  }
  await utils.release();
  await db.query('DELETE FROM media_items');
}

async function benchPerPhoto(db: Database, work: string): Promise<void> {
  const demo = path.join(work, 'demo');
  await generateDemo(demo, {
    ffmpegPath: process.env.FFMPEG_PATH ?? 'ffmpeg',
    photos: DEMO_PHOTOS,
    videos: [],
  });
  const big = path.join(work, '12mp');
  await mkdir(big, { recursive: true });
  for (let i = 0; i < 6; i++) {
    await writeDetailedJpeg(path.join(big, `12mp-${i}.jpg`), i);
  }
  const layout = dataLayout(work);
  await writeTinyDepthModel(path.join(work, 'tiny-depth.onnx'));
  const tiny = await OnnxEstimator.load(path.join(work, 'tiny-depth.onnx'), { provider: 'auto' });
  const estimators = [
    ['built-in estimate', new BuiltinEstimator()],
    [`tiny ONNX model (${tiny.runtime}; Depth Anything's input transform, a 1-op graph)`, tiny],
  ] as const;

  for (const [label, folder] of [
    [`demo photos (${DEMO_PHOTOS.length})`, demoLayout(demo).mediaDir],
    ['12 MP JPEGs (6)', big],
  ] as const) {
    const summary = await importFolder(db, folder, {
      ffprobePath: process.env.FFPROBE_PATH ?? 'ffprobe',
      queue: false,
    });
    for (const [estimatorLabel, estimator] of estimators) {
      const handler = depthJobHandler({
        db,
        layout,
        files: new FileLocator(db, work, logger),
        estimators: new EstimatorSlot(estimator),
        ffmpegPath: 'ffmpeg',
      });
      const outside: number[] = [];
      const totals: number[] = [];
      const estimates: number[] = [];
      for (const mediaId of summary.addedIds.values()) {
        const job = { media_item_id: mediaId, requested_by: 'user' } as ClaimedJob;
        const started = performance.now();
        const result = await handler(job, {
          signal: new AbortController().signal,
          reportProgress: () => {},
        });
        await db.transaction(async (tx) => result.commit?.(tx));
        await result.afterCommit?.();
        const total = performance.now() - started;
        const params = (
          await db.query<{ p: { timingsMs: { estimateMs: number } } }>(
            'SELECT processing_params AS p FROM depth_map_cache WHERE media_item_id = $1',
            [mediaId],
          )
        ).rows[0]?.p;
        const estimate = params?.timingsMs.estimateMs ?? 0;
        totals.push(total);
        estimates.push(estimate);
        outside.push(total - estimate);
      }
      console.log(
        `per photo, ${label}, ${estimatorLabel}: outside inference median ${percentile(outside, 50).toFixed(0)} ms, p95 ${percentile(outside, 95).toFixed(0)} ms (target ≤ 250 ms at 12 MP) | ` +
          `inference ${percentile(estimates, 50).toFixed(0)} ms | whole job median ${percentile(totals, 50).toFixed(0)} ms, p95 ${percentile(totals, 95).toFixed(0)} ms`,
      );
    }
  }
  await tiny.close();
}
