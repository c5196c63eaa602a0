import { createHash, randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DEPTH_SAMPLE_MAX } from '@immichvr/shared';
import sharp from 'sharp';
import { sharpSource } from '../../import/heif';
import { DEFAULT_MAX_IMAGE_PIXELS } from '../../import/image-limits';
import { exifFocalLength35mm } from '../../import/probe-photo';
import type { MadeDepthFile } from '../depth-result';
import type { DepthEstimator, DisparityMap, RgbImage } from './estimator';

/** Depth maps are at least this many pixels on their short edge (Depth Anything's 518). */
export const DEPTH_SHORT_EDGE = 518;

/** A photo's original (a video's depth is a depth video: worker/video/). */
export interface DepthSource {
  file: string;
  mimeType: string;
}

export interface MadeDepthMap extends MadeDepthFile {
  timings: { decodeMs: number; estimateMs: number; encodeMs: number };
}

export class DepthInputError extends Error {
  override name = 'DepthInputError';
  /**
   * @param permanent trying again cannot help (a format or file that cannot be decoded): the job
   *   fails at once instead of backing off through its attempts.
   */
  constructor(
    message: string,
    readonly permanent = false,
  ) {
    super(message);
  }
}

/**
 * One depth map for a photo: decoded upright (EXIF applied), scaled so its
 * short edge is 518 px with the photo's aspect, estimated, normalised per image to the full 16-bit
 * range (near = 65535) and encoded as a grey PNG. The normalisation is recorded so the raw
 * disparity can be recovered: raw = rawMin + (sample / 65535) · (rawMax − rawMin).
 */
export async function makeDepthMap(
  source: DepthSource,
  estimator: DepthEstimator,
  options: { tmpDir: string; signal: AbortSignal },
): Promise<MadeDepthMap> {
  const t0 = performance.now();
  const image = await decodeUpright(source);
  const t1 = performance.now();
  options.signal.throwIfAborted();
  const estimated = await estimator.estimate(image, options.signal);
  options.signal.throwIfAborted();
  const disparity = resizeBilinear(estimated, image.width, image.height);
  const t2 = performance.now();

  let rawMin = Number.POSITIVE_INFINITY;
  let rawMax = Number.NEGATIVE_INFINITY;
  for (const v of disparity.data) {
    if (!Number.isFinite(v)) continue;
    if (v < rawMin) rawMin = v;
    if (v > rawMax) rawMax = v;
  }
  if (!Number.isFinite(rawMin)) throw new Error('the estimator returned no finite values');
  const span = rawMax - rawMin;
  const samples = new Uint16Array(disparity.data.length);
  for (let i = 0; i < samples.length; i++) {
    const v = disparity.data[i] as number;
    samples[i] =
      span > 0 && Number.isFinite(v) ? Math.round(((v - rawMin) / span) * DEPTH_SAMPLE_MAX) : 0;
  }
  // A Uint16Array (not a Buffer view of it) is what sharp reads as 16-bit samples.
  const png = await sharp(samples, {
    raw: { width: image.width, height: image.height, channels: 1 },
  })
    .toColourspace('grey16')
    .png({ compressionLevel: 6 })
    .toBuffer();
  await mkdir(options.tmpDir, { recursive: true });
  const partialFile = path.join(options.tmpDir, `depth-${randomUUID()}.png`);
  // A write that fails half-way (a full disk) leaves nothing behind.
  await writeFile(partialFile, png).catch(async (error: Error) => {
    await rm(partialFile, { force: true });
    throw error;
  });
  const t3 = performance.now();
  return {
    partialFile,
    width: image.width,
    height: image.height,
    fileSize: png.length,
    checksum: createHash('sha256').update(png).digest('hex'),
    processingParams: {
      depthKind: 'relative-disparity',
      normalization: { rawMin, rawMax },
      source: 'photo',
      // The viewer unprojects with it (GET /api/media/:id → depthMap.focalLength35mm).
      ...(image.focalLength35mm ? { focalLength35mm: image.focalLength35mm } : {}),
      estimator: estimator.describe(),
    },
    timings: { decodeMs: t1 - t0, estimateMs: t2 - t1, encodeMs: t3 - t2 },
  };
}

async function decodeUpright(
  source: DepthSource,
): Promise<RgbImage & { focalLength35mm: number | null }> {
  try {
    const from = await sharpSource(source.file, source.mimeType, DEFAULT_MAX_IMAGE_PIXELS);
    const input = from.input;
    const limits = {
      failOn: 'error' as const,
      limitInputPixels: DEFAULT_MAX_IMAGE_PIXELS,
      ...(from.raw ? { raw: from.raw } : {}),
    };
    const upright = sharp(input, limits).autoOrient();
    const meta = await upright.metadata();
    const width0 = meta.autoOrient?.width ?? meta.width;
    const height0 = meta.autoOrient?.height ?? meta.height;
    if (!width0 || !height0) throw new Error('no image size');
    const scale = DEPTH_SHORT_EDGE / Math.min(width0, height0);
    const width = Math.max(1, Math.round(width0 * scale));
    const height = Math.max(1, Math.round(height0 * scale));
    const { data } = await sharp(input, limits)
      .autoOrient()
      .resize(width, height, { fit: 'fill' })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
      width,
      height,
      focalLength35mm: exifFocalLength35mm(from.exif ?? meta.exif),
    };
  } catch (error) {
    const message = (error as Error).message.replaceAll(source.file, 'the original');
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new DepthInputError('the original file is missing');
    throw new DepthInputError(`the original could not be decoded: ${message}`, true);
  }
}

/** Resamples a disparity map to width×height (bilinear); returns it as is when sizes match. */
export function resizeBilinear(map: DisparityMap, width: number, height: number): DisparityMap {
  if (map.width === width && map.height === height) return map;
  const src = map.data;
  const out = new Float32Array(width * height);
  // Each output column's two source columns and weight, computed once for all rows.
  const x0s = new Int32Array(width);
  const x1s = new Int32Array(width);
  const fxs = new Float32Array(width);
  for (let x = 0; x < width; x++) {
    const sx = Math.min(map.width - 1, Math.max(0, ((x + 0.5) * map.width) / width - 0.5));
    const x0 = Math.floor(sx);
    x0s[x] = x0;
    x1s[x] = Math.min(map.width - 1, x0 + 1);
    fxs[x] = sx - x0;
  }
  for (let y = 0; y < height; y++) {
    const sy = Math.min(map.height - 1, Math.max(0, ((y + 0.5) * map.height) / height - 0.5));
    const y0 = Math.floor(sy);
    const fy = sy - y0;
    const row0 = y0 * map.width;
    const row1 = Math.min(map.height - 1, y0 + 1) * map.width;
    const o = y * width;
    for (let x = 0; x < width; x++) {
      const fx = fxs[x] as number;
      const a = x0s[x] as number;
      const b = x1s[x] as number;
      const top = (src[row0 + a] as number) * (1 - fx) + (src[row0 + b] as number) * fx;
      const bottom = (src[row1 + a] as number) * (1 - fx) + (src[row1 + b] as number) * fx;
      out[o + x] = top * (1 - fy) + bottom * fy;
    }
  }
  return { data: out, width, height };
}
