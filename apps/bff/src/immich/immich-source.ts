import path from 'node:path';
import type { Database } from '../db/database';
import { ensureMediaSource, type MediaSource } from '../db/queries/media-sources.queries';
import type { ImmichEnv } from '../env';
import type { Logger } from '../logger';
import { BoundedFileCache } from '../storage/bounded-file-cache';
import type { ImmichFilePlaces } from './immich-asset';
import { ImmichClient } from './immich-client';
import { ImmichFiles } from './immich-files';

/** Everything one configured Immich server needs: its row, client, file places and cache. */
export interface ImmichSource {
  source: MediaSource;
  client: ImmichClient;
  places: ImmichFilePlaces;
  files: ImmichFiles;
  cache: BoundedFileCache;
}

/** The folder a source's fetched files live in: DATA_DIR/sources/<source id>. */
export function sourceCacheDir(dataDir: string, sourceId: string): string {
  return path.join(dataDir, 'sources', sourceId);
}

/** Finds (or records) the configured server as a media source and builds what talks to it. */
export async function openImmichSource(
  db: Database,
  dataDir: string,
  logger: Logger,
  config: ImmichEnv & { timeoutMs?: number },
): Promise<ImmichSource> {
  const client = new ImmichClient({
    url: config.url,
    apiKey: config.apiKey,
    ...(config.timeoutMs ? { timeoutMs: config.timeoutMs } : {}),
  });
  const source = await ensureMediaSource(
    db,
    'immich',
    client.baseUrl,
    config.mount?.localPath ?? null,
  );
  const cacheDir = sourceCacheDir(dataDir, source.id);
  const places: ImmichFilePlaces = { sourceId: source.id, cacheDir, mount: config.mount };
  const cache = new BoundedFileCache(cacheDir, config.cacheMaxBytes, logger);
  return { source, client, places, cache, files: new ImmichFiles(client, cache, places) };
}
