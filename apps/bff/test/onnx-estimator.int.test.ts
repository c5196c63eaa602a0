import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger';
import { dataLayout } from '../src/storage/data-layout';
import { createDepthWorker } from '../src/worker/create-worker';
import { OnnxEstimator } from '../src/worker/depth/onnx-estimator';
import { importFixtures, writeTestJpeg } from './helpers/media-fixtures';
import { createTestDatabase, type TestDatabase } from './helpers/test-database';
import { writeTinyDepthModel } from './helpers/tiny-onnx-model';

const run = promisify(execFile);

describe('the ONNX depth model path (a tiny model with Depth Anything V2’s signature)', () => {
  let t: TestDatabase;
  let dataDir: string;
  let photoId: string;

  beforeAll(async () => {
    t = await createTestDatabase('embedded');
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'immichvr-onnx-'));
    await writeTinyDepthModel(path.join(dataDir, 'tiny-depth.onnx'));
    await writeTinyDepthModel(path.join(dataDir, 'fixed-518.onnx'), { height: 518, width: 518 });
    // Stored 900×600, left half red and right half blue, orientation 6: shown 600×900, red on top.
    await writeTestJpeg(path.join(dataDir, 'library', 'portrait.jpg'), {
      width: 900,
      height: 600,
      orientation: 6,
    });
    photoId = (await importFixtures(t.db, path.join(dataDir, 'library'))).get(
      'portrait.jpg',
    ) as string;
  }, 60_000);
  afterAll(async () => {
    await t?.cleanup();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('reads input and output names and shapes from the model', async () => {
    const dynamic = await OnnxEstimator.load(path.join(dataDir, 'tiny-depth.onnx'));
    expect(dynamic.modelName).toBe('onnx:tiny-depth');
    expect(dynamic.modelVersion).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(dynamic.describe()).toMatchObject({ input: 'pixel_values', output: 'predicted_depth' });
    const fixed = await OnnxEstimator.load(path.join(dataDir, 'fixed-518.onnx'));
    expect(fixed.describe()).toMatchObject({ fixedInput: { width: 518, height: 518 } });
    await dynamic.close();
    await fixed.close();
  });

  it('runs on CUDA when onnxruntime-node can, else on the CPU with one line saying why', async () => {
    const reasons: string[] = [];
    const model = await OnnxEstimator.load(path.join(dataDir, 'tiny-depth.onnx'), {
      provider: 'auto',
      onFallback: (reason) => reasons.push(reason),
    });
    expect(model.describe()).toMatchObject({ runtime: `onnxruntime-node (${model.runtime})` });
    if (model.runtime === 'cuda') expect(reasons).toEqual([]);
    else {
      expect(reasons).toHaveLength(1);
      expect(reasons[0]).toMatch(
        /^CUDA is not available to onnxruntime-node \(.+\); the depth model runs on the CPU$/,
      );
    }
    await model.close();
    const cpu = await OnnxEstimator.load(path.join(dataDir, 'tiny-depth.onnx'), {
      provider: 'cpu',
      onFallback: (reason) => reasons.push(`cpu: ${reason}`),
    });
    expect(cpu.runtime).toBe('cpu');
    expect(reasons.filter((r) => r.startsWith('cpu:'))).toEqual([]);
    await cpu.close();
  });

  it.each(['tiny-depth.onnx', 'fixed-518.onnx'])(
    'makes an upright depth map through the worker with %s',
    async (model) => {
      await t.db.query('DELETE FROM depth_map_cache');
      const { rows } = await t.db.query<{ id: string }>(
        'INSERT INTO processing_queue (media_item_id) VALUES ($1) RETURNING id',
        [photoId],
      );
      const { runner } = await createDepthWorker(
        t.db,
        dataLayout(dataDir),
        createLogger('silent'),
        {
          concurrency: 1,
          leaseSeconds: 30,
          ffmpegPath: 'ffmpeg',
          depthServiceUrl: undefined,
          depthServiceTimeoutMs: 1000,
          depthModelPath: path.join(dataDir, model),
          pollMs: 50,
        },
      );
      await runner.start();
      try {
        for (let i = 0; i < 200; i++) {
          const job = await t.db.query<{ status: string }>(
            'SELECT status FROM processing_queue WHERE id = $1',
            [rows[0]?.id],
          );
          if (job.rows[0]?.status !== 'queued' && job.rows[0]?.status !== 'processing') break;
          await new Promise((r) => setTimeout(r, 50));
        }
      } finally {
        await runner.stop();
      }
      const depth = (
        await t.db.query('SELECT * FROM depth_map_cache WHERE media_item_id = $1', [photoId])
      ).rows[0] as Record<string, unknown>;
      expect(depth).toMatchObject({
        width: 518,
        height: 777,
        model_name: `onnx:${path.basename(model, '.onnx')}`,
      });
      expect(depth.processing_params).toMatchObject({
        estimator: { input: 'pixel_values', runtime: 'onnxruntime-node (cpu)' },
      });
      const { data, info } = await sharp(String(depth.file_path))
        .toColourspace('grey16')
        .raw({ depth: 'ushort' })
        .toBuffer({ resolveWithObject: true });
      const rowMean = (y: number) => {
        let sum = 0;
        for (let x = 0; x < info.width; x++) sum += data.readUInt16LE((y * info.width + x) * 2);
        return sum / info.width;
      };
      // The model's output (mean of the normalised channels) is lower for red than for blue: the
      // red half must come out on top, as the photo is shown, not on the left as stored.
      // Two flat halves, the step across the middle row.
      expect(rowMean(50)).toBe(rowMean(300));
      expect(rowMean(480)).toBe(rowMean(720));
      expect(rowMean(720) - rowMean(50)).toBeGreaterThan(20_000);
    },
    60_000,
  );

  it('refuses a file that is not a model with a clear message', async () => {
    const bogus = path.join(dataDir, 'bogus.onnx');
    await writeFile(bogus, 'definitely not protobuf');
    await expect(OnnxEstimator.load(bogus)).rejects.toThrow(
      /cannot load the depth model .*bogus\.onnx/,
    );
  });

  it('model:fetch fails clearly when the model cannot be downloaded, leaving nothing', async () => {
    const result = await run(
      process.execPath,
      ['--import', 'tsx', 'src/cli/model-fetch.ts', '--url', 'http://127.0.0.1:9/model.onnx'],
      { cwd: path.resolve(import.meta.dirname, '..'), env: { ...process.env, DATA_DIR: dataDir } },
    ).then(
      () => ({ code: 0, err: '' }),
      (e: { code: number; stderr: string }) => ({ code: e.code, err: e.stderr }),
    );
    expect(result.code).toBe(1);
    expect(result.err).toContain('could not reach 127.0.0.1:9');
    expect(result.err).toContain('DEPTH_MODEL_PATH');
    expect(await readdir(path.join(dataDir, 'models')).catch(() => [])).toEqual([]);
  }, 30_000);
});
