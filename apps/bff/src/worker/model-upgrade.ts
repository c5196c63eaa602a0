import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { HEURISTIC_DEPTH_MODEL } from '@immichvr/shared';
import type { Database } from '../db/database';
import { queueItemsWithDepthFrom } from '../db/queries/queue.queries';
import type { Logger } from '../logger';
import type { DepthEstimator } from './depth/estimator';
import type { EstimatorSlot } from './depth/estimator-slot';
import { OnnxEstimator } from './depth/onnx-estimator';

/** Lowest priority (1 first, 10 last): upgrades wait behind everything a user or import asked for. */
export const UPGRADE_PRIORITY = 10;

/**
 * Once a depth model (ONNX, fetched or configured) makes the maps, the ones the built-in estimator
 * made are queued again at the lowest priority, so the library upgrades itself in the background.
 * A remote depth service does not trigger this: what it runs, and what it costs, is not known here.
 */
export async function queueHeuristicUpgrades(
  db: Database,
  logger: Logger,
  estimator: DepthEstimator,
): Promise<number> {
  if (!(estimator instanceof OnnxEstimator)) return 0;
  const queued = await queueItemsWithDepthFrom(db, HEURISTIC_DEPTH_MODEL, UPGRADE_PRIORITY);
  if (queued > 0)
    logger.info('depth maps from the built-in estimator queued to be made again', {
      queued,
      estimator: estimator.modelName,
      priority: UPGRADE_PRIORITY,
    });
  return queued;
}

/**
 * While the built-in estimator stands in, looks for the model file every `intervalMs` (the app's
 * download, `pnpm model:fetch`, or a copy put there by hand); when it appears, loads it, swaps it
 * in for the next jobs and queues the upgrades. A file that does not load is logged once and tried
 * again only when it changes.
 */
export function watchForModel(options: {
  db: Database;
  logger: Logger;
  slot: EstimatorSlot;
  file: string;
  intervalMs: number;
  load: (file: string) => Promise<DepthEstimator>;
}): { stop(): void } {
  let busy = false;
  let refused: number | null = null;
  const check = async () => {
    if (busy || options.slot.current.modelName !== HEURISTIC_DEPTH_MODEL) return;
    if (!existsSync(options.file)) return;
    busy = true;
    try {
      const { mtimeMs } = await stat(options.file);
      if (refused === mtimeMs) return;
      const model = await options.load(options.file).catch((error: Error) => {
        refused = mtimeMs;
        options.logger.error('the depth model file does not load; still using the built-in one', {
          file: options.file,
          error: error.message,
        });
        return null;
      });
      if (!model) return;
      const previous = options.slot.replace(model);
      await previous.close?.();
      options.logger.info('depth model found: new depth maps come from it', {
        estimator: model.modelName,
      });
      await queueHeuristicUpgrades(options.db, options.logger, model);
    } catch (error) {
      options.logger.warn('could not switch to the depth model yet', { error: String(error) });
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void check(), options.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
