import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/database';
import { findJobSource } from '../db/queries/worker.queries';
import { GROUND_TRUTH_MODEL } from '../services/demo-library.service';
import type { DataLayout } from '../storage/data-layout';
import type { FileLocator } from '../storage/file-locator';
import type { EstimatorSlot } from './depth/estimator-slot';
import { DepthInputError, makeDepthMap } from './depth/make-depth-map';
import { depthFileResult } from './depth-result';
import type { JobHandler, JobResult } from './queue-runner';

export interface DepthJobDeps {
  db: Queryable;
  layout: DataLayout;
  files: FileLocator;
  /** The estimator of the moment: read once per job. */
  estimators: EstimatorSlot;
  ffmpegPath: string;
}

/**
 * The photo depth job: reads the item's original (only from DATA_DIR or a media root), makes a
 * depth map with the configured estimator, and on completion records it (replacing the item's
 * previous one) in the same transaction that completes the job. A ground-truth depth map is only
 * replaced when the user asked for this item to be reprocessed.
 */
export function depthJobHandler(deps: DepthJobDeps): JobHandler {
  return async (job, { signal }): Promise<JobResult> => {
    const source = await findJobSource(deps.db, job.media_item_id);
    if (!source) throw new DepthInputError('the media item no longer exists');
    if (source.depth_model_name === GROUND_TRUTH_MODEL && job.requested_by !== 'user') {
      // Nothing to do: the exact depth is already there.
      return { discard: async () => {} };
    }
    // An Immich item whose original is elsewhere: its preview (1440 px, far above the 518 px the
    // estimator sees) instead of fetching the whole original.
    const { file } = await deps.files.pictureSource(source.id);
    const estimator = deps.estimators.current;
    const made = await makeDepthMap({ file, mimeType: source.mime_type }, estimator, {
      tmpDir: deps.layout.tmp,
      signal,
    });
    return depthFileResult(
      deps.layout,
      estimator,
      { id: source.id, previousFile: source.depth_file_path },
      made,
      'png',
      randomBytes(4).toString('hex'),
    );
  };
}
