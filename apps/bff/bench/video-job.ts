/**
 * One depth video made in a process of its own, so its peak memory is the worker's alone:
 * `tsx bench/video-job.ts <clip> <out> [builtin|onnx:<model>]` prints a JSON line.
 */
import { stat } from 'node:fs/promises';
import { probeVideo } from '../src/import/probe-video';
import { BuiltinEstimator } from '../src/worker/depth/builtin-estimator';
import type { DepthEstimator } from '../src/worker/depth/estimator';
import { OnnxEstimator } from '../src/worker/depth/onnx-estimator';
import { makeDepthVideo } from '../src/worker/video/make-depth-video';

const [clip, out, estimatorName = 'builtin'] = process.argv.slice(2);
if (!clip || !out) throw new Error('usage: video-job.ts <clip> <out> [builtin|onnx:<model>]');
const facts = await probeVideo(clip, 'ffprobe');
const estimator: DepthEstimator = estimatorName.startsWith('onnx:')
  ? await OnnxEstimator.load(estimatorName.slice(5))
  : new BuiltinEstimator();
const started = performance.now();
const made = await makeDepthVideo(
  {
    file: clip,
    width: facts.width ?? 0,
    height: facts.height ?? 0,
    framesPerSecond: facts.framesPerSecond,
    durationSeconds: facts.durationSeconds,
  },
  estimator,
  { ffmpegPath: 'ffmpeg', partialFile: out, signal: new AbortController().signal },
);
console.log(
  JSON.stringify({
    seconds: (performance.now() - started) / 1000,
    videoSeconds: facts.durationSeconds,
    frames: made.timings.frames,
    timings: made.timings,
    bytes: made.fileSize,
    originalBytes: (await stat(clip)).size,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
await estimator.close?.();
