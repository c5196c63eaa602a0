import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { DepthVideoPlan } from './video-plan';
import { spawnFfmpeg } from './video-process';

/**
 * How depth videos are encoded: H.264 (every browser and headset decodes it in hardware), full
 * range so 8-bit depth keeps all 256 levels, quality high enough that depth survives the codec,
 * a keyframe every second so seeking is quick, and the moov atom first so playback starts at once.
 */
export const DEPTH_VIDEO_ENCODING = {
  codec: 'h264',
  crf: 16,
  preset: 'veryfast',
  keyframeSeconds: 1,
  range: 'full',
  audio: 'aac 128k (the original sound, when it has any)',
} as const;

/** Writes stacked frames (RGB) into an MP4 through ffmpeg's stdin, with the original's sound. */
export class DepthVideoEncoder {
  private constructor(
    private readonly stdin: Writable,
    private readonly exited: Promise<void>,
    private readonly kill: () => void,
  ) {}

  static start(
    ffmpegPath: string,
    plan: DepthVideoPlan,
    options: { outFile: string; audioFrom: string | null; signal: AbortSignal; threads?: number },
  ): DepthVideoEncoder {
    const { crf, preset, keyframeSeconds } = DEPTH_VIDEO_ENCODING;
    const args = [
      '-v',
      'error',
      '-y',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      '-s',
      `${plan.frameWidth}x${plan.frameHeight}`,
      '-r',
      String(plan.frameRate),
      '-i',
      'pipe:0',
    ];
    if (options.audioFrom) args.push('-i', options.audioFrom, '-map', '0:v', '-map', '1:a?');
    args.push(
      '-vf',
      'scale=out_color_matrix=bt709:out_range=full,format=yuv420p',
      '-c:v',
      'libx264',
      '-preset',
      preset,
      '-crf',
      String(crf),
      '-g',
      String(Math.max(1, Math.round(plan.frameRate * keyframeSeconds))),
      '-color_range',
      'pc',
      '-colorspace',
      'bt709',
      '-color_primaries',
      'bt709',
      '-color_trc',
      'bt709',
    );
    if (options.threads) args.push('-threads', String(options.threads));
    if (options.audioFrom) args.push('-c:a', 'aac', '-b:a', '128k', '-shortest');
    args.push('-movflags', '+faststart', '-f', 'mp4', options.outFile);
    const { child, exited } = spawnFfmpeg(ffmpegPath, args, { stdin: true, stdout: false });
    const kill = () => child.kill('SIGKILL');
    options.signal.addEventListener('abort', kill, { once: true });
    exited.finally(() => options.signal.removeEventListener('abort', kill)).catch(() => {});
    const stdin = child.stdin as Writable;
    stdin.on('error', () => {}); // ffmpeg's own reason comes with its exit
    return new DepthVideoEncoder(stdin, exited, kill);
  }

  /** Queues one frame; waits while ffmpeg is behind (memory stays bounded). */
  async write(frame: Buffer): Promise<void> {
    if (!this.stdin.write(frame))
      await Promise.race([once(this.stdin, 'drain'), this.exited.then(() => {})]);
  }

  /** Ends the stream and waits for the file to be complete. */
  async finish(): Promise<void> {
    this.stdin.end();
    try {
      await this.exited;
    } catch (error) {
      throw new Error(`the depth video could not be encoded: ${(error as Error).message}`);
    }
  }

  /** Stops at once (the caller removes the partial file). */
  abort(): void {
    this.kill();
    this.exited.catch(() => {});
  }
}
