import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { probeMp4 } from './probe-mp4';

const run = promisify(execFile);

export interface VideoFacts {
  /** Display size: rotated videos report their stored size plus a rotation, which is applied here. */
  width: number | null;
  height: number | null;
  durationSeconds: number | null;
  framesPerSecond: number | null;
  capturedAt: Date | null;
}

interface FfprobeOutput {
  streams?: Array<{
    codec_type?: string;
    width?: number;
    height?: number;
    avg_frame_rate?: string;
    r_frame_rate?: string;
    tags?: { rotate?: string };
    side_data_list?: Array<{ rotation?: number }>;
  }>;
  format?: { duration?: string; tags?: { creation_time?: string } };
}

/** An MP4 or QuickTime file is read in-process (probe-mp4.ts); anything else by ffprobe. */
export async function probeVideo(file: string, ffprobePath: string): Promise<VideoFacts> {
  const mp4 = await probeMp4(file).catch(() => null);
  return mp4 ?? probeWithFfprobe(file, ffprobePath);
}

export async function probeWithFfprobe(file: string, ffprobePath: string): Promise<VideoFacts> {
  let stdout: string;
  try {
    ({ stdout } = await run(
      ffprobePath,
      ['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format', file],
      {
        maxBuffer: 16 << 20,
      },
    ));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(
        `ffprobe not found at "${ffprobePath}": install ffmpeg (apt-get install -y ffmpeg) or set FFPROBE_PATH`,
      );
    }
    throw new Error(
      `ffprobe could not read the video: ${String((error as { stderr?: string }).stderr ?? error).trim()}`,
    );
  }
  const probe = JSON.parse(stdout) as FfprobeOutput;
  const stream = probe.streams?.find((s) => s.codec_type === 'video');
  if (!stream) throw new Error('no video stream');
  const rotation = Math.abs(
    Number(
      stream.side_data_list?.find((d) => d.rotation !== undefined)?.rotation ??
        stream.tags?.rotate ??
        0,
    ),
  );
  const quarterTurn = rotation % 180 === 90;
  const duration = Number(probe.format?.duration);
  const created = probe.format?.tags?.creation_time
    ? new Date(probe.format.tags.creation_time)
    : null;
  return {
    width: (quarterTurn ? stream.height : stream.width) ?? null,
    height: (quarterTurn ? stream.width : stream.height) ?? null,
    durationSeconds: Number.isFinite(duration) ? duration : null,
    framesPerSecond: parseFrameRate(stream.avg_frame_rate) ?? parseFrameRate(stream.r_frame_rate),
    capturedAt: created && !Number.isNaN(created.getTime()) ? created : null,
  };
}

/** ffprobe gives rates as fractions ("30000/1001"); "0/0" means unknown. */
export function parseFrameRate(rate: string | undefined): number | null {
  if (!rate) return null;
  const [num, den] = rate.split('/').map(Number);
  if (!num || !Number.isFinite(num)) return null;
  const value = den ? num / den : num;
  return Number.isFinite(value) && value > 0 ? value : null;
}
