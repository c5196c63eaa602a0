import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type DepthModelStatus, depthModelStatusSchema } from '@immichvr/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  fetchModel,
  ModelFetchError,
  type PinnedModel,
  partialFileOf,
} from '../src/worker/depth/fetch-model';
import { OnnxEstimator } from '../src/worker/depth/onnx-estimator';
import { importFixtures, writeTestJpeg } from './helpers/media-fixtures';
import { startModelServer } from './helpers/model-server';
import { queueJobs } from './helpers/queue-jobs';
import { ENGINES } from './helpers/test-database';
import { startTestServer, type TestServer } from './helpers/test-server';
import { writeTinyDepthModel } from './helpers/tiny-onnx-model';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('fetching the depth model from a real HTTP server (the tiny test model)', () => {
  let work: string;
  let bytes: Buffer;
  let host: Awaited<ReturnType<typeof startModelServer>>;
  let model: PinnedModel;
  let target: string;

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'immichvr-model-fetch-'));
    await writeTinyDepthModel(path.join(work, 'tiny.onnx'), undefined, 256 * 1024);
    bytes = await readFile(path.join(work, 'tiny.onnx'));
    host = await startModelServer(bytes);
    model = { name: 'Tiny depth', license: 'test', url: host.url, sha256: sha256(bytes) };
  });
  afterAll(async () => {
    await host?.close();
    await rm(work, { recursive: true, force: true });
  });
  beforeEach(async () => {
    host.setMode({ kind: 'ok' });
    host.serve(bytes);
    host.requests.length = 0;
    target = path.join(work, `models-${Math.random().toString(36).slice(2)}`, 'model.onnx');
  });

  it('downloads with progress to the byte, checks the SHA-256 and leaves a model that loads', async () => {
    const progress: Array<[number, number | null]> = [];
    const size = await fetchModel(model, target, {
      onProgress: (received, total) => progress.push([received, total]),
    });
    expect(size).toBe(bytes.length);
    expect(progress.at(-1)).toEqual([bytes.length, bytes.length]);
    expect(progress.every(([, total]) => total === bytes.length)).toBe(true);
    expect(sha256(await readFile(target))).toBe(model.sha256);
    expect(await readdir(path.dirname(target))).toEqual(['model.onnx']);
    const loaded = await OnnxEstimator.load(target, { provider: 'cpu' });
    await loaded.close();
  });

  it('resumes an interrupted download with a Range request, and the result is the same file', async () => {
    const cutAt = Math.floor(bytes.length * 0.4);
    host.setMode({ kind: 'cut', after: cutAt });
    const first = await fetchModel(model, target).catch((e: ModelFetchError) => e);
    expect(first).toBeInstanceOf(ModelFetchError);
    expect((first as ModelFetchError).resumable).toBe(true);
    expect((first as Error).message).toMatch(/run it again to continue/);
    const kept = (await stat(partialFileOf(target))).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(cutAt);
    await expect(stat(target)).rejects.toThrow();

    host.setMode({ kind: 'ok' });
    const progress: number[] = [];
    await fetchModel(model, target, { onProgress: (received) => progress.push(received) });
    expect(host.requests.at(-1)?.range).toBe(`bytes=${kept}-`);
    expect(progress[0]).toBe(kept); // counted from what was kept, not from zero
    expect(Buffer.compare(await readFile(target), bytes)).toBe(0);
    await expect(stat(partialFileOf(target))).rejects.toThrow();
  });

  it('starts over when the server ignores the Range request', async () => {
    host.setMode({ kind: 'cut', after: 1000 });
    await expect(fetchModel(model, target)).rejects.toThrow(ModelFetchError);
    const kept = (await stat(partialFileOf(target))).size;
    expect(kept).toBeGreaterThan(0);
    host.setMode({ kind: 'ignore-range' });
    await fetchModel(model, target);
    expect(host.requests.at(-1)?.range).toBe(`bytes=${kept}-`);
    expect(Buffer.compare(await readFile(target), bytes)).toBe(0);
  });

  it('refuses and removes a file whose SHA-256 is not the pinned one', async () => {
    const other = Buffer.from(bytes);
    other[other.length - 1] = (other[other.length - 1] as number) ^ 0xff;
    host.serve(other);
    const error = (await fetchModel(model, target).catch((e: Error) => e)) as Error;
    expect(error).toBeInstanceOf(ModelFetchError);
    expect(error.message).toContain(`expected ${model.sha256}`);
    expect(error.message).toContain('It was removed');
    expect(await readdir(path.dirname(target))).toEqual([]);
  });

  it('refuses a truncated file the server calls complete', async () => {
    host.serve(bytes.subarray(0, bytes.length - 100));
    await expect(fetchModel(model, target)).rejects.toThrow(/is not Tiny depth: its SHA-256/);
    expect(await readdir(path.dirname(target))).toEqual([]);
  });

  it('says what the server answered on a 404, and leaves nothing', async () => {
    host.setMode({ kind: 'not-found' });
    await expect(fetchModel(model, target)).rejects.toThrow(
      `127.0.0.1:${new URL(host.url).port} answered HTTP 404 for ${host.url}`,
    );
    expect(await readdir(path.dirname(target))).toEqual([]);
  });

  it('gives up on a server that stops sending, keeping the bytes for the next attempt', async () => {
    host.setMode({ kind: 'stall', after: 2048 });
    const started = Date.now();
    const error = await fetchModel(model, target, { idleTimeoutMs: 300 }).catch((e) => e);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error).toBeInstanceOf(ModelFetchError);
    expect(error.message).toMatch(/sent nothing for 0 s\. 0\.0 MB are kept/);
    expect(error.resumable).toBe(true);
    expect((await stat(partialFileOf(target))).size).toBe(2048);
    host.setMode({ kind: 'ok' });
    await fetchModel(model, target);
    expect(Buffer.compare(await readFile(target), bytes)).toBe(0);
  });
});

