import type { Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Database } from '../db/database';
import {
  findDepthMapFile,
  findMediaFile,
  type MediaFileRow,
  type MediaSourceRow,
} from '../db/queries/library.queries';
import { listServedFolders } from '../db/queries/media-sources.queries';
import { NotFoundError } from '../errors';
import type { RemoteFiles } from '../immich/immich-files';
import type { Logger } from '../logger';
import { isInside } from './data-layout';

/** How long the list of media roots is reused (an import in another process adds one). */
const ROOTS_TTL_MS = 5_000;
/** Rows remembered: an id's original path never changes, so a hit skips the database. */
const MAX_REMEMBERED = 10_000;
/** Folders of DATA_DIR nothing is ever served from, whatever a row or a link says. */
const SECRET_FOLDERS = ['db', 'tls'];

export interface LocatedFile<R> {
  /** Real path, checked to lie where such files live (see resolveInside). */
  file: string;
  /** The file's stat (sendFile's headers use it): this request's, or see `stillSame`. */
  stats: Stats;
  row: R;
  /**
   * Only when asked for ({ overlapCheck: true }) and the path was checked before: `stats` are the
   * file's as last checked, and the path is being looked at again meanwhile. true once it still
   * names that very file, unchanged (device, inode, size, modification time). Nothing of the file
   * may reach the client before it is true; false: locate it again without overlapCheck.
   */
  stillSame?: Promise<boolean>;
}

export interface LocateOptions {
  /**
   * Let the caller read the file while the path's check runs (see LocatedFile.stillSame): a
   * range request then waits for one trip through the thread pool instead of two.
   */
  overlapCheck?: boolean;
}

/** A picture to make previews and depth from: the original, or a still standing in for it. */
export interface PictureSource extends LocatedFile<MediaSourceRow> {
  /** true: a JPEG still from the item's server (the original is elsewhere). */
  still: boolean;
}

/** What a path was found to name once its real path was checked (see resolveInside). */
interface CheckedPath {
  real: string;
  /** The file's stat when last checked: device and inode say which file, size and mtime its state. */
  stats: Stats;
}

/** The same file (device, inode), unchanged (size, modification time) since `before`. */
const sameFile = (now: Stats, before: Stats) =>
  now.dev === before.dev &&
  now.ino === before.ino &&
  now.size === before.size &&
  now.mtimeMs === before.mtimeMs;

/**
 * Finds the file behind an id. An original is served only from its own place: an upload from the
 * uploads folder, an imported file from the media root it was imported from — after resolving
 * symbolic links, for every request (a file swapped for a link after its first read is caught
 * too). A depth map only from DATA_DIR. Never anything in DATA_DIR's database or TLS folders.
 * Rows pointing elsewhere, or at nothing, are 404s logged with context.
 */
export class FileLocator {
  private roots: { listed: string[]; at: number } | undefined;
  private readonly rows = new Map<string, MediaSourceRow>();
  /** Real paths of the folders files are served from, reused for ROOTS_TTL_MS (a hot path). */
  private readonly realFolders = new Map<string, { real: string | null; at: number }>();
  /** Paths whose real path was checked, by roots and path: the file they named then. */
  private readonly checked = new Map<string, CheckedPath>();

  constructor(
    private readonly db: Database,
    private readonly dataDir: string,
    private readonly logger: Logger,
    /** Where the files of a remote source (an Immich server) are fetched from, if there is one. */
    private readonly remote?: RemoteFiles,
  ) {}

  async original(id: string, options: LocateOptions = {}): Promise<LocatedFile<MediaSourceRow>> {
    const row = await this.row(id);
    const remote = await this.remote?.original(row);
    if (remote)
      return {
        ...(await this.check(
          { ...row, file_path: remote },
          'original',
          [this.remote?.cacheDir as string, ...this.mountOf(row)],
          options,
        )),
        row,
      };
    const root = await this.ownRoot(row);
    return { ...(await this.check(row, 'original', root ? [root] : [], options)), row };
  }

  /**
   * What previews and photo depth are made from: the original when it is on this machine, else
   * the remote source's own preview (an Immich JPEG) instead of fetching the whole original.
   */
  async pictureSource(id: string): Promise<PictureSource> {
    const row = await this.row(id);
    const still = await this.remote?.still(row);
    if (still)
      return {
        ...(await this.check({ ...row, file_path: still }, 'preview', [
          this.remote?.cacheDir as string,
        ])),
        row,
        still: true,
      };
    return { ...(await this.original(id)), still: false };
  }

  /** The item's file facts (type, checksum, source) without touching its file. */
  describe(id: string): Promise<MediaSourceRow> {
    return this.row(id);
  }

  private async row(id: string): Promise<MediaSourceRow> {
    let row = this.rows.get(id) ?? null;
    if (!row) {
      row = await findMediaFile(this.db, id);
      if (row) {
        if (this.rows.size >= MAX_REMEMBERED) {
          const oldest = this.rows.keys().next().value;
          if (oldest !== undefined) this.rows.delete(oldest);
        }
        this.rows.set(id, row);
      }
    }
    if (!row) throw new NotFoundError('no original for this media item');
    return row;
  }

