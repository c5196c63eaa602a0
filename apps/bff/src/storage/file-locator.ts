import { realpath } from 'node:fs/promises';
import path from 'node:path';
import type { Database } from '../db/database';
import {
  findDepthMapFile,
  findMediaFile,
  listMediaRoots,
  type MediaFileRow,
  type MediaSourceRow,
} from '../db/queries/library.queries';
import { NotFoundError } from '../errors';
import type { Logger } from '../logger';

/** How long the list of media roots is reused (an import in another process adds one). */
const ROOTS_TTL_MS = 5_000;
/** Originals remembered: an id's original never changes, so a hit skips the database. */
const MAX_REMEMBERED = 10_000;

export interface LocatedFile<R> {
  /** Real path, checked to lie inside DATA_DIR or a media root. */
  file: string;
  row: R;
}

/**
 * Finds the file behind an id, only ever inside DATA_DIR or an imported media root (after
 * resolving symbolic links). Rows pointing elsewhere, or at nothing, are 404s logged with context.
 */
export class FileLocator {
  private roots: { real: string[]; at: number } | undefined;
  private readonly originals = new Map<string, LocatedFile<MediaSourceRow>>();

  constructor(
    private readonly db: Database,
    private readonly dataDir: string,
    private readonly logger: Logger,
  ) {}

  async original(id: string): Promise<LocatedFile<MediaSourceRow>> {
    const known = this.originals.get(id);
    if (known) return known;
    const row = await findMediaFile(this.db, id);
    const located = { file: await this.check(row, 'original'), row: row as MediaSourceRow };
    if (this.originals.size >= MAX_REMEMBERED) {
      const oldest = this.originals.keys().next().value;
      if (oldest !== undefined) this.originals.delete(oldest);
    }
    this.originals.set(id, located);
    return located;
  }

  /** Depth maps change with reprocessing: always looked up. */
  async depthMap(mediaId: string): Promise<LocatedFile<MediaFileRow>> {
    const row = await findDepthMapFile(this.db, mediaId);
    return { file: await this.check(row, 'depth map'), row: row as MediaFileRow };
  }

  /** Drops what is remembered of an id (deleted, or its file vanished). */
  forget(id: string): void {
    this.originals.delete(id);
  }

  private async check(row: MediaFileRow | null, what: string): Promise<string> {
    if (!row) throw new NotFoundError(`no ${what} for this media item`);
    const file = await this.insideRoots(row.file_path);
    if (!file) {
      this.logger.error(`${what} file missing or outside the media roots`, {
        id: row.id,
        path: row.file_path,
      });
      throw new NotFoundError(`the ${what} file is not available`);
    }
    return file;
  }

  private async insideRoots(file: string): Promise<string | null> {
    if (!path.isAbsolute(file)) return null;
    const real = await realpath(file).catch(() => null);
    if (!real) return null;
    const inside = (roots: string[]) =>
      roots.some((root) => {
        const relative = path.relative(root, real);
        return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
      });
    if (inside(await this.realRoots())) return real;
    // Perhaps a folder imported moments ago: look again before refusing.
    return inside(await this.realRoots(true)) ? real : null;
  }

  private async realRoots(fresh = false): Promise<string[]> {
    if (!fresh && this.roots && performance.now() - this.roots.at < ROOTS_TTL_MS)
      return this.roots.real;
    const listed = [this.dataDir, ...(await listMediaRoots(this.db))];
    const real = await Promise.all(listed.map((r) => realpath(r).catch(() => null)));
    this.roots = { real: real.filter((r): r is string => r !== null), at: performance.now() };
    return this.roots.real;
  }
}