describe.each(ENGINES)('getting real depth from the app on %s', (engine) => {
  let s: TestServer;
  let host: Awaited<ReturnType<typeof startModelServer>>;
  let photoId: string;
  const jobs = queueJobs(() => s.t.db, { pollMs: 100, timeoutMs: 20_000 });

  const status = async (): Promise<DepthModelStatus> =>
    depthModelStatusSchema.parse(await (await s.get('/api/depth-model')).json());
  const until = async (ok: (st: DepthModelStatus) => boolean): Promise<DepthModelStatus> => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const st = await status();
      if (ok(st)) return st;
      if (Date.now() > deadline) throw new Error(`still ${JSON.stringify(st)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    const work = await mkdtemp(path.join(os.tmpdir(), 'immichvr-model-app-'));
    await writeTinyDepthModel(path.join(work, 'tiny.onnx'), undefined, 256 * 1024);
    const bytes = await readFile(path.join(work, 'tiny.onnx'));
    await rm(work, { recursive: true, force: true });
    host = await startModelServer(bytes);
    s = await startTestServer(engine, {
      worker: true,
      depthModel: { url: host.url, sha256: sha256(bytes), modelCheckMs: 200 },
    });
    const folder = path.join(s.dataDir, 'library');
    await writeTestJpeg(path.join(folder, 'photo.jpg'), { width: 800, height: 600 });
    photoId = (await importFixtures(s.t.db, folder)).get('photo.jpg') as string;
  }, 60_000);
  afterAll(async () => {
    await s?.close();
    await host?.close();
  });

  it('offers the model while the built-in estimator makes the maps, fetches it on request, and the library upgrades itself', async () => {
    const { rows } = await s.t.db.query<{ id: string }>(
      'INSERT INTO processing_queue (media_item_id) VALUES ($1) RETURNING id',
      [photoId],
    );
    await jobs.until((rows[0] as { id: string }).id, ['completed']);
    const before = await status();
    expect(before.estimator).toEqual({ kind: 'heuristic', label: 'Built-in estimate' });
    expect(before.offer).toMatchObject({ name: 'Depth Anything V2 Small', license: 'Apache-2.0' });
    expect(before.download.state).toBe('idle');
    expect(before.heuristicMaps).toBe(1);

    host.setMode({ kind: 'cut', after: 50_000 });
    expect((await s.get('/api/depth-model/download', { method: 'POST' })).status).toBe(202);
    const failed = await until((st) => st.download.state === 'failed');
    expect(failed.download.error).toMatch(/broke off|stopped at/);
    expect(failed.download.resumable).toBe(true);
    expect(failed.offer).not.toBeNull();

    host.setMode({ kind: 'ok' });
    expect((await s.get('/api/depth-model/download', { method: 'POST' })).status).toBe(202);
    const installed = await until((st) => st.download.state === 'installed');
    expect(host.requests.at(-1)?.range).toMatch(/^bytes=[1-9]\d*-$/);
    expect(installed.estimator.kind).toBe('model');
    expect(installed.offer).toBeNull();
    // Asking again does nothing.
    expect((await s.get('/api/depth-model/download', { method: 'POST' })).status).toBe(200);

    // The worker in the server switches to the model and queues the heuristic map at the lowest priority.
    const upgrade = await (async () => {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const { rows: queued } = await s.t.db.query<{ id: string; priority: number }>(
          `SELECT id, priority, requested_by FROM processing_queue
           WHERE media_item_id = $1 AND id <> $2`,
          [photoId, (rows[0] as { id: string }).id],
        );
        if (queued[0]) return queued[0];
        if (Date.now() > deadline) throw new Error('the heuristic map was not queued again');
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    expect(upgrade).toMatchObject({ priority: 10, requested_by: 'system' });
    await jobs.until(upgrade.id, ['completed']);
    const detail = (await (await s.get(`/api/media/${photoId}`)).json()) as {
      depthMap: { modelName: string };
    };
    expect(detail.depthMap.modelName).toBe('depth-anything-v2-small');
    expect((await status()).heuristicMaps).toBe(0);
  }, 60_000);
});
