import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { createApp } from './app';
import { createProgressLine } from './cli/progress';
import { databaseOptionsFromEnv, openDatabase } from './db/database';
import { migrate } from './db/migrate';
import { parseEnv } from './env';
import { createLogger } from './logger';
import { seedDemoIfEmpty } from './services/demo-library.service';

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

  const app = createApp({ db, dataDir: env.dataDir, webDistDir: WEB_DIST_DIR, logger });
  const server = serve({ fetch: app.fetch, port: env.port, hostname: env.host }, (info) => {
    logger.info('listening', {
      url: `http://${info.address.includes(':') ? `[${info.address}]` : info.address}:${info.port}`,
      database: db.engine,
    });
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    server.close(() => {
      db.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
    // Open keep-alive or streaming connections must not hold the process forever.
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: Error) => {
  process.stderr.write(`immichvr: ${error.message}\n`);
  process.exit(1);
});
