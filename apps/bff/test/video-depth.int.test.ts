import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat, truncate } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cancelJob } from '../src/db/queries/queue.queries';
import { DEMO_VIDEOS } from '../src/demo/catalogue';
import { demoLayout, generateDemo } from '../src/demo/generate-demo';
import { createLogger } from '../src/logger';
import { dataLayout } from '../src/storage/data-layout';
import { createDepthWorker } from '../src/worker/create-worker';
import { BuiltinEstimator } from '../src/worker/depth/builtin-estimator';
import type { QueueRunner } from '../src/worker/queue-runner';
import { DepthVideoEncoder } from '../src/worker/video/depth-video-encoder';
import { makeDepthVideo } from '../src/worker/video/make-depth-video';
import { stackFrame } from '../src/worker/video/stacked-frame';
import { planDepthVideo } from '../src/worker/video/video-plan';
import { depthFilesAndRowsAgree, filesUnder } from './helpers/files';
import { importFixtures, writeTestVideo } from './helpers/media-fixtures';
import { queueJobs } from './helpers/queue-jobs';
import { createTestDatabase, ENGINES, type TestDatabase } from './helpers/test-database';
import { spawnWorker } from './helpers/worker-process';

const run = promisify(execFile);
const logger = createLogger('silent');
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every frame of a video as raw RGB (or grey), decoded by ffmpeg at full range. */
async function decodeAll(file: string, pixFmt: 'rgb24' | 'gray'): Promise<Buffer> {
  const { stdout } = await run(
    'ffmpeg',
    [
      '-v',
      'error',
      '-i',
      file,
      '-vf',
      `scale=in_range=full:out_range=full,format=${pixFmt}`,
      '-f',
      'rawvideo',
      '-',
    ],
    { encoding: 'buffer', maxBuffer: 1 << 30 },
  );
  return stdout;
}

describe('depth videos through the real encoder', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'immichvr-video-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps a depth ramp’s levels: ≥ 200 distinct, mean error ≤ 0.5 level', async () => {
    const plan = planDepthVideo({
      width: 512,
      height: 288,
      framesPerSecond: 30,
      durationSeconds: 1,
    });
    const file = path.join(dir, 'ramp.mp4');
    const encoder = DepthVideoEncoder.start('ffmpeg', plan, {
      outFile: file,
      audioFrom: null,
      signal: new AbortController().signal,
    });
    // Colour: a busy texture (the codec's bits go there too). Depth: 0…255 left to right, 2 px each.
    const colour = new Uint8Array(plan.width * plan.height * 3);
    const levels = new Uint8Array(plan.width * plan.height);
    for (let y = 0; y < plan.height; y++)
      for (let x = 0; x < plan.width; x++) {
        levels[y * plan.width + x] = Math.floor(x / 2);
        for (let c = 0; c < 3; c++)
          colour[(y * plan.width + x) * 3 + c] = (x * 7 + y * 13 + c * 50) % 256;
      }
    for (let k = 0; k < 30; k++) await encoder.write(stackFrame(colour, levels, plan));
    await encoder.finish();

    const grey = await decodeAll(file, 'gray');
    const frameBytes = plan.frameWidth * plan.frameHeight;
    expect(grey.length).toBe(30 * frameBytes);
    let error = 0;
    let n = 0;
    const seen = new Set<number>();
    for (const k of [0, 15, 29])
      for (let y = 8; y < plan.height - 8; y++)
        for (let x = 0; x < plan.width; x++) {
          const decoded = grey[
            k * frameBytes + (plan.paddedHeight + y) * plan.frameWidth + x
          ] as number;
          seen.add(decoded);
          error += Math.abs(decoded - Math.floor(x / 2));
          n++;
        }
    console.log(`levels: ${seen.size} distinct of 256, mean error ${(error / n).toFixed(3)} level`);
    expect(seen.size).toBeGreaterThanOrEqual(200);
    expect(error / n).toBeLessThanOrEqual(0.5);
  }, 60_000);

  it('holds depth still on a static-camera demo clip: ≤ 1% of the range, ≥ 2× steadier than per-frame', async () => {
    const clip = DEMO_VIDEOS.find((v) => v.dollyMeters === 0);
    if (!clip) throw new Error('the demo has no static-camera clip');
    const demoDir = path.join(dir, 'demo');
    await generateDemo(demoDir, { ffmpegPath: 'ffmpeg', photos: [], videos: [clip] });
    const source = {
      file: path.join(demoLayout(demoDir).mediaDir, 'videos', clip.name),
      width: clip.width,
      height: clip.height,
      framesPerSecond: clip.framesPerSecond,
      durationSeconds: clip.durationSeconds,
    };
    const plan = planDepthVideo(source);
    const flicker = async (normalization: 'ema' | 'per-frame') => {
      const partialFile = path.join(dir, `${normalization}.mp4`);
      await makeDepthVideo(source, new BuiltinEstimator(), {
        ffmpegPath: 'ffmpeg',
        partialFile,
        signal: new AbortController().signal,
        normalization,
      });
      const rgb = await decodeAll(partialFile, 'rgb24');
      const frameBytes = plan.frameWidth * plan.frameHeight * 3;
      const frames = rgb.length / frameBytes;
      const at = (k: number, x: number, y: number) =>
        k * frameBytes + (y * plan.frameWidth + x) * 3;
      const luma = (i: number) =>
        0.299 * (rgb[i] as number) +
        0.587 * (rgb[i + 1] as number) +
        0.114 * (rgb[i + 2] as number);
      let change = 0;
      let n = 0;
      for (let k = 1; k < frames; k++)
        for (let y = 0; y < plan.height; y += 2)
          for (let x = 0; x < plan.width; x += 2) {
            // Only where the picture holds still: its depth should too.
            if (Math.abs(luma(at(k, x, y)) - luma(at(k - 1, x, y))) > 2) continue;
            const d = at(k, x, plan.paddedHeight + y);
            const before = at(k - 1, x, plan.paddedHeight + y);
            change += Math.abs((rgb[d] as number) - (rgb[before] as number));
            n++;
          }
      return change / n / 255;
    };
    const ema = await flicker('ema');
    const perFrame = await flicker('per-frame');
    console.log(
      `flicker on ${clip.name}: ${(100 * ema).toFixed(3)}% of the depth range per frame (moving average), ${(100 * perFrame).toFixed(3)}% per-frame normalisation, ${(perFrame / ema).toFixed(1)}× steadier`,
    );
    expect(ema).toBeLessThanOrEqual(0.01);
    expect(perFrame / ema).toBeGreaterThanOrEqual(2);
  }, 120_000);
});

