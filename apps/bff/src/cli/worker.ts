import { openImmichSource } from '../immich/immich-source';
import { createLogger } from '../logger';
import { dataLayout } from '../storage/data-layout';
import { FileLocator } from '../storage/file-locator';
import { createDepthWorker } from '../worker/create-worker';
import { runCli } from './run-cli';

/**
 * pnpm worker: depth jobs only, no HTTP. Run as many as you like against one PostgreSQL, on any
 * machines that see the same files. SIGTERM/SIGINT: stop claiming, finish (or hand back) the
 * running jobs, exit.
 */
await runCli(async ({ env, db }) => {
  const logger = createLogger(env.logLevel);
  // Items from Immich whose originals are not on this machine are fetched from there.
  const immich = env.immich
    ? await openImmichSource(db, env.dataDir, logger, env.immich)
    : undefined;
  const files = new FileLocator(db, env.dataDir, logger, immich?.files);
  const worker = await createDepthWorker(
    db,
    dataLayout(env.dataDir),
    logger,
    {
      concurrency: Math.max(1, env.workerConcurrency),
      leaseSeconds: env.workerLeaseSeconds,
      ffmpegPath: env.ffmpegPath,
      ffprobePath: env.ffprobePath,
      depthServiceUrl: env.depthServiceUrl,
      depthServiceTimeoutMs: env.depthServiceTimeoutMs,
      depthServiceProtocol: env.depthServiceProtocol,
      depthModelPath: env.depthModelPath,
      depthExecutionProvider: env.depthExecutionProvider,
    },
    files,
  );
  const { runner, estimator } = worker;
  await runner.start();
  logger.info('worker started', {
    concurrency: Math.max(1, env.workerConcurrency),
    estimator: estimator.modelName,
    database: db.engine,
  });
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info('worker stopping', { signal, running: runner.activeJobs });
      worker.stop();
      runner.stop().then(resolve, resolve);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  logger.info('worker stopped');
});
