import { type DisparityEncoding, encodingForRange } from '@immichvr/shared';
import { DEPTH_VIEW } from './depth-view-config';

export interface DepthInterpretation {
  encoding: DisparityEncoding;
  /** True when the map says its depths are metric (the demo's ground truth); else a default range. */
  metric: boolean;
}

/**
 * How to read a map's samples as disparities: the encoding it records (metric: the scene's own
 * geometry, kept exactly), else the default range for relative disparity with its far/near
 * limited, so an estimator's near-zero disparity (sky) is not at infinity.
 */
export function interpretDepth(recorded: DisparityEncoding | null): DepthInterpretation {
  if (recorded) return { encoding: recorded, metric: true };
  const { nearMeters, farMeters } = DEPTH_VIEW.relativeDepth;
  return {
    encoding: limitFarNear(encodingForRange(nearMeters, farMeters), DEPTH_VIEW.maxFarNearRatio),
    metric: false,
  };
}

/** Raises the far plane's disparity so that far/near ≤ ratio (near keeps its depth). */
export function limitFarNear(encoding: DisparityEncoding, ratio: number): DisparityEncoding {
  const nearDisparity = encoding.shift + encoding.scale;
  const minFarDisparity = nearDisparity / ratio;
  if (encoding.shift >= minFarDisparity) return encoding;
  return { ...encoding, shift: minFarDisparity, scale: nearDisparity - minFarDisparity };
}
