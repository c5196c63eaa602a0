import os from 'node:os';
import type { Database } from './db/database';
import type { ImmichEnv } from './env';
import { openImmichSource } from './immich/immich-source';
import { lanAddresses } from './lan/lan-addresses';
import type { Logger } from './logger';
import type { AccessPolicy } from './security/access';
import { allowedHostNames } from './security/allowed-hosts';
import { DepthAccessRecorder } from './services/depth-access.service';
import { DepthModelService } from './services/depth-model.service';
import { DeviceSessions } from './services/device-sessions.service';
import { ImmichSyncSchedule } from './services/immich-sync-schedule';
import { MediaEvents } from './services/media-events.service';
import { PairingCodes, type PairingRequester } from './services/pairing.service';
import type { UploadOptions } from './services/upload.service';
import { CoarseDepthCache } from './storage/coarse-depth-cache';
import { type DataLayout, dataLayout } from './storage/data-layout';
import { FileLocator } from './storage/file-locator';
import { PreviewCache } from './storage/preview-cache';
import { offeredModel } from './worker/depth/fetch-model';

/** What the HTTP layer needs, built once by the composition root (main.ts, tests). */
export interface AppDeps {
  db: Database;
  logger: Logger;
  layout: DataLayout;
  files: FileLocator;
  events: MediaEvents;
  previews: PreviewCache;
  /** Coarse versions of photos' depth maps (a viewer's first frames). */
  coarseDepth: CoarseDepthCache;
  depthAccess: DepthAccessRecorder;
  uploads: UploadOptions;
  /** Interval of the event stream's keep-alive comments. */
  heartbeatMs: number;
  /** The built web app; not served when undefined (API-only tests). */
  webDistDir?: string | undefined;
  version: string;
  /** Who may use the app: anyone (loopback) or paired devices and API_TOKEN (LAN). */
  access: AccessPolicy;
  pairing: PairingCodes;
  /** Host names requests may carry (allowed-hosts.ts). */
  allowedHosts: Set<string>;
  /** What makes depth maps, and the model download. */
  depthModel: DepthModelService;
  /** The Immich server's sync, when one is configured (IMMICH_URL). */
  immichSync?: ImmichSyncSchedule | undefined;
}

export interface AppConfig {
  dataDir: string;
  ffmpegPath: string;
  ffprobePath: string;
  maxUploadBytes: number;
  /** MAX_IMAGE_PIXELS: larger images are refused before decoding. */
  maxImagePixels?: number;
  previewConcurrency?: number;
  heartbeatMs?: number;
  webDistDir?: string;
  /** Where depth comes from (DEPTH_SERVICE_URL, DEPTH_MODEL_PATH) and the model the app may fetch. */
  depthServiceUrl?: string | undefined;
  depthModelPath?: string | undefined;
  depthModelUrl?: string | undefined;
  depthModelSha256?: string | undefined;
  /** An Immich server to sync (IMMICH_URL …); `immichTimeoutMs` per request (tests shorten it). */
  immich?: ImmichEnv | undefined;
  immichTimeoutMs?: number;
  /** Start the background sync now (pnpm start); tests start it themselves. */
  startImmichSync?: boolean;
  /** Where it listens, and more names it is reached by (ALLOWED_HOSTS). */
  listenHost?: string;
  allowedHosts?: string[];
  /** LAN mode: pairing required; `announceCode` shows a new pairing code to the person at the terminal. */
  lan?: {
    apiToken: string | undefined;
    announceCode: (code: string, expiresAt: Date, by: PairingRequester) => void;
    /** Requests from this machine need no pairing (LAN_TRUST_LOOPBACK; default false). */
    trustLoopback?: boolean;
    /** The local token file's token (`pnpm sessions` on this machine uses it). */
    localToken?: string;
    /** This machine's LAN addresses (allowed as Host names). */
    addresses?: string[];
    /** How long a checked session is trusted before the database is asked again (default 5 s). */
    sessionCacheMs?: number;
  };
}

export const APP_VERSION = '0.1.0';

/** Builds the app's services and starts listening for database events. */
export async function createAppDeps(
  db: Database,
  logger: Logger,
  config: AppConfig,
): Promise<AppDeps & { close(): Promise<void> }> {
  const layout = dataLayout(config.dataDir);
  const previewConcurrency = config.previewConcurrency ?? Math.max(1, os.availableParallelism());
  const events = new MediaEvents(db, logger);
  await events.start();
  const depthAccess = new DepthAccessRecorder(db, logger);
  const access: AccessPolicy = config.lan
    ? {
        mode: 'paired',
        sessions: new DeviceSessions(db, config.lan.sessionCacheMs),
        apiToken: config.lan.apiToken,
        localToken: config.lan.localToken,
        trustLoopback: config.lan.trustLoopback ?? false,
      }
    : { mode: 'open' };
  const depthModel = new DepthModelService(db, logger, {
    dataDir: config.dataDir,
    depthServiceUrl: config.depthServiceUrl,
    depthModelPath: config.depthModelPath,
    model: offeredModel(config),
  });
  const immich = config.immich
    ? await openImmichSource(db, config.dataDir, logger, {
        ...config.immich,
        ...(config.immichTimeoutMs ? { timeoutMs: config.immichTimeoutMs } : {}),
      })
    : undefined;
  const immichSync =
    immich && config.immich
      ? new ImmichSyncSchedule(
          db,
          immich,
          layout,
          logger,
          config.immich.syncIntervalMinutes * 60_000,
        )
      : undefined;
  if (config.startImmichSync) immichSync?.start();
  return {
    db,
    logger,
    layout,
    files: new FileLocator(db, config.dataDir, logger, immich?.files),
    immichSync,
    events,
    previews: new PreviewCache(layout, {
      ffmpegPath: config.ffmpegPath,
      concurrency: previewConcurrency,
      ...(config.maxImagePixels ? { maxPixels: config.maxImagePixels } : {}),
    }),
    coarseDepth: new CoarseDepthCache(layout, previewConcurrency),
    depthAccess,
    uploads: {
      layout,
      ffprobePath: config.ffprobePath,
      maxBytes: config.maxUploadBytes,
      ...(config.maxImagePixels ? { maxPixels: config.maxImagePixels } : {}),
    },
    heartbeatMs: config.heartbeatMs ?? 15_000,
    webDistDir: config.webDistDir,
    version: APP_VERSION,
    access,
    pairing: new PairingCodes(config.lan?.announceCode ?? (() => {})),
    allowedHosts: allowedHostNames({
      listenHost: config.listenHost ?? '127.0.0.1',
      lanAddresses: config.lan ? (config.lan.addresses ?? lanAddresses('0.0.0.0')) : [],
      extra: config.allowedHosts ?? [],
    }),
    depthModel,
    async close() {
      await immichSync?.stop();
      await depthModel.close();
      await depthAccess.close();
      await events.stop();
    },
  };
}
