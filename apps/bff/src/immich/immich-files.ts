import path from 'node:path';
import type { MediaSourceRow } from '../db/queries/library.queries';
import type { BoundedFileCache } from '../storage/bounded-file-cache';
import { isFile } from '../util/is-file';
import { cachedFile, type ImmichFilePlaces } from './immich-asset';
import type { ImmichClient } from './immich-client';

/** What the file locator asks of a source whose files may live on another server. */
export interface RemoteFiles {
  /** The folder fetched files are served from. */
  readonly cacheDir: string;
  /** The item's original on this machine (fetched when needed); null if not this source's. */
  original(row: MediaSourceRow): Promise<string | null>;
  /**
   * A JPEG to make previews and depth from when the original is not on this machine (Immich's
   * own preview: a few hundred KB instead of the original); null when the original is here or
   * the item is not this source's.
   */
  still(row: MediaSourceRow): Promise<string | null>;
}

/**
 * An Immich source's files: the mounted library (IMMICH_MEDIA_PATH) when the row's path is there,
 * else fetched from the server on first use into the bounded cache in DATA_DIR/sources/<id>.
 */
export class ImmichFiles implements RemoteFiles {
  constructor(
    private readonly client: ImmichClient,
    private readonly cache: BoundedFileCache,
    private readonly places: ImmichFilePlaces,
  ) {}

  get cacheDir(): string {
    return this.cache.dir;
  }

  async original(row: MediaSourceRow): Promise<string | null> {
    if (!this.owns(row)) return null;
    if (!this.inCache(row.file_path) && (await isFile(row.file_path))) return row.file_path;
    const target = this.inCache(row.file_path)
      ? row.file_path
      : cachedFile(
          this.places.cacheDir,
          'originals',
          row.external_id as string,
          path.extname(row.file_path),
        );
    return this.cache.get(target, (tmp) =>
      this.client.download(row.external_id as string, 'original', tmp),
    );
  }

  async still(row: MediaSourceRow): Promise<string | null> {
    if (!this.owns(row)) return null;
    // The original is here (mounted, or fetched before): previews and depth come from it.
    if (await isFile(row.file_path)) return null;
    const target = cachedFile(this.places.cacheDir, 'previews', row.external_id as string, '.jpg');
    return this.cache.get(target, (tmp) =>
      this.client.download(row.external_id as string, 'preview', tmp),
    );
  }

  private owns(row: MediaSourceRow): boolean {
    return row.source_id === this.places.sourceId && row.external_id !== null;
  }

  private inCache(file: string): boolean {
    return file.startsWith(`${this.places.cacheDir}${path.sep}`);
  }
}
