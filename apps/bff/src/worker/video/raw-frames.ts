import type { DepthVideoPlan } from './video-plan';
import { spawnFfmpeg } from './video-process';

export class VideoDecodeError extends Error {
  override name = 'VideoDecodeError';
}

/**
 * The video's frames as the plan wants them (upright, scaled, at a constant rate), RGB 8-bit,
 * streamed through ffmpeg's stdout one at a time: never the whole clip in memory. A video that
 * cannot be decoded, or ends well before its stated length (a truncated file), throws.
 */
export async function* decodeFrames(
  ffmpegPath: string,
  file: string,
  plan: DepthVideoPlan,
  signal: AbortSignal,
): AsyncGenerator<Buffer> {
  const { child, exited } = spawnFfmpeg(
    ffmpegPath,
    [
      '-v',
      'error',
      '-i',
      file,
      '-an',
      '-sn',
      '-vf',
      `fps=${plan.frameRate},scale=${plan.width}:${plan.height}:flags=bicubic,format=rgb24`,
      '-f',
      'rawvideo',
      'pipe:1',
    ],
    { stdin: false, stdout: true },
  );
  exited.catch(() => {}); // read below, once the frames have been taken
  const kill = () => child.kill('SIGKILL');
  signal.addEventListener('abort', kill, { once: true });
  const frameBytes = plan.width * plan.height * 3;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let frames = 0;
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      while (pendingBytes >= frameBytes) {
        const all = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending);
        yield Buffer.from(all.subarray(0, frameBytes));
        frames++;
        const rest = all.subarray(frameBytes);
        pending = rest.length ? [rest] : [];
        pendingBytes = rest.length;
      }
    }
    signal.throwIfAborted();
    try {
      await exited;
    } catch (error) {
      throw new VideoDecodeError(
        `the video could not be decoded: ${(error as Error).message.replaceAll(file, 'the original')}`,
      );
    }
    // ffmpeg decodes what a cut-off file holds and stops: too few frames means it was cut off.
    if (frames < Math.max(1, Math.floor(plan.expectedFrames * 0.9)))
      throw new VideoDecodeError(
        `the video ends early: ${frames} of ${plan.expectedFrames} frames could be decoded (is the file truncated?)`,
      );
  } finally {
    signal.removeEventListener('abort', kill);
    if (child.exitCode === null) kill();
  }
}
