import { fileURLToPath } from 'node:url';
import { createApp } from './app';
import { createAppDeps } from './app-deps';
import { createProgressLine } from './cli/progress';
import { databaseOptionsFromEnv, openDatabase } from './db/database';
import { migrate } from './db/migrate';
import { parseEnv } from './env';
import { createLogger } from './logger';
import { startServer } from './node-server';
import { seedDemoIfEmpty } from './services/demo-library.service';
import { createDepthWorker } from './worker/create-worker';

const WEB_DIST_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** Composition root: env → database → migrations → demo library (first run) → HTTP. */
async function main(): Promise<void> {
  const env = parseEnv();
  const logger = createLogger(env.logLevel);
  const db = await openDatabase(databaseOptionsFromEnv(env));
  const applied = await migrate(db);
  if (applied.length > 0) logger.info('migrations applied', { applied });

  if (db.engine === 'embedded' && env.demoLibrary === 'auto') {
    const progress = createProgressLine();
    const demo = await seedDemoIfEmpty(db, { ...env, onProgress: (line) => progress.update(line) });
    progress.done();
    if (demo) logger.info('demo library created', { items: demo.added, depthMaps: demo.depthMaps });
  }

  const deps = await createAppDeps(db, logger, { ...env, webDistDir: WEB_DIST_DIR });
  const server = await startServer(createApp(deps), {
    port: env.port,
    hostname: env.host,
    logger,
  });
  logger.info('listening', { url: server.url, database: db.engine });

  // Depth jobs run in this process too unless WORKER_CONCURRENCY=0 (then: pnpm worker).
  const worker =
    env.workerConcurrency > 0
      ? await createDepthWorker(
          db,
          deps.layout,
          logger,
          { ...env, concurrency: env.workerConcurrency, leaseSeconds: env.workerLeaseSeconds },
          deps.files,
        )
      : undefined;
  await worker?.runner.start();
  if (worker)
    logger.info('depth worker running', {
      estimator: worker.estimator.modelName,
      concurrency: env.workerConcurrency,
    });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    // Open keep-alive or streaming connections must not hold the process forever.
    setTimeout(() => process.exit(0), 5_000).unref();
    await server.close();
    await worker?.runner.stop(4_000);
    await deps.close();
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: Error) => {
  process.stderr.write(`immichvr: ${error.message}\n`);
  process.exit(1);
});
