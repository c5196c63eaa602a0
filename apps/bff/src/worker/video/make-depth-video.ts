import { rm, stat } from 'node:fs/promises';
import sharp from 'sharp';
import { sha256File } from '../../import/hash-file';
import type { DepthEstimator, RgbImage } from '../depth/estimator';
import { DEPTH_SHORT_EDGE, resizeBilinear } from '../depth/make-depth-map';
import type { MadeDepthFile } from '../depth-result';
import { DEPTH_VIDEO_ENCODING, DepthVideoEncoder } from './depth-video-encoder';
import { decodeFrames } from './raw-frames';
import { stackedLayout, stackFrame } from './stacked-frame';
import {
  lumaThumbnail,
  type NormalizationMode,
  type NormalizedFrame,
  quantizeDisparity,
  TEMPORAL_NORMALIZATION,
  TemporalNormalizer,
} from './temporal-normalizer';
import { planDepthVideo } from './video-plan';

export interface VideoDepthSource {
  file: string;
  /** Display size (rotation applied), rate and length, as probed. */
  width: number;
  height: number;
  framesPerSecond: number | null;
  durationSeconds: number | null;
}

/** Its width and height are the stacked frame's. */
export interface MadeDepthVideo extends MadeDepthFile {
  timings: { decodeMs: number; estimateMs: number; encodeMs: number; frames: number };
}

/**
 * A video's depth video: every frame decoded (streamed, upright, capped in size and rate), its depth
 * estimated, normalised over time (temporal-normalizer.ts), and written under its colour frame into
 * one H.264 MP4 with the original's sound — so colour and depth cannot drift apart. Memory holds
 * the look-ahead's frames and no more. Progress is reported per frame; an abort stops both ffmpeg
 * processes and removes the partial file.
 */
export async function makeDepthVideo(
  source: VideoDepthSource,
  estimator: DepthEstimator,
  options: {
    ffmpegPath: string;
    partialFile: string;
    signal: AbortSignal;
    onProgress?: (percent: number) => void;
    normalization?: NormalizationMode;
    encoderThreads?: number;
  },
): Promise<MadeDepthVideo> {
  const plan = planDepthVideo(source);
  const mode = options.normalization ?? 'ema';
  const scale = Math.min(1, DEPTH_SHORT_EDGE / Math.min(plan.width, plan.height));
  const estimateWidth = Math.max(1, Math.round(plan.width * scale));
  const estimateHeight = Math.max(1, Math.round(plan.height * scale));
  const timings = { decodeMs: 0, estimateMs: 0, encodeMs: 0, frames: 0 };
  const histogram = new Float64Array(256);
  const normalizer = new TemporalNormalizer<Buffer>({ frameRate: plan.frameRate, mode });
  const encoder = DepthVideoEncoder.start(options.ffmpegPath, plan, {
    outFile: options.partialFile,
    audioFrom: source.file,
    signal: options.signal,
    ...(options.encoderThreads ? { threads: options.encoderThreads } : {}),
  });

  const emit = async (frame: NormalizedFrame<Buffer>) => {
    const t0 = performance.now();
    const full = resizeBilinear(frame.disparity, plan.width, plan.height);
    const levels = quantizeDisparity(full.data, frame);
    for (let i = 0; i < levels.length; i += 7) {
      const level = levels[i] as number;
      histogram[level] = (histogram[level] as number) + 1;
    }
    await encoder.write(stackFrame(frame.payload, levels, plan));
    timings.encodeMs += performance.now() - t0;
    timings.frames++;
  };

  try {
    let decoded = 0;
    let t = performance.now();
    for await (const colour of decodeFrames(
      options.ffmpegPath,
      source.file,
      plan,
      options.signal,
    )) {
      const t1 = performance.now();
      timings.decodeMs += t1 - t;
      const image = await smaller(colour, plan.width, plan.height, estimateWidth, estimateHeight);
      const disparity = await estimator.estimate(image, options.signal);
      options.signal.throwIfAborted();
      timings.estimateMs += performance.now() - t1;
      const thumb = lumaThumbnail(colour, plan.width, plan.height);
      for (const ready of normalizer.push(colour, disparity, thumb)) await emit(ready);
      decoded++;
      options.onProgress?.(Math.min(99, (100 * decoded) / plan.expectedFrames));
      t = performance.now();
    }
    for (const ready of normalizer.flush()) await emit(ready);
    const t2 = performance.now();
    await encoder.finish();
    timings.encodeMs += performance.now() - t2;
  } catch (error) {
    encoder.abort();
    await rm(options.partialFile, { force: true });
    throw error;
  }

  const { size } = await stat(options.partialFile);
  return {
    partialFile: options.partialFile,
    width: plan.frameWidth,
    height: plan.frameHeight,
    fileSize: size,
    checksum: await sha256File(options.partialFile),
    processingParams: {
      depthKind: 'relative-disparity',
      source: 'video',
      video: { ...stackedLayout(plan), stats: histogramStats(histogram) },
      frames: timings.frames,
      normalization:
        mode === 'ema'
          ? { method: 'ema', ...TEMPORAL_NORMALIZATION, sceneCuts: normalizer.cuts }
          : { method: 'per-frame' },
      videoEncoding: DEPTH_VIDEO_ENCODING,
      estimator: estimator.describe(),
      estimateSize: [estimateWidth, estimateHeight],
    },
    timings,
  };
}

/** The frame at the estimator's size (as a photo would be: 518 px on its short edge). */
async function smaller(
  rgb: Buffer,
  width: number,
  height: number,
  toWidth: number,
  toHeight: number,
): Promise<RgbImage> {
  if (toWidth === width && toHeight === height)
    return { data: new Uint8Array(rgb.buffer, rgb.byteOffset, rgb.length), width, height };
  const data = await sharp(rgb, { raw: { width, height, channels: 3 } })
    .resize(toWidth, toHeight, { fit: 'fill' })
    .raw()
    .toBuffer();
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    width: toWidth,
    height: toHeight,
  };
}

/** 2nd, 50th and 98th percentiles (0…1) of a histogram of 8-bit samples. */
export function histogramStats(histogram: Float64Array): {
  low: number;
  reference: number;
  high: number;
} {
  const total = histogram.reduce((a, b) => a + b, 0);
  const at = (q: number) => {
    let seen = 0;
    for (let level = 0; level < histogram.length; level++) {
      seen += histogram[level] as number;
      if (seen >= q * total) return level / 255;
    }
    return 1;
  };
  return total > 0
    ? { low: at(0.02), reference: at(0.5), high: at(0.98) }
    : { low: 0, reference: 0.5, high: 1 };
}
