/**
 * pnpm bench video (worker part): seconds of work per second of video (built-in estimator, and the
 * ONNX path with a tiny model), against ffmpeg alone decoding and encoding the same frames in the
 * same run; peak worker RSS on a 60 s 1080p clip; depth-video bytes against the original's.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { writeTinyDepthModel } from '../test/helpers/tiny-onnx-model';

const run = promisify(execFile);
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

async function clip(file: string, size: string, seconds: number): Promise<void> {
  // A real camera-like clip: moving detail, sound, H.264 at a phone's bitrate.
  await run('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${size}:rate=30:duration=${seconds}`,
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=440:duration=${seconds}`,
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-b:v',
    size === '1920x1080' ? '12M' : '6M',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    file,
  ]);
}

interface JobFigures {
  seconds: number;
  videoSeconds: number;
  frames: number;
  timings: { decodeMs: number; estimateMs: number; encodeMs: number };
  bytes: number;
  originalBytes: number;
  maxRssMb: number;
}

function depthVideoJob(source: string, out: string, estimator: string): JobFigures {
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'bench/video-job.ts', source, out, estimator],
    { cwd: path.resolve(import.meta.dirname, '..'), encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  if (child.status !== 0) throw new Error(`video job failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1) as string) as JobFigures;
}

/** ffmpeg alone: decode, scale to the same halves, stack and encode as a depth video is. */
async function ffmpegOnly(source: string, out: string): Promise<number> {
  const started = performance.now();
  await run('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-i',
    source,
    '-filter_complex',
    '[0:v]fps=30,scale=1280:720,split[a][b];[a][b]vstack,scale=out_color_matrix=bt709:out_range=full,format=yuv420p',
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-crf',
    '16',
    '-g',
    '30',
    '-c:a',
    'aac',
    '-movflags',
    '+faststart',
    out,
  ]);
  return (performance.now() - started) / 1000;
}

export async function benchVideo(): Promise<void> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'immichvr-bench-video-'));
  try {
    const short = path.join(work, 'clip-720p-10s.mp4');
    await clip(short, '1280x720', 10);
    const model = path.join(work, 'tiny.onnx');
    await writeTinyDepthModel(model);

    const reference = await ffmpegOnly(short, path.join(work, 'reference.mp4'));
    console.log(
      `reference, ffmpeg alone decoding, stacking and encoding the 10 s 720p clip: ${(reference / 10).toFixed(2)} s per video second`,
    );
    for (const estimator of ['builtin', `onnx:${model}`]) {
      const job = depthVideoJob(short, path.join(work, 'depth.mp4'), estimator);
      const perFrame = (ms: number) => (ms / job.frames).toFixed(1);
      console.log(
        `${estimator.startsWith('onnx') ? 'ONNX path (tiny test model)' : 'built-in estimator'}: ` +
          `${(job.seconds / job.videoSeconds).toFixed(2)} s of work per video second (${job.frames} frames; ` +
          `per frame: decode ${perFrame(job.timings.decodeMs)} ms, estimate ${perFrame(job.timings.estimateMs)} ms, ` +
          `stack+encode ${perFrame(job.timings.encodeMs)} ms); ${(job.seconds / reference).toFixed(1)}× ffmpeg alone; ` +
          `depth video ${mb(job.bytes)} vs original ${mb(job.originalBytes)} (${(job.bytes / job.originalBytes).toFixed(2)}×); peak RSS ${job.maxRssMb.toFixed(0)} MB`,
      );
    }

    const seconds = Number(process.env.BENCH_VIDEO_SECONDS ?? 60);
    const long = path.join(work, 'clip-1080p.mp4');
    await clip(long, '1920x1080', seconds);
    const job = depthVideoJob(long, path.join(work, 'depth-long.mp4'), `onnx:${model}`);
    console.log(
      `${seconds} s 1080p clip (${job.frames} frames, ONNX path with the tiny model): peak worker RSS ${job.maxRssMb.toFixed(0)} MB ` +
        `(frames stream through ffmpeg pipes; the look-ahead holds 0.5 s); ${(job.seconds / job.videoSeconds).toFixed(2)} s per video second; ` +
        `depth video ${mb(job.bytes)} vs original ${mb((await stat(long)).size)} (${(job.bytes / (await stat(long)).size).toFixed(2)}×)`,
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
