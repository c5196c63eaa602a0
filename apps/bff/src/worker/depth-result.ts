import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { DepthMapFormat } from '@immichvr/shared';
import { isDepthFileRecorded, recordDepthMap } from '../db/queries/depth-maps.queries';
import { removeCoarseDepthMaps } from '../storage/coarse-depth-cache';
import { type DataLayout, isInside } from '../storage/data-layout';
import type { DepthEstimator } from './depth/estimator';
import type { JobResult } from './queue-runner';

/** A finished depth file in DATA_DIR/tmp, with what its row records. */
export interface MadeDepthFile {
  /** Written to DATA_DIR/tmp; the job renames it into place or removes it. */
  partialFile: string;
  width: number;
  height: number;
  fileSize: number;
  checksum: string;
  processingParams: Record<string, unknown>;
  timings: Record<string, number>;
}

/**
 * Moves a made depth file into place under a new name per generation (the previous map stays
 * readable until the new row commits) and returns the job result that records it, replacing the
 * item's previous map; the previous file is removed only after that commits, and a cancelled job
 * leaves nothing behind.
 */
export async function depthFileResult(
  layout: DataLayout,
  estimator: DepthEstimator,
  item: { id: string; previousFile: string | null },
  made: MadeDepthFile,
  format: DepthMapFormat,
  generation: string,
): Promise<JobResult> {
  const target = layout.depthMapFile(item.id, generation, format === 'mp4' ? 'mp4' : 'png');
  await mkdir(path.dirname(target), { recursive: true });
  await rename(made.partialFile, target);
  let recordedId: string | null = null;
  return {
    async commit(tx) {
      recordedId = await recordDepthMap(tx, {
        mediaItemId: item.id,
        filePath: target,
        fileSize: made.fileSize,
        format,
        width: made.width,
        height: made.height,
        modelName: estimator.modelName,
        modelVersion: estimator.modelVersion,
        processingParams: { ...made.processingParams, timingsMs: made.timings },
        checksum: made.checksum,
      });
    },
    async afterCommit() {
      const previous = item.previousFile;
      if (previous && previous !== target && isInside(previous, layout.depthMaps))
        await rm(previous, { force: true });
      // The previous map's coarse versions (the new map's, if a viewer was quick, stay).
      await removeCoarseDepthMaps(layout, item.id, recordedId);
    },
    async discard() {
      await rm(target, { force: true });
    },
    async discardUnlessRecorded(db) {
      if (!(await isDepthFileRecorded(db, target))) await rm(target, { force: true });
    },
  };
}
