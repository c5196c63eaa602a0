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
import { EstimatorSlot } from './depth/estimator-slot';
import { HttpEstimator } from './depth/http-estimator';
import { InferenceProtocolEstimator } from './depth/inference-protocol-estimator';
import { OnnxEstimator } from './depth/onnx-estimator';
import { depthJobHandler } from './depth-job';
import { queueHeuristicUpgrades, watchForModel } from './model-upgrade';
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
  /** How the depth service is spoken to (default immichvr: JPEG in, PNG out). */
  depthServiceProtocol?: 'immichvr' | 'open-inference';
  /** An ONNX model file; when unset, DATA_DIR/models/depth-anything-v2-small.onnx if present. */
  depthModelPath?: string | undefined;
  /** auto (default): CUDA when onnxruntime-node can use it, else the CPU. */
  depthExecutionProvider?: 'auto' | 'cuda' | 'cpu';
  /** How often a worker on the built-in estimator looks for the fetched model (default 5 s). */
  modelCheckMs?: number;
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
  config: Pick<
    WorkerConfig,
    | 'depthServiceUrl'
    | 'depthServiceTimeoutMs'
    | 'depthServiceProtocol'
    | 'depthModelPath'
    | 'depthExecutionProvider'
  >,
  dataDir: string,
  logger?: Logger,
): Promise<DepthEstimator> {
  if (config.depthServiceUrl && config.depthServiceProtocol === 'open-inference')
    return new InferenceProtocolEstimator({
      url: config.depthServiceUrl.replace(/\/+$/, ''),
      timeoutMs: config.depthServiceTimeoutMs,
      retries: 2,
    });
  if (config.depthServiceUrl)
    return new HttpEstimator({
      url: config.depthServiceUrl,
      timeoutMs: config.depthServiceTimeoutMs,
      retries: 2,
    });
  const load = modelLoader(config, logger);
  if (config.depthModelPath) return load(config.depthModelPath);
  const fetched = defaultModelFile(dataDir);
  if (existsSync(fetched)) return load(fetched);
  return new BuiltinEstimator();
}

function modelLoader(
  config: Pick<WorkerConfig, 'depthExecutionProvider'>,
  logger: Logger | undefined,
): (file: string) => Promise<DepthEstimator> {
  return (file) =>
    OnnxEstimator.load(file, {
      provider: config.depthExecutionProvider ?? 'auto',
      onFallback: (reason) => logger?.info(reason),
    });
}

/**
 * A depth worker over the queue, ready to start(). On the built-in estimator (nothing configured)
 * it switches to the model as soon as DATA_DIR/models has it; with a model, it queues the maps the
 * built-in estimator made so they are made again. stop() ends the watching (the runner stops apart).
 */
export async function createDepthWorker(
  db: Database,
  layout: DataLayout,
  logger: Logger,
  config: WorkerConfig,
  files = new FileLocator(db, layout.dataDir, logger),
): Promise<{
  runner: QueueRunner;
  estimator: DepthEstimator;
  estimators: EstimatorSlot;
  stop(): void;
}> {
  const estimator = await chooseEstimator(config, layout.dataDir, logger);
  const estimators = new EstimatorSlot(estimator);
  const deps = { db, layout, files, estimators, ffmpegPath: config.ffmpegPath };
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
  const configured = Boolean(config.depthServiceUrl || config.depthModelPath);
  const watch = configured
    ? null
    : watchForModel({
        db,
        logger,
        slot: estimators,
        file: defaultModelFile(layout.dataDir),
        intervalMs: config.modelCheckMs ?? 5_000,
        load: modelLoader(config, logger),
      });
  await queueHeuristicUpgrades(db, logger, estimator).catch((error: Error) =>
    logger.warn("could not queue the built-in estimator's depth maps again", {
      error: error.message,
    }),
  );
  return { runner, estimator, estimators, stop: () => watch?.stop() };
}
