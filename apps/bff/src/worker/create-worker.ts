import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../db/database';
import type { Logger } from '../logger';
import type { DataLayout } from '../storage/data-layout';
import { FileLocator } from '../storage/file-locator';
import { BuiltinEstimator } from './depth/builtin-estimator';
import type { DepthEstimator } from './depth/estimator';
import { HttpEstimator } from './depth/http-estimator';
import { OnnxEstimator } from './depth/onnx-estimator';
import { depthJobHandler } from './depth-job';
import { QueueRunner } from './queue-runner';
import { videoDepthJobHandler } from './video-depth-job';

export interface WorkerConfig {
  concurrency: number;
  leaseSeconds: number;
  ffmpegPath: string;
  /** Reads a video's size and rate before its depth video is made (default: ffprobe on PATH). */
  ffprobePath?: string;
  depthServiceUrl: string | undefined;
  depthServiceTimeoutMs: number;
  /** An ONNX model file; when unset, DATA_DIR/models/depth-anything-v2-small.onnx if present. */
  depthModelPath?: string | undefined;
  /** Defaults: poll every second, retry after 5 s · 2^(n−1), at most 10 minutes. */
  pollMs?: number;
  retryBaseSeconds?: number;
  retryMaxSeconds?: number;
}

/** Where `pnpm model:fetch` puts Depth Anything V2 Small. */
export function defaultModelFile(dataDir: string): string {
  return path.join(dataDir, 'models', 'depth-anything-v2-small.onnx');
}

/**
 * The estimator the configuration asks for: a remote service when DEPTH_SERVICE_URL is set, else an
 * ONNX model (DEPTH_MODEL_PATH, or the fetched one), else the built-in one that needs no weights.
 */
export async function chooseEstimator(
  config: Pick<WorkerConfig, 'depthServiceUrl' | 'depthServiceTimeoutMs' | 'depthModelPath'>,
  dataDir: string,
): Promise<DepthEstimator> {
  if (config.depthServiceUrl)
    return new HttpEstimator({
      url: config.depthServiceUrl,
      timeoutMs: config.depthServiceTimeoutMs,
      retries: 2,
    });
  if (config.depthModelPath) return OnnxEstimator.load(config.depthModelPath);
  const fetched = defaultModelFile(dataDir);
  if (existsSync(fetched)) return OnnxEstimator.load(fetched);
  return new BuiltinEstimator();
}

/** A depth worker over the queue, ready to start(). */
export async function createDepthWorker(
  db: Database,
  layout: DataLayout,
  logger: Logger,
  config: WorkerConfig,
  files = new FileLocator(db, layout.dataDir, logger),
): Promise<{ runner: QueueRunner; estimator: DepthEstimator }> {
  const estimator = await chooseEstimator(config, layout.dataDir);
  const deps = { db, layout, files, estimator, ffmpegPath: config.ffmpegPath };
  const runner = new QueueRunner(db, {
    workerId: `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
    concurrency: config.concurrency,
    leaseSeconds: config.leaseSeconds,
    pollMs: config.pollMs ?? 1_000,
    retryBaseSeconds: config.retryBaseSeconds ?? 5,
    retryMaxSeconds: config.retryMaxSeconds ?? 600,
    logger,
    handlers: {
      'photo-depth': depthJobHandler(deps),
      'video-depth': videoDepthJobHandler({
        ...deps,
        ffprobePath: config.ffprobePath ?? 'ffprobe',
      }),
    },
  });
  return { runner, estimator };
}
