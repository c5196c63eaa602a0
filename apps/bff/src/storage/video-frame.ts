import { execFile } from 'node:child_process';

const FRAME_TIMEOUT_MS = 30_000;

export class VideoFrameError extends Error {
  override name = 'VideoFrameError';
}

/**
 * One frame of a video as PNG bytes: a third of the way in, at most 1 s (past fades from black).
 * ffmpeg applies the video's rotation, so the frame is upright as played.
 */
export function extractVideoFrame(
  ffmpegPath: string,
  file: string,
  durationSeconds: number | null,
  signal?: AbortSignal,
): Promise<Buffer> {
  const at = Math.min(1, (durationSeconds ?? 0) / 3);
  const args = ['-v', 'error', '-ss', at.toFixed(3), '-i', file];
  args.push('-frames:v', '1', '-f', 'image2pipe', '-c:v', 'png', '-');
  return new Promise((resolve, reject) => {
    execFile(
      ffmpegPath,
      args,
      {
        encoding: 'buffer',
        maxBuffer: 256 << 20,
        timeout: FRAME_TIMEOUT_MS,
        ...(signal ? { signal } : {}),
      },
      (error, stdout, stderr) => {
        if (error || stdout.length === 0) {
          const reason =
            stderr.toString().trim().split('\n').at(-1) || error?.message || 'no frame';
          reject(
            new VideoFrameError(
              `no frame could be read from the video: ${reason.replaceAll(file, 'the original')}`,
            ),
          );
        } else resolve(stdout);
      },
    );
  });
}
