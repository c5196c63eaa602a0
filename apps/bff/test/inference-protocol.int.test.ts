import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger';
import { dataLayout } from '../src/storage/data-layout';
import { createDepthWorker } from '../src/worker/create-worker';
import { InferenceProtocolEstimator } from '../src/worker/depth/inference-protocol-estimator';
import { OnnxEstimator } from '../src/worker/depth/onnx-estimator';
import { startInferenceServer } from './helpers/inference-server';
import { importFixtures, writeTestJpeg } from './helpers/media-fixtures';
import { queueJobs } from './helpers/queue-jobs';
import { createTestDatabase, type TestDatabase } from './helpers/test-database';
import { writeTinyDepthModel } from './helpers/tiny-onnx-model';

describe('depth from an Open Inference Protocol server (a stand-in for Triton, running the tiny model)', () => {
  let work: string;
  let server: Awaited<ReturnType<typeof startInferenceServer>>;
  let local: OnnxEstimator;
  const image = {
    width: 64,
    height: 48,
    data: Uint8Array.from({ length: 64 * 48 * 3 }, (_, i) => (i * 37) % 251),
  };
  const signal = new AbortController().signal;

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'immichvr-oip-'));
    await writeTinyDepthModel(path.join(work, 'tiny.onnx'));
    server = await startInferenceServer('depth_anything_v2_small', path.join(work, 'tiny.onnx'));
    local = await OnnxEstimator.load(path.join(work, 'tiny.onnx'), { provider: 'cpu' });
  });
  afterAll(async () => {
    await server?.close();
    await local?.close();
    await rm(work, { recursive: true, force: true });
  });

  it('gives exactly what the same model gives locally, in binary and in JSON answers', async () => {
    const remote = new InferenceProtocolEstimator({
      url: server.url,
      timeoutMs: 5_000,
      retries: 0,
    });
    expect(remote.modelName).toMatch(/^remote:127\.0\.0\.1:\d+\/depth_anything_v2_small$/);
    const expected = await local.estimate(image, signal);
    const binary = await remote.estimate(image, signal);
    expect({ width: binary.width, height: binary.height }).toEqual({ width: 700, height: 518 });
    expect(Buffer.compare(Buffer.from(binary.data.buffer), Buffer.from(expected.data.buffer))).toBe(
      0,
    );
    server.state.jsonAnswers = true;
    const json = await remote.estimate(image, signal);
    server.state.jsonAnswers = false;
    expect(Array.from(json.data)).toEqual(Array.from(expected.data));
  });

  it('retries a busy server and says clearly when it refuses', async () => {
    const remote = new InferenceProtocolEstimator({
      url: server.url,
      timeoutMs: 5_000,
      retries: 2,
    });
    server.state.failNext = [503, 503];
    await expect(remote.estimate(image, signal)).resolves.toMatchObject({ width: 700 });
    server.state.failNext = [400];
    await expect(remote.estimate(image, signal)).rejects.toThrow(
      'the inference server refused the request: HTTP 400 {"error":"model is busy"}',
    );
    const missing = new InferenceProtocolEstimator({
      url: `${server.url}-large`,
      timeoutMs: 5_000,
      retries: 0,
    });
    await expect(missing.estimate(image, signal)).rejects.toThrow(
      /the inference server has no model at .*depth_anything_v2_small-large: HTTP 404/,
    );
  });

  it('makes a depth map through the worker when DEPTH_SERVICE_PROTOCOL=open-inference', async () => {
    let t: TestDatabase | undefined;
    try {
      t = await createTestDatabase('embedded');
      const db = t.db;
      await writeTestJpeg(path.join(work, 'library', 'photo.jpg'), { width: 800, height: 600 });
      const id = (await importFixtures(db, path.join(work, 'library'))).get('photo.jpg');
      const worker = await createDepthWorker(db, dataLayout(work), createLogger('silent'), {
        concurrency: 1,
        leaseSeconds: 30,
        ffmpegPath: 'ffmpeg',
        depthServiceUrl: `${server.url}/`,
        depthServiceProtocol: 'open-inference',
        depthServiceTimeoutMs: 5_000,
        pollMs: 50,
      });
      await worker.runner.start();
      const { rows } = await db.query<{ id: string }>(
        'INSERT INTO processing_queue (media_item_id) VALUES ($1) RETURNING id',
        [id],
      );
      const jobs = queueJobs(() => db, { pollMs: 50, timeoutMs: 20_000 });
      expect(
        (await jobs.until((rows[0] as { id: string }).id, ['completed', 'failed'])).status,
      ).toBe('completed');
      worker.stop();
      await worker.runner.stop(2_000);
      const depth = await db.query('SELECT model_name, width, height FROM depth_map_cache');
      expect(depth.rows[0]).toMatchObject({
        model_name: expect.stringMatching(/^remote:127\.0\.0\.1:\d+\/depth_anything_v2_small$/),
        width: 691,
        height: 518,
      });
    } finally {
      await t?.cleanup();
    }
  }, 60_000);
});
