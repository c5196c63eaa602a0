import { fileURLToPath } from 'node:url';
import { createApp } from './app';
import { createAppDeps } from './app-deps';
import { createProgressLine } from './cli/progress';
import { databaseOptionsFromEnv, openDatabase } from './db/database';
import { migrate } from './db/migrate';
import { parseEnv } from './env';
import { announceLanUrls, announcePairingCode } from './lan/announce';
import { isLoopback, lanAddresses } from './lan/lan-addresses';
import { loadOrCreateCertificate } from './lan/tls-certificate';
import { createLogger } from './logger';
import { startHttpsRedirect, startServer } from './node-server';
import { createLocalToken } from './security/local-token';
import { seedDemoIfEmpty } from './services/demo-library.service';
import { ViewerPreviewWarmer } from './services/viewer-preview-warmer';
import { createDepthWorker } from './worker/create-worker';

const WEB_DIST_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** Composition root: env → database → migrations → demo library (first run) → HTTP. */
async function main(): Promise<void> {
  const env = parseEnv();
  const logger = createLogger(env.logLevel);
  const db = await openDatabase(databaseOptionsFromEnv(env));
  const applied = await migrate(db);
  if (applied.length > 0) logger.info('migrations applied', { applied });

  let demo: Awaited<ReturnType<typeof seedDemoIfEmpty>> = null;
  // A newcomer's first look, unless a library of theirs is configured (an Immich server).
  const wantsDemo = env.demoLibrary === 'on' || (env.demoLibrary === 'auto' && !env.immich);
  if (db.engine === 'embedded' && wantsDemo) {
    const progress = createProgressLine();
    demo = await seedDemoIfEmpty(db, { ...env, onProgress: (line) => progress.update(line) });
    progress.done();
    if (demo) logger.info('demo library created', { items: demo.added, depthMaps: demo.depthMaps });
  }

  // On the LAN (--lan, or a HOST other than loopback): HTTPS, pairing, and HTTP redirecting.
  const lan = process.argv.includes('--lan') || !isLoopback(env.host);
  const host = lan && isLoopback(env.host) ? '0.0.0.0' : env.host;
  const addresses = lan ? lanAddresses(host) : [];
  const deps = await createAppDeps(db, logger, {
    ...env,
    webDistDir: WEB_DIST_DIR,
    listenHost: host,
    startImmichSync: (env.immich?.syncIntervalMinutes ?? 0) > 0,
    ...(lan
      ? {
          lan: {
            apiToken: env.apiToken,
            announceCode: announcePairingCode,
            trustLoopback: env.lanTrustLoopback,
            localToken: await createLocalToken(env.dataDir),
            addresses,
          },
        }
      : {}),
  });
  // Photos open from a ready viewer preview: made in the background as depth maps appear, and for
  // the newest photos now. A demo library made just now has them made before the app opens (the
  // first thing a newcomer does is open one), not while the page loads.
  const warmer = new ViewerPreviewWarmer(deps);
  const warming = warmer
    .start(db, deps.events)
    .catch((error: Error) =>
      logger.warn('viewer previews are made on first open only', { error: error.message }),
    );
  if (demo) {
    const progress = createProgressLine();
    progress.update('Preparing the demo library’s pictures');
    await warming;
    await warmer.idle();
    progress.done();
  }
  const app = createApp(deps);
  let redirect: { close(): Promise<void> } | undefined;
  let server: Awaited<ReturnType<typeof startServer>>;
  if (lan) {
    const tls = await loadOrCreateCertificate({
      certPath: env.tlsCert,
      keyPath: env.tlsKey,
      dataDir: env.dataDir,
      addresses,
    });
    server = await startServer(app, { port: env.httpsPort, hostname: host, logger, tls });
    redirect = await startHttpsRedirect({
      port: env.port,
      hostname: host,
      httpsPort: env.httpsPort,
      fallbackHost: addresses[0] ?? 'localhost',
    });
    logger.info('listening on the LAN', {
      url: server.url,
      redirectFrom: env.port,
      certificate: tls.source,
    });
    await announceLanUrls(
      addresses.map((a) => `https://${a}:${env.httpsPort}`),
      tls.source,
    );
    process.stdout.write(
      '  To pair a device: open one of these addresses on it; its pairing code appears here.\n\n',
    );
  } else {
    server = await startServer(app, { port: env.port, hostname: host, logger });
    logger.info('listening', { url: server.url, database: db.engine });
  }

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
  const offer = (await deps.depthModel.status()).offer;
  if (offer)
    process.stdout.write(
      `\n  Depth maps come from the built-in estimate, a stand-in. For real depth, choose "Get real depth"\n` +
        `  in the app or run \`pnpm model:fetch\` (${offer.name}, ${offer.license}` +
        `${offer.bytes ? `, ${Math.round(offer.bytes / 1e6)} MB` : ''}); the library then upgrades itself.\n\n`,
    );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    // Open keep-alive or streaming connections must not hold the process forever.
    setTimeout(() => process.exit(0), 5_000).unref();
    await server.close();
    await redirect?.close();
    worker?.stop();
    await Promise.all([worker?.runner.stop(4_000), warmer.stop()]);
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
