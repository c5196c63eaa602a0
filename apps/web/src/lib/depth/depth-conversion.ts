import {
  type DisparityEncoding,
  disparityEncodingSchema,
  encodingForRange,
} from '@immichvr/shared';
import { DEPTH_PHOTO } from './depth-photo-config';

export interface DepthInterpretation {
  encoding: DisparityEncoding;
  /** True when the map says its depths are metric (the demo's ground truth); else a default range. */
  metric: boolean;
}

/**
 * How to read a map's samples as distances: the encoding recorded in its processing_params when
 * there is one (metric: the scene's own geometry, kept exactly), else the default range for
 * relative disparity with its far/near ratio limited, so an estimator's near-zero disparity (sky)
 * does not send geometry to infinity nor its largest one bring a surface into the viewer's face.
 */
export function interpretDepth(processingParams: unknown): DepthInterpretation {
  const recorded = disparityEncodingSchema.safeParse(
    (processingParams as { encoding?: unknown } | null)?.encoding,
  );
  const encoding = recorded.success
    ? recorded.data
    : encodingForRange(DEPTH_PHOTO.relativeDepth.nearMeters, DEPTH_PHOTO.relativeDepth.farMeters);
  if (recorded.success) return { encoding, metric: true };
  return { encoding: limitFarNear(encoding, DEPTH_PHOTO.maxFarNearRatio), metric: false };
}

/** Raises the far plane's disparity so that far/near ≤ ratio (near keeps its depth). */
export function limitFarNear(encoding: DisparityEncoding, ratio: number): DisparityEncoding {
  const nearDisparity = encoding.shift + encoding.scale;
  const minFarDisparity = nearDisparity / ratio;
  if (encoding.shift >= minFarDisparity) return encoding;
  return { ...encoding, shift: minFarDisparity, scale: nearDisparity - minFarDisparity };
}

/**
 * Metric depth per sample: z = 1 / (shift + scale · sample/65535), into a Float32Array (what a
 * float data texture or vertex buffer takes). A lookup of all 65536 values keeps it one read per pixel.
 */
export function samplesToDepth(samples: Uint16Array, encoding: DisparityEncoding): Float32Array {
  const table = new Float32Array(65536);
  for (let s = 0; s < 65536; s++) table[s] = 1 / (encoding.shift + (encoding.scale * s) / 65535);
  const depth = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) depth[i] = table[samples[i] as number] as number;
  return depth;
}