  private mountOf(row: MediaSourceRow): string[] {
    return row.source_media_path ? [row.source_media_path] : [];
  }

  /** Depth maps change with reprocessing: always looked up. */
  async depthMap(mediaId: string, options: LocateOptions = {}): Promise<LocatedFile<MediaFileRow>> {
    const row = await findDepthMapFile(this.db, mediaId);
    if (!row) throw new NotFoundError('no depth map for this media item');
    return { ...(await this.check(row, 'depth map', [this.dataDir], options)), row };
  }

  /** Drops what is remembered of an id (deleted, or its file vanished). */
  forget(id: string): void {
    this.rows.delete(id);
  }

  /**
   * The folder an original may be served from, by its source: the uploads folder, the imported
   * folder, the mounted Immich library. A row without a source: the folder it lies in.
   */
  private async ownRoot(row: MediaSourceRow): Promise<string | null> {
    const uploads = path.join(this.dataDir, 'uploads');
    if (row.source_kind === 'upload') return uploads;
    if (row.source_kind === 'folder') return row.source_location;
    if (row.source_kind === 'immich') return row.source_media_path;
    const file = row.file_path;
    if (isInside(file, uploads)) return uploads;
    const deepest = (roots: string[]) =>
      roots.filter((r) => isInside(file, r)).sort((a, b) => b.length - a.length)[0] ?? null;
    // Perhaps a folder imported moments ago: look again before refusing.
    return deepest(await this.mediaRoots()) ?? deepest(await this.mediaRoots(true));
  }

  private async check(
    row: MediaFileRow,
    what: string,
    roots: string[],
    options: LocateOptions = {},
  ): Promise<{ file: string; stats: Stats; stillSame?: Promise<boolean> }> {
    const found = await this.resolveInside(row.file_path, roots, options);
    if (!found) {
      this.logger.error(`${what} file missing or outside where it may be`, {
        id: row.id,
        path: row.file_path,
      });
      throw new NotFoundError(`the ${what} file is not available`);
    }
    return found;
  }

  /**
   * The file's real path when it lies inside one of `roots` (real paths) and no secret folder,
   * with its stat. Links are resolved once per file: a later request stats the path (following
   * links) and, while that reaches the very file checked (device and inode), serves it without
   * resolving again. A path swapped for a link elsewhere reaches another file and is resolved and
   * checked anew. Each async file-system call costs a trip through libuv's thread pool (~0.1–0.2
   * ms on 2 cores), so a repeated request (a video's ranges) makes one instead of two — and with
   * overlapCheck, that one runs while the caller reads the file (see LocatedFile.stillSame).
   */
  private async resolveInside(
    file: string,
    roots: string[],
    options: LocateOptions,
  ): Promise<{ file: string; stats: Stats; stillSame?: Promise<boolean> } | null> {
    if (!path.isAbsolute(file) || roots.length === 0) return null;
    const key = `${roots.join('\0')}\0${file}`;
    const known = this.checked.get(key);
    if (known) {
      const stillSame = stat(file).then(
        (now) => sameFile(now, known.stats),
        () => false,
      );
      // Changed or gone: the next request resolves and checks the path anew.
      stillSame.then((same) => {
        if (!same && this.checked.get(key) === known) this.checked.delete(key);
      });
      if (options.overlapCheck) return { file: known.real, stats: known.stats, stillSame };
      if (await stillSame) return { file: known.real, stats: known.stats };
    }
    const real = await realpath(file).catch(() => null);
    if (!real) return null;
    const realRoots = await Promise.all(roots.map((r) => this.realFolder(r)));
    const realData = (await this.realFolder(this.dataDir)) ?? this.dataDir;
    if (SECRET_FOLDERS.some((f) => isInside(real, path.join(realData, f)))) return null;
    if (!realRoots.some((r) => r !== null && isInside(real, r))) return null;
    const stats = await stat(real).catch(() => null);
    if (!stats) return null;
    if (this.checked.size >= MAX_REMEMBERED) {
      const oldest = this.checked.keys().next().value;
      if (oldest !== undefined) this.checked.delete(oldest);
    }
    this.checked.set(key, { real, stats });
    return { file: real, stats };
  }

  /**
   * A served folder's real path, resolved again after ROOTS_TTL_MS: the file itself is resolved on
   * every request, its folder (an imported root, DATA_DIR) is not swapped for a link in use.
   */
  private async realFolder(folder: string): Promise<string | null> {
    const known = this.realFolders.get(folder);
    if (known && performance.now() - known.at < ROOTS_TTL_MS) return known.real;
    const real = await realpath(folder).catch(() => null);
    // A folder not there yet (a cache made on first fetch) is looked for again next time.
    if (real === null) return null;
    if (this.realFolders.size >= MAX_REMEMBERED) this.realFolders.clear();
    this.realFolders.set(folder, { real, at: performance.now() });
    return real;
  }

  private async mediaRoots(fresh = false): Promise<string[]> {
    if (!fresh && this.roots && performance.now() - this.roots.at < ROOTS_TTL_MS)
      return this.roots.listed;
    this.roots = { listed: await listServedFolders(this.db), at: performance.now() };
    return this.roots.listed;
  }
}
