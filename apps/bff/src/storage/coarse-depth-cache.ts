import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { UnprocessableError } from '../errors';
import { isFile } from '../util/is-file';
import { limitConcurrency } from '../util/limit-concurrency';
import type { DataLayout } from './data-layout';
import { storageProblem } from './storage-errors';

/** A photo's depth map, as its row and file name it. */
export interface DepthMapRef {
  mediaId: string;
  depthMapId: string;
  /** Resolved, checked path of the 16-bit PNG. */
  file: string;
}

/**
 * Coarse versions of depth maps: 16-bit grey PNGs like the maps, `size` px on the long edge. A
 * viewer draws its first 3D frames with one while the full map loads. Made on first request (or
 * ahead by the viewer warmer) and kept in DATA_DIR/previews under the depth map's id, so a new map
 * never meets an old coarse file; `removeCoarseDepthMaps` clears an item's. Concurrent requests
 * share one making; makings run a few at a time.
 */
export class CoarseDepthCache {
  private readonly inFlight = new Map<string, Promise<string>>();
  private readonly limit: ReturnType<typeof limitConcurrency>;

  constructor(
    private readonly layout: DataLayout,
    concurrency: number,
  ) {
    this.limit = limitConcurrency(concurrency);
  }

  /** The coarse file of `map`, made first when needed. */
  async get(map: DepthMapRef, size: number): Promise<string> {
    const target = this.layout.coarseDepthFile(map.mediaId, map.depthMapId, size);
    if (await isFile(target)) return target;
    const pending = this.inFlight.get(target);
    if (pending) return pending;
    const making = this.limit(() => this.make(map.file, size, target)).finally(() =>
      this.inFlight.delete(target),
    );
    this.inFlight.set(target, making);
    return making;
  }

  private async make(source: string, size: number, target: string): Promise<string> {
    if (await isFile(target)) return target;
    await mkdir(path.dirname(target), { recursive: true });
    await mkdir(this.layout.tmp, { recursive: true });
    const partial = path.join(this.layout.tmp, `coarse-depth-${randomUUID()}.png`);
    try {
      // Nearest: every coarse texel is a depth that is in the map. Averaging invents depths
      // between the two sides of an edge, which the viewer draws as a ghost of the edge (looked at
      // side by side on the demo's room: a ring beside the sphere; none with nearest).
      await sharp(source, { failOn: 'error' })
        .resize(size, size, { fit: 'inside', withoutEnlargement: true, kernel: 'nearest' })
        .toColourspace('grey16')
        .png({ compressionLevel: 6 })
        .toFile(partial);
      await rename(partial, target);
      return target;
    } catch (error) {
      await rm(partial, { force: true });
      const storage = storageProblem(error);
      if (storage) throw storage;
      throw new UnprocessableError(
        `the depth map could not be read: ${(error as Error).message.replaceAll(source, 'the depth map')}`,
      );
    }
  }
}

/**
 * Removes an item's coarse depth maps (its depth map was replaced, evicted or deleted), all but
 * those of the depth map `keep`.
 */
export async function removeCoarseDepthMaps(
  layout: DataLayout,
  mediaId: string,
  keep: string | null = null,
): Promise<void> {
  const folder = path.dirname(layout.coarseDepthFile(mediaId, '', 0));
  const names = await readdir(folder).catch(() => [] as string[]);
  const prefix = `${mediaId}-depth-`;
  const kept = keep === null ? null : `${prefix}${keep}-`;
  await Promise.all(
    names
      .filter((n) => n.startsWith(prefix) && !(kept && n.startsWith(kept)))
      .map((n) => rm(path.join(folder, n), { force: true })),
  );
}
