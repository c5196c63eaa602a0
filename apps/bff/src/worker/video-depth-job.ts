import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { findJobSource } from '../db/queries/worker.queries';
import { probeVideo } from '../import/probe-video';
import { GROUND_TRUTH_MODEL } from '../services/demo-library.service';
import { DepthInputError } from './depth/make-depth-map';
import type { DepthJobDeps } from './depth-job';
import { depthFileResult } from './depth-result';
import type { JobHandler, JobResult } from './queue-runner';
import { makeDepthVideo } from './video/make-depth-video';

/**
 * The video depth job: a depth video of every frame (make-depth-video.ts), written to a partial
 * file named after the job and recorded like a depth map (format mp4) when the job completes. A
 * worker killed mid-video leaves its partial file; the job's next attempt removes it and starts
 * over, so nothing half-written is ever recorded or kept.
 */
export function videoDepthJobHandler(deps: DepthJobDeps & { ffprobePath: string }): JobHandler {
  return async (job, { signal, reportProgress }): Promise<JobResult> => {
    const source = await findJobSource(deps.db, job.media_item_id);
    if (!source) throw new DepthInputError('the media item no longer exists');
    if (source.depth_model_name === GROUND_TRUTH_MODEL && job.requested_by !== 'user')
      return { discard: async () => {} };
    const { file } = await deps.files.original(source.id);
    const estimator = deps.estimators.current;
    await removePartials(deps.layout.tmp, job.id);
    const facts = await probeVideo(file, deps.ffprobePath).catch((error: Error) => {
      throw new DepthInputError(error.message.replaceAll(file, 'the original'));
    });
    if (!facts.width || !facts.height) throw new DepthInputError('the video has no picture size');
    reportProgress(0);
    await mkdir(deps.layout.tmp, { recursive: true });
    const generation = randomBytes(4).toString('hex');
    const made = await makeDepthVideo(
      {
        file,
        width: facts.width,
        height: facts.height,
        framesPerSecond: facts.framesPerSecond,
        durationSeconds: facts.durationSeconds,
      },
      estimator,
      {
        ffmpegPath: deps.ffmpegPath,
        partialFile: path.join(deps.layout.tmp, `${partialPrefix(job.id)}${generation}.mp4`),
        signal,
        onProgress: reportProgress,
      },
    );
    return depthFileResult(
      deps.layout,
      estimator,
      { id: source.id, previousFile: source.depth_file_path },
      made,
      'mp4',
      generation,
    );
  };
}

const partialPrefix = (jobId: string) => `video-${jobId}-`;

/** Partial files an earlier attempt at this job left (its worker was killed). */
async function removePartials(tmpDir: string, jobId: string): Promise<void> {
  const names = await readdir(tmpDir).catch(() => [] as string[]);
  await Promise.all(
    names
      .filter((n) => n.startsWith(partialPrefix(jobId)))
      .map((n) => rm(path.join(tmpDir, n), { force: true })),
  );
}
