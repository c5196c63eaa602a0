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
import { MEDIA_EVENTS_CHANNEL, mediaEventsOf } from '../src/services/media-events.service';
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
/** Rounds of ours and graphile-worker's, interleaved, per concurrency. */
const ROUNDS = Number(process.env.BENCH_QUEUE_ROUNDS ?? 3);
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

  // One round of each first, not counted: the fresh database's first passes over new rows (hint
  // bits, first plans, caches) would fall on whichever runs first.
  await runOurs(db, ids, 1);
  await runTheirs(db, url, 1);
  for (const workers of [1, 2, 4, 8]) {
    // Interleaved rounds, the order alternating, so the machine's drift falls on both sides.
    const rounds: Array<{ ours: number; theirs: number; events: number }> = [];
    for (let round = 0; round < ROUNDS; round++) {
      let theirs = round % 2 === 1 ? await runTheirs(db, url, workers) : null;
      const ours = await runOurs(db, ids, workers);
      theirs ??= await runTheirs(db, url, workers);
      rounds.push({ ours: ours.jobsPerSecond, theirs: theirs.jobsPerSecond, events: ours.events });
    }
    const ratios = rounds.map((r) => r.ours / r.theirs);
    const mid = (values: number[]) => percentile(values, 50);
    console.log(
      `queue, ${workers} worker${workers > 1 ? 's' : ''}: ${mid(rounds.map((r) => r.ours)).toFixed(0)} jobs/s | graphile-worker ${mid(rounds.map((r) => r.theirs)).toFixed(0)} jobs/s | ratio ${mid(ratios).toFixed(2)}× median of ${ROUNDS} interleaved rounds (${ratios.map((r) => r.toFixed(2)).join(', ')}) (target ≥ 1.0×) | status events ${Math.min(...rounds.map((r) => r.events))} of ${2 * JOBS}`,
    );
  }
  await utils.release();
  await db.query('DELETE FROM media_items');
}

/** Our runner working through JOBS no-op jobs at `workers` at once: jobs/s and status events seen. */
async function runOurs(
  db: Database,
  ids: string[],
  workers: number,
): Promise<{ jobsPerSecond: number; events: number }> {
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
  // Every status change must still reach the live events: claimed (processing) and completed.
  let events = 0;
  const unlisten = await db.listen(MEDIA_EVENTS_CHANNEL, {
    onNotify: (payload) => {
      for (const change of mediaEventsOf(payload))
        if ((change as { kind?: string }).kind === 'queue') events++;
    },
  });
  const started = performance.now();
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
  const jobsPerSecond = JOBS / ((performance.now() - started) / 1000);
  await runner.stop();
  // The last events are on their way.
  for (let i = 0; i < 100 && events < 2 * JOBS; i++) await new Promise((r) => setTimeout(r, 10));
  await unlisten();
  return { jobsPerSecond, events };
}

/** graphile-worker: the same number of no-op jobs at the same concurrency, same database. */
async function runTheirs(
  db: Database,
  url: string,
  workers: number,
): Promise<{ jobsPerSecond: number }> {
  await db.query(
    `SELECT graphile_worker.add_job('noop', json_build_object('i', g)) FROM generate_series(1, $1::int) g`,
    [JOBS],
  );
  let done = 0;
  let finished: () => void = () => {};
  const allDone = new Promise<void>((resolve) => {
    finished = resolve;
  });
  const started = performance.now();
  const graphile = await runGraphile({
    connectionString: url,
    concurrency: workers,
    noHandleSignals: true,
    pollInterval: 100,
    logger: new Logger(() => () => {}),
    taskList: {
      noop: async () => {
        if (++done === JOBS) setTimeout(finished, 0);
      },
    },
  });
  await allDone;
  for (;;) {
    const left = await db.query<{ n: string }>('SELECT count(*) AS n FROM graphile_worker.jobs');
    if (left.rows[0]?.n === '0') break;
    await new Promise((r) => setTimeout(r, 5));
  }
  const jobsPerSecond = JOBS / ((performance.now() - started) / 1000);
  await graphile.stop();
  return { jobsPerSecond };
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
