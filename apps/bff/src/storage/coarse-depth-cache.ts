import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { UnprocessableError } from '../errors';
import type { DataLayout } from './data-layout';
import { FileMakings, writeAtomically } from './file-makings';
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
 * never meets an old coarse file; `removeCoarseDepthMaps` clears an item's.
 */
export class CoarseDepthCache {
  private readonly makings: FileMakings;

  constructor(
    private readonly layout: DataLayout,
    concurrency: number,
  ) {
    this.makings = new FileMakings(concurrency);
  }

  /** The coarse file of `map`, made first when needed. */
  get(map: DepthMapRef, size: number): Promise<string> {
    const target = this.layout.coarseDepthFile(map.mediaId, map.depthMapId, size);
    return this.makings.get(target, () => this.make(map.file, size, target));
  }

  private async make(source: string, size: number, target: string): Promise<void> {
    try {
      await writeAtomically(this.layout.tmp, target, (partial) =>
        // Nearest: every coarse texel is a depth that is in the map. Averaging invents depths
        // between the two sides of an edge, which the viewer draws as a ghost of the edge (looked
        // at side by side on the demo's room: a ring beside the sphere; none with nearest).
        sharp(source, { failOn: 'error' })
          .resize(size, size, { fit: 'inside', withoutEnlargement: true, kernel: 'nearest' })
          .toColourspace('grey16')
          .png({ compressionLevel: 6 })
          .toFile(partial),
      );
    } catch (error) {
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
  const folder = layout.previewFolder(mediaId);
  const names = await readdir(folder).catch(() => [] as string[]);
  const prefix = `${mediaId}-depth-`;
  const kept = keep === null ? null : `${prefix}${keep}-`;
  await Promise.all(
    names
      .filter((n) => n.startsWith(prefix) && !(kept && n.startsWith(kept)))
      .map((n) => rm(path.join(folder, n), { force: true })),
  );
}
