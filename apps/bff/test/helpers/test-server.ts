import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../../src/app';
import { type AppDeps, createAppDeps } from '../../src/app-deps';
import type { ImmichEnv } from '../../src/env';
import { createLogger, type Logger } from '../../src/logger';
import { startServer } from '../../src/node-server';
import { createDepthWorker } from '../../src/worker/create-worker';
import { createTestDatabase, type TestDatabase, type TestEngine } from './test-database';

export interface TestServer {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  t: TestDatabase;
  deps: AppDeps;
  dataDir: string;
  /** The request log's lines so far (method, path, status, ms), in order. */
  requestLog: Array<Record<string, unknown>>;
  /** fetch relative to the server. */
  get(pathname: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/**
 * The real BFF on an ephemeral loopback port, over a fresh database of `engine` and an empty
 * data folder: tests talk HTTP to it like any client.
 */
export async function startTestServer(
  engine: TestEngine,
  options: {
    maxUploadBytes?: number;
    heartbeatMs?: number;
    previewConcurrency?: number;
    webDistDir?: string;
    /** Run a depth worker (built-in estimator) in the server process, as `pnpm start` does. */
    worker?: boolean;
    /** The model the app offers to fetch (a stand-in host), and how often the worker looks for it. */
    depthModel?: { url: string; sha256: string; modelCheckMs?: number };
    /** An Immich server to sync (the stand-in's URL and key); the test runs the syncs. */
    immich?: ImmichEnv;
    immichTimeoutMs?: number;
    /** Use this (existing) folder as DATA_DIR instead of a new temporary one. */
    dataDir?: string;
    /** LAN mode: pairing required (loopback not trusted, so this test's requests count as LAN). */
    lan?: {
      apiToken?: string;
      localToken?: string;
      announceCode: (code: string, expiresAt: Date) => void;
    };
  } = {},
): Promise<TestServer> {
  const t = await createTestDatabase(engine);
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'immichvr-api-')));
  const logged = createLogger(process.env.TEST_LOG_LEVEL === 'debug' ? 'debug' : 'silent');
  const requestLog: Array<Record<string, unknown>> = [];
  const logger: Logger = {
    ...logged,
    info: (msg, fields) => {
      if (msg === 'request') requestLog.push({ ...fields });
      logged.info(msg, fields);
    },
  };
  const deps = await createAppDeps(t.db, logger, {
    dataDir,
    ffmpegPath: 'ffmpeg',
    ffprobePath: 'ffprobe',
    maxUploadBytes: options.maxUploadBytes ?? 50 * 1024 ** 2,
    previewConcurrency: options.previewConcurrency ?? 2,
    heartbeatMs: options.heartbeatMs ?? 15_000,
    ...(options.webDistDir ? { webDistDir: options.webDistDir } : {}),
    ...(options.immich ? { immich: options.immich } : {}),
    ...(options.immichTimeoutMs ? { immichTimeoutMs: options.immichTimeoutMs } : {}),
    ...(options.depthModel
      ? { depthModelUrl: options.depthModel.url, depthModelSha256: options.depthModel.sha256 }
      : {}),
    ...(options.lan
      ? {
          lan: {
            apiToken: options.lan.apiToken,
            ...(options.lan.localToken ? { localToken: options.lan.localToken } : {}),
            announceCode: options.lan.announceCode,
            // trustLoopback left at its default (off): this test's requests count as the LAN.
            sessionCacheMs: 0,
          },
        }
      : {}),
  });
  const server = await startServer(createApp(deps), { port: 0, hostname: '127.0.0.1', logger });
  const depthWorker = options.worker
    ? await createDepthWorker(
        t.db,
        deps.layout,
        logger,
        {
          concurrency: 1,
          leaseSeconds: 30,
          ffmpegPath: 'ffmpeg',
          depthServiceUrl: undefined,
          depthServiceTimeoutMs: 5_000,
          pollMs: 100,
          retryBaseSeconds: 1,
          depthExecutionProvider: 'cpu',
          ...(options.depthModel?.modelCheckMs
            ? { modelCheckMs: options.depthModel.modelCheckMs }
            : {}),
        },
        deps.files,
      )
    : undefined;
  const worker = depthWorker?.runner;
  await worker?.start();
  return {
    url: server.url,
    t,
    deps,
    dataDir,
    requestLog,
    get: (pathname, init) => fetch(`${server.url}${pathname}`, init),
    async close() {
      await server.close();
      depthWorker?.stop();
      await worker?.stop(2_000);
      await deps.close();
      await t.cleanup();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
