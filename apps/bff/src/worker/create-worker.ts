import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Database } from '../db/database';
import type { Logger } from '../logger';
import type { DataLayout } from '../storage/data-layout';
import { FileLocator } from '../storage/file-locator';
import { BuiltinEstimator } from './depth/builtin-estimator';
import type { DepthEstimator } from './depth/estimator';
import { HttpEstimator } from './depth/http-estimator';
import { depthJobHandler } from './depth-job';
import { QueueRunner } from './queue-runner';

export interface WorkerConfig {
  concurrency: number;
  leaseSeconds: number;
  ffmpegPath: string;
  depthServiceUrl: string | undefined;
  depthServiceTimeoutMs: number;
  /** Defaults: poll every second, retry after 5 s · 2^(n−1), at most 10 minutes. */
  pollMs?: number;
  retryBaseSeconds?: number;
  retryMaxSeconds?: number;
}

/** The estimator the configuration asks for: a remote service when set, else the built-in one. */
export function chooseEstimator(
  config: Pick<WorkerConfig, 'depthServiceUrl' | 'depthServiceTimeoutMs'>,
): DepthEstimator {
  if (config.depthServiceUrl)
    return new HttpEstimator({
      url: config.depthServiceUrl,
      timeoutMs: config.depthServiceTimeoutMs,
      retries: 2,
    });
  return new BuiltinEstimator();
}

/** A depth worker over the queue, ready to start(). */
export function createDepthWorker(
  db: Database,
  layout: DataLayout,
  logger: Logger,
  config: WorkerConfig,
  files = new FileLocator(db, layout.dataDir, logger),
): { runner: QueueRunner; estimator: DepthEstimator } {
  const estimator = chooseEstimator(config);
  const runner = new QueueRunner(db, {
    workerId: `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
    concurrency: config.concurrency,
    leaseSeconds: config.leaseSeconds,
    pollMs: config.pollMs ?? 1_000,
    retryBaseSeconds: config.retryBaseSeconds ?? 5,
    retryMaxSeconds: config.retryMaxSeconds ?? 600,
    logger,
    handler: depthJobHandler({ db, layout, files, estimator, ffmpegPath: config.ffmpegPath }),
  });
  return { runner, estimator };
}
