import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Queryable } from '../db/database';
import { isDepthFileRecorded, recordDepthMap } from '../db/queries/depth-maps.queries';
import { findJobSource } from '../db/queries/worker.queries';
import { GROUND_TRUTH_MODEL } from '../services/demo-library.service';
import type { DataLayout } from '../storage/data-layout';
import { isInside } from '../storage/data-layout';
import type { FileLocator } from '../storage/file-locator';
import type { DepthEstimator } from './depth/estimator';
import { DepthInputError, makeDepthMap } from './depth/make-depth-map';
import type { JobHandler, JobResult } from './queue-runner';

export interface DepthJobDeps {
  db: Queryable;
  layout: DataLayout;
  files: FileLocator;
  estimator: DepthEstimator;
  ffmpegPath: string;
}

/**
 * The depth job: reads the item's original (only from DATA_DIR or a media root), makes a depth map
 * with the configured estimator, and on completion records it (replacing the item's previous one)
 * in the same transaction that completes the job. The previous file is removed only after that
 * commits; a cancelled job leaves nothing behind. A ground-truth depth map is only replaced when
 * the user asked for this item to be reprocessed.
 */
export function depthJobHandler(deps: DepthJobDeps): JobHandler {
  return async (job, signal): Promise<JobResult> => {
    const source = await findJobSource(deps.db, job.media_item_id);
    if (!source) throw new DepthInputError('the media item no longer exists');
    if (source.depth_model_name === GROUND_TRUTH_MODEL && job.requested_by !== 'user') {
      // Nothing to do: the exact depth is already there.
      return { discard: async () => {} };
    }
    const { file } = await deps.files.original(source.id);
    const made = await makeDepthMap(
      {
        file,
        mediaType: source.media_type,
        mimeType: source.mime_type,
        durationSeconds: source.duration_seconds === null ? null : Number(source.duration_seconds),
      },
      deps.estimator,
      { ffmpegPath: deps.ffmpegPath, tmpDir: deps.layout.tmp, signal },
    );
    // A new name per generation: the previous map stays readable until the new row commits.
    const target = deps.layout.depthMapFile(source.id, randomBytes(4).toString('hex'));
    await mkdir(path.dirname(target), { recursive: true });
    await rename(made.partialFile, target);
    const previous = source.depth_file_path;
    return {
      async commit(tx) {
        await recordDepthMap(tx, {
          mediaItemId: source.id,
          filePath: target,
          fileSize: made.fileSize,
          format: 'png',
          width: made.width,
          height: made.height,
          modelName: deps.estimator.modelName,
          modelVersion: deps.estimator.modelVersion,
          processingParams: { ...made.processingParams, timingsMs: made.timings },
          checksum: made.checksum,
        });
      },
      async afterCommit() {
        if (previous && previous !== target && isInside(previous, deps.layout.depthMaps))
          await rm(previous, { force: true });
      },
      async discard() {
        await rm(target, { force: true });
      },
      async discardUnlessRecorded(db) {
        if (!(await isDepthFileRecorded(db, target))) await rm(target, { force: true });
      },
    };
  };
}