describe.each(ENGINES)('video depth jobs on %s', (engine) => {
  let t: TestDatabase;
  let dataDir: string;
  let ids: Map<string, string>;
  const runners: QueueRunner[] = [];

  const startWorker = async () => {
    const { runner } = await createDepthWorker(t.db, dataLayout(dataDir), logger, {
      concurrency: 1,
      leaseSeconds: 2,
      ffmpegPath: 'ffmpeg',
      depthServiceUrl: undefined,
      depthServiceTimeoutMs: 5_000,
      pollMs: 50,
      retryBaseSeconds: 0.05,
      retryMaxSeconds: 0.2,
    });
    runners.push(runner);
    await runner.start();
    return runner;
  };
  const queue = async (mediaId: string) => {
    const { rows } = await t.db.query<{ id: string }>(
      `INSERT INTO processing_queue (media_item_id, max_attempts) VALUES ($1, 2) RETURNING id`,
      [mediaId],
    );
    return (rows[0] as { id: string }).id;
  };
  const { job, until } = queueJobs(() => t.db, { pollMs: 25, timeoutMs: 60_000 });
  const partials = async () =>
    (await filesUnder(path.join(dataDir, 'tmp'))).filter((f) =>
      path.basename(f).startsWith('video-'),
    );

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'immichvr-video-jobs-'));
    const media = path.join(dataDir, 'library');
    await writeTestVideo(path.join(media, 'long.mp4'), {
      size: '320x180',
      rate: 30,
      seconds: 20,
      sound: true,
    });
    await writeTestVideo(path.join(media, 'killed.mp4'), { size: '320x180', rate: 30, seconds: 6 });
    // Cut off: without its index (moov at the end) and with its index but half its frames.
    await writeTestVideo(path.join(media, 'no-index.mp4'), {
      size: '320x180',
      rate: 30,
      seconds: 4,
    });
    const whole = path.join(dataDir, 'whole.mp4');
    await writeTestVideo(whole, { size: '320x180', rate: 30, seconds: 4 });
    await run('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-i',
      whole,
      '-c',
      'copy',
      '-movflags',
      '+faststart',
      path.join(media, 'half.mp4'),
    ]);
    ids = await importFixtures(t.db, media);
    const noIndex = path.join(media, 'no-index.mp4');
    await truncate(noIndex, Math.floor((await stat(noIndex)).size / 2));
    const half = path.join(media, 'half.mp4');
    await truncate(half, Math.floor((await stat(half)).size / 2));
  }, 120_000);
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop(2_000)));
  });
  afterAll(async () => {
    await t?.cleanup();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('reports progress as it goes, and a cancel mid-video stops it within a second, leaving nothing', async () => {
    const runner = await startWorker();
    const id = await queue(ids.get('long.mp4') as string);
    const seen = new Set<number>();
    await until(id, (row) => {
      if (typeof row.progress === 'number') seen.add(row.progress);
      return Number(row.progress) >= 10;
    });
    expect(seen.size).toBeGreaterThan(1); // several steps, not just start and end
    await cancelJob(t.db, id);
    const cancelledAt = performance.now();
    while (runner.activeJobs > 0 && performance.now() - cancelledAt < 5_000) await wait(10);
    const stoppedMs = performance.now() - cancelledAt;
    console.log(`cancel mid-video: stopped after ${stoppedMs.toFixed(0)} ms`);
    expect(stoppedMs).toBeLessThan(1_000);
    expect(await partials()).toEqual([]);
    expect((await job(id)).status).toBe('cancelled');
    expect(await depthFilesAndRowsAgree(t.db, dataDir)).toEqual({
      rowsWithoutFile: [],
      filesWithoutRow: [],
      leftInTmp: [],
    });
  }, 120_000);

  it('fails a truncated MP4 with a clear error, after its attempts, leaving no file or row', async () => {
    await startWorker();
    for (const [name, reason] of [
      ['no-index.mp4', /moov atom not found|could not read the video/],
      ['half.mp4', /ends early: \d+ of 120 frames|could not be decoded/],
    ] as const) {
      const mediaId = ids.get(name) as string;
      const id = await queue(mediaId);
      const failed = await until(id, (row) => row.status === 'failed' && row.attempts === 2);
      expect(String(failed.last_error)).toMatch(reason);
      expect(String(failed.last_error)).not.toContain(dataDir);
      const rows = await t.db.query('SELECT 1 FROM depth_map_cache WHERE media_item_id = $1', [
        mediaId,
      ]);
      expect(rows.rows).toEqual([]);
    }
    expect(await partials()).toEqual([]);
  }, 120_000);

  it.runIf(engine === 'postgres')(
    'a worker killed mid-video leaves only its partial file; the job restarts cleanly and completes',
    async () => {
      const mediaId = ids.get('killed.mp4') as string;
      const id = await queue(mediaId);
      const doomed = spawnWorker({
        DATABASE_URL: t.url as string,
        DATA_DIR: dataDir,
        WORKER_LEASE_SECONDS: '2',
      });
      await until(id, (row) => Number(row.progress) >= 10);
      doomed.child.kill('SIGKILL');
      await doomed.exited;
      expect(await partials()).toHaveLength(1); // what was being written: never recorded
      expect(
        (await t.db.query('SELECT 1 FROM depth_map_cache WHERE media_item_id = $1', [mediaId]))
          .rows,
      ).toEqual([]);

      await startWorker();
      const done = await until(id, (row) => row.status === 'completed');
      expect(done).toMatchObject({ attempts: 2, progress: 100 });
      const depth = await t.db.query<{ processing_params: { frames: number }; file_path: string }>(
        'SELECT processing_params, file_path FROM depth_map_cache WHERE media_item_id = $1',
        [mediaId],
      );
      expect(depth.rows[0]?.processing_params.frames).toBe(180);
      expect(await partials()).toEqual([]);
      expect(await depthFilesAndRowsAgree(t.db, dataDir)).toEqual({
        rowsWithoutFile: [],
        filesWithoutRow: [],
        leftInTmp: [],
      });
    },
    120_000,
  );
});
