import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { COARSE_DEPTH_SIZE } from '@immichvr/shared';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger';
import { CoarseDepthCache } from '../src/storage/coarse-depth-cache';
import { dataLayout } from '../src/storage/data-layout';
import { createDepthWorker, type WorkerConfig } from '../src/worker/create-worker';
import type { QueueRunner } from '../src/worker/queue-runner';
import { type FakeDepthService, startDepthService } from './helpers/depth-service';
import { filesUnder } from './helpers/files';
import { importFixtures, writeTestJpeg, writeTestVideo } from './helpers/media-fixtures';
import { queueJobs } from './helpers/queue-jobs';
import { createTestDatabase, ENGINES, type TestDatabase } from './helpers/test-database';

const logger = createLogger(process.env.TEST_LOG_LEVEL === 'debug' ? 'debug' : 'silent');
const run = promisify(execFile);
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(ENGINES)('the depth worker on %s', (engine) => {
  let t: TestDatabase;
  let dataDir: string;
  let ids: Map<string, string>;
  let service: FakeDepthService;
  const runners: QueueRunner[] = [];

  const startWorker = async (overrides: Partial<WorkerConfig> = {}) => {
    const { runner } = await createDepthWorker(t.db, dataLayout(dataDir), logger, {
      concurrency: 1,
      leaseSeconds: 30,
      ffmpegPath: 'ffmpeg',
      depthServiceUrl: undefined,
      depthServiceTimeoutMs: 5_000,
      pollMs: 50,
      retryBaseSeconds: 0.05,
      retryMaxSeconds: 0.2,
      ...overrides,
    });
    runners.push(runner);
    await runner.start();
    return runner;
  };
  const queue = async (mediaId: string, requestedBy: 'system' | 'user' = 'system') => {
    const { rows } = await t.db.query<{ id: string }>(
      `INSERT INTO processing_queue (media_item_id, requested_by) VALUES ($1, $2) RETURNING id`,
      [mediaId, requestedBy],
    );
    return (rows[0] as { id: string }).id;
  };
  const { job, until } = queueJobs(() => t.db, { pollMs: 50, timeoutMs: 20_000 });
  const depthRow = async (mediaId: string) =>
    (await t.db.query('SELECT * FROM depth_map_cache WHERE media_item_id = $1', [mediaId]))
      .rows[0] as Record<string, unknown> | undefined;

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'immichvr-worker-'));
    const media = path.join(dataDir, 'library');
    await writeTestJpeg(path.join(media, 'landscape.jpg'), {
      width: 1600,
      height: 1200,
      focalLength35mm: 28,
    });
    await writeTestJpeg(path.join(media, 'portrait.jpg'), {
      width: 900,
      height: 600,
      orientation: 6,
    });
    await writeTestJpeg(path.join(media, 'again.jpg'), { width: 640, height: 480, seed: 3 });
    await writeTestJpeg(path.join(media, 'ground.jpg'), { width: 640, height: 480, seed: 4 });
    await writeTestJpeg(path.join(media, 'remote.jpg'), { width: 800, height: 600, seed: 5 });
    await writeTestJpeg(path.join(media, 'slow.jpg'), { width: 800, height: 600, seed: 6 });
    const jpeg = await readFile(path.join(media, 'again.jpg'));
    await writeFile(path.join(media, 'truncated.jpg'), jpeg.subarray(0, 400));
    const heic = Buffer.alloc(64);
    heic.writeUInt32BE(24, 0);
    heic.write('ftypheic', 4, 'latin1');
    heic.write('mif1heic', 16, 'latin1');
    await writeFile(path.join(media, 'phone.heic'), heic);
    await writeTestVideo(path.join(media, 'clip.mp4'));
    ids = await importFixtures(t.db, media);
    service = await startDepthService();
  }, 60_000);
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop(2_000)));
  });
  afterAll(async () => {
    await service?.close();
    await t?.cleanup();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('makes a 16-bit depth map upright, with the photo’s aspect and a matching checksum', async () => {
    const mediaId = ids.get('portrait.jpg') as string;
    const jobId = await queue(mediaId);
    await startWorker();
    const done = await until(jobId, ['completed', 'failed']);
    expect(done).toMatchObject({
      status: 'completed',
      attempts: 1,
      last_error: null,
      locked_by: null,
    });
    expect(Number(done.processing_duration_seconds)).toBeGreaterThan(0);
    const depth = await depthRow(mediaId);
    // Stored 900×600 with orientation 6: displayed 600×900, so the map is 518×777.
    expect(depth).toMatchObject({
      width: 518,
      height: 777,
      format: 'png',
      model_name: 'immichvr-heuristic',
      model_version: '2',
    });
    const file = String(depth?.file_path);
    expect(file.startsWith(path.join(dataDir, 'depth'))).toBe(true);
    const bytes = await readFile(file);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(depth?.checksum);
    expect(Number(depth?.file_size)).toBe(bytes.length);
    const meta = await sharp(bytes).metadata();
    expect([meta.width, meta.height, meta.depth, meta.channels]).toEqual([518, 777, 'ushort', 1]);
    const params = depth?.processing_params as {
      depthKind: string;
      normalization: { rawMin: number; rawMax: number };
    };
    expect(params.depthKind).toBe('relative-disparity');
    expect(params.normalization.rawMax).toBeGreaterThan(params.normalization.rawMin);
    // Uses the whole 16-bit range: this two-colour photo varies only by row (the ground plane below
    // the horizon), and each of those ~450 rows keeps its own level — more than 8 bits could hold.
    const { data } = await sharp(bytes)
      .toColourspace('grey16')
      .raw({ depth: 'ushort' })
      .toBuffer({ resolveWithObject: true });
    const samples = new Uint16Array(data.buffer, data.byteOffset, data.length / 2);
    expect(samples.reduce((a, b) => Math.max(a, b), 0)).toBe(65535);
    expect(samples.reduce((a, b) => Math.min(a, b), 65535)).toBe(0);
    expect(new Set(samples).size).toBeGreaterThan(400);
  });

  it('makes a video’s depth video: every frame, its colour over its depth, at the video’s aspect', async () => {
    const mediaId = ids.get('clip.mp4') as string;
    await startWorker();
    const id = await queue(mediaId);
    expect((await until(id, ['completed', 'failed'])).status).toBe('completed');
    expect((await job(id)).progress).toBe(100);
    const depth = await depthRow(mediaId);
    // 160×90 → halves padded to 96 rows (whole macroblocks), stacked: 160×192.
    expect(depth).toMatchObject({ format: 'mp4', width: 160, height: 192 });
    expect(depth?.processing_params).toMatchObject({
      source: 'video',
      frames: 24,
      video: { layout: 'colour-over-depth', colour: [0, 0, 160, 90], depth: [0, 96, 160, 90] },
      normalization: { method: 'ema' },
    });
    const { stdout } = await run('ffprobe', [
      '-v',
      'error',
      '-count_frames',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=width,height,nb_read_frames,color_range',
      '-of',
      'json',
      String(depth?.file_path),
    ]);
    expect(JSON.parse(stdout).streams[0]).toMatchObject({
      width: 160,
      height: 192,
      nb_read_frames: '24',
      color_range: 'pc',
    });
  });

  it('replaces a depth map on reprocessing and removes the old file (and its coarse one) only after', async () => {
    const mediaId = ids.get('landscape.jpg') as string;
    await startWorker();
    await until(await queue(mediaId), ['completed']);
    const first = await depthRow(mediaId);
    // A viewer opened it: the first map's coarse version was made.
    const layout = dataLayout(dataDir);
    const firstCoarse = await new CoarseDepthCache(layout, 1).get(
      { mediaId, depthMapId: String(first?.id), file: String(first?.file_path) },
      COARSE_DEPTH_SIZE,
    );
    await until(await queue(mediaId, 'user'), ['completed']);
    const second = await depthRow(mediaId);
    expect(second?.id).not.toBe(first?.id);
    expect(second?.file_path).not.toBe(first?.file_path);
    expect([second?.width, second?.height]).toEqual([691, 518]);
    // The photo's field of view travels with its depth map, for the viewer to unproject with.
    expect(second?.processing_params).toMatchObject({ focalLength35mm: 28 });
    // Removed once the new row has committed: the job reads 'completed' a moment before, and the
    // map goes before its coarse version (each is waited for).
    const gone = (file: string) =>
      stat(file).then(
        () => 'there',
        () => 'gone',
      );
    await expect.poll(() => gone(String(first?.file_path)), { timeout: 5_000 }).toBe('gone');
    await expect.poll(() => gone(firstCoarse), { timeout: 5_000 }).toBe('gone');
    await expect(stat(String(second?.file_path))).resolves.toBeTruthy();
  });

  it('fails corrupt originals at once with a clear error (not retried as if transient), leaving nothing', async () => {
    const truncated = await queue(ids.get('truncated.jpg') as string);
    const heic = await queue(ids.get('phone.heic') as string);
    const good = await queue(ids.get('again.jpg') as string);
    await startWorker({ concurrency: 2 });
    const bad = await until(truncated, ['failed']);
    expect(bad).toMatchObject({ attempts: 1, error_count: 1, locked_by: null });
    expect(String(bad.last_error)).toMatch(/could not be decoded/);
    expect(String(bad.last_error)).not.toContain(dataDir);
    // A HEIC header with no image in it: libheif says so, once.
    const badHeic = await until(heic, ['failed']);
    expect(badHeic).toMatchObject({ attempts: 1 });
    expect(String(badHeic.last_error)).toMatch(/could not be decoded/);
    expect((await until(good, ['completed'])).status).toBe('completed');
    for (const id of ['truncated.jpg', 'phone.heic'])
      expect(await depthRow(ids.get(id) as string)).toBeUndefined();
    expect(
      (await filesUnder(path.join(dataDir, 'tmp'))).filter((f) => f.includes('depth-')),
    ).toEqual([]);
  });

  it('keeps a ground-truth depth map unless the user asked for that item', async () => {
    const mediaId = ids.get('ground.jpg') as string;
    await t.db.query(
      `INSERT INTO depth_map_cache (media_item_id, file_path, file_size, width, height, model_name)
       VALUES ($1, $2, 1, 640, 480, 'ground-truth')`,
      [mediaId, path.join(dataDir, 'gt.png')],
    );
    await startWorker();
    await until(await queue(mediaId), ['completed']);
    expect((await depthRow(mediaId))?.model_name).toBe('ground-truth');
    await until(await queue(mediaId, 'user'), ['completed']);
    expect((await depthRow(mediaId))?.model_name).toBe('immichvr-heuristic');
  });

  it('uses a remote depth service, retrying its 5xx answers', async () => {
    const mediaId = ids.get('remote.jpg') as string;
    service.requests = 0;
    service.script = ['error503', 'ok'];
    await startWorker({ depthServiceUrl: service.url });
    const done = await until(await queue(mediaId), ['completed', 'failed']);
    expect(done.status).toBe('completed');
    expect(service.requests).toBe(2);
    const depth = await depthRow(mediaId);
    expect(depth).toMatchObject({
      model_name: expect.stringMatching(/^remote:127\.0\.0\.1:\d+$/),
      width: 691,
      height: 518,
    });
    // The service's top-to-bottom ramp survives resampling: near (bottom) is high.
    const { data, info } = await sharp(String(depth?.file_path))
      .toColourspace('grey16')
      .raw({ depth: 'ushort' })
      .toBuffer({ resolveWithObject: true });
    const px = (x: number, y: number) => data.readUInt16LE((y * info.width + x) * 2);
    expect(px(300, 0)).toBeLessThan(1000);
    expect(px(300, 517)).toBeGreaterThan(64500);
  });

  it('fails a job the depth service refuses, with its answer in the error', async () => {
    service.requests = 0;
    service.script = ['error400'];
    await startWorker({ depthServiceUrl: service.url });
    const id = await t.db.query<{ id: string }>(
      `INSERT INTO processing_queue (media_item_id, max_attempts) VALUES ($1, 1) RETURNING id`,
      [ids.get('remote.jpg')],
    );
    const failed = await until((id.rows[0] as { id: string }).id, ['failed']);
    expect(String(failed.last_error)).toContain('HTTP 400 cannot read that image');
    service.script = ['ok'];
  });

  it('honours a cancel mid-job: the result is dropped and no file is left', async () => {
    const mediaId = ids.get('slow.jpg') as string;
    service.script = ['ok'];
    service.delayMs = 1_500;
    await startWorker({ depthServiceUrl: service.url, leaseSeconds: 0.9 });
    const before = await depthRow(mediaId);
    const jobId = await queue(mediaId);
    await until(jobId, ['processing']);
    await t.db.query(
      `UPDATE processing_queue SET status = 'cancelled', completed_at = now() WHERE id = $1`,
      [jobId],
    );
    await wait(2_000);
    service.delayMs = 0;
    expect((await job(jobId)).status).toBe('cancelled');
    expect(await depthRow(mediaId)).toEqual(before);
    const depthFiles = await filesUnder(path.join(dataDir, 'depth'));
    expect(depthFiles.filter((f) => f.includes(mediaId))).toEqual([]);
    expect(
      (await filesUnder(path.join(dataDir, 'tmp'))).filter((f) => f.includes('depth-')),
    ).toEqual([]);
  });

  it('takes back the job of a worker that stopped renewing its lease', async () => {
    const mediaId = ids.get('again.jpg') as string;
    const jobId = await queue(mediaId);
    await t.db.query(
      `UPDATE processing_queue SET status = 'processing', attempts = 1, started_at = now() - interval '5 minutes',
         locked_by = 'lost-host:1', lease_expires_at = now() - interval '1 second' WHERE id = $1`,
      [jobId],
    );
    await startWorker();
    const done = await until(jobId, ['completed']);
    expect(done).toMatchObject({ attempts: 2, error_count: 1 });
  });
});
