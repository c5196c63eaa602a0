import { z } from 'zod';

/** Largest value of a 16-bit depth sample. */
export const DEPTH_SAMPLE_MAX = 65535;

/**
 * How a 16-bit depth map's samples map to metric depth, stored in
 * `depth_map_cache.processing_params.encoding`.
 *
 * Samples hold disparity (near = high). With `d = sample / 65535`:
 *   1 / zMeters = shift + scale · d
 * `zMeters` is the camera-space z (distance along the optical axis), not the ray length.
 */
export const disparityEncodingSchema = z.object({
  kind: z.literal('inverse-depth'),
  /** 1/m per unit of normalised disparity. */
  scale: z.number().positive(),
  /** 1/m at disparity 0 (the far plane). */
  shift: z.number().nonnegative(),
});
export type DisparityEncoding = z.infer<typeof disparityEncodingSchema>;

/** The encoding that spans [nearMeters, farMeters] over the full 16-bit range. */
export function encodingForRange(nearMeters: number, farMeters: number): DisparityEncoding {
  if (!(nearMeters > 0 && farMeters > nearMeters)) {
    throw new RangeError(`invalid depth range ${nearMeters}..${farMeters} m`);
  }
  return { kind: 'inverse-depth', shift: 1 / farMeters, scale: 1 / nearMeters - 1 / farMeters };
}

/** 16-bit disparity sample for a metric depth, clamped to the encoding's range. */
export function depthToSample(zMeters: number, encoding: DisparityEncoding): number {
  const d = (1 / zMeters - encoding.shift) / encoding.scale;
  return Math.min(DEPTH_SAMPLE_MAX, Math.max(0, Math.round(d * DEPTH_SAMPLE_MAX)));
}

/** Metric depth of a 16-bit disparity sample. */
export function sampleToDepth(sample: number, encoding: DisparityEncoding): number {
  return 1 / (encoding.shift + (encoding.scale * sample) / DEPTH_SAMPLE_MAX);
}
