import type { DisparityEncoding } from '@immichvr/shared';
import { DEPTH_VIEW } from './depth-view-config';

/**
 * Where a picture in depth stands, relative to the viewer's eye (x right, y up, looking down −z).
 *
 * At rest the picture is a flat rectangle at `distance`; every point of the depth surface lies on
 * the ray from the eye through its pixel on that rectangle, only nearer or farther. So from the eye
 * the surface covers exactly the rays of the flat picture — at any depth strength, size or
 * distance — and depth shows only as the eye moves. The shader (`depth-surface-material.ts`) does
 * the same arithmetic per vertex.
 */
export interface RestRect {
  /** Half the picture's width and height on its plane, metres. */
  halfWidth: number;
  halfHeight: number;
  /** The plane's distance from the eye, metres. */
  distance: number;
}

/** The field a picture may fill, as tangents of half its angles. */
export interface FitBox {
  halfTanX: number;
  halfTanY: number;
}

const radians = (degrees: number) => (degrees * Math.PI) / 180;

/** The headset's box: a fixed angular size, wherever the photo opens. */
export function vrFitBox(): FitBox {
  const { width, height } = DEPTH_VIEW.placement.vrFitDegrees;
  return { halfTanX: Math.tan(radians(width) / 2), halfTanY: Math.tan(radians(height) / 2) };
}

/** A screen's box: a share of the view of a camera with vertical field `fovYRadians`. */
export function screenFitBox(
  fovYRadians: number,
  viewAspect: number,
  fraction: number = DEPTH_VIEW.placement.screenFitFraction,
): FitBox {
  const halfTanY = Math.tan(fovYRadians / 2);
  return { halfTanX: halfTanY * viewAspect * fraction, halfTanY: halfTanY * fraction };
}

/**
 * The flat picture of aspect `pictureAspect` (width / height, as shown upright) fitted inside the
 * box and scaled by `sizeScale`, at `distance` from the eye.
 */
export function restRect(
  pictureAspect: number,
  box: FitBox,
  sizeScale: number,
  distance: number,
): RestRect {
  if (!(pictureAspect > 0 && sizeScale > 0 && distance > 0))
    throw new RangeError('a picture needs a positive aspect, size and distance');
  const halfTanX = Math.min(box.halfTanX, box.halfTanY * pictureAspect) * sizeScale;
  return {
    halfWidth: halfTanX * distance,
    halfHeight: (halfTanX / pictureAspect) * distance,
    distance,
  };
}

/** A depth map's disparities, as normalised samples (0 = farthest encodable … 1 = nearest). */
export interface DepthStats {
  /** The median: the depth the picture is "at", placed on the rest rectangle. */
  reference: number;
  /** 2nd and 98th percentiles: the range the comfort limit applies to. */
  low: number;
  high: number;
}

/** How a map's samples become distances from the eye (the depth surface's uniforms). */
export interface Relief {
  /** The map's own disparity: q = shift + scale · sample, 1/m (up to scale for relative maps). */
  shift: number;
  scale: number;
  /** q of the reference sample. */
  qReference: number;
  /**
   * Display disparity (1/m) per unit of relative disparity q/qReference − 1: displayed at
   * 1/distance + kappa · (q/qReference − 1).
   */
  kappa: number;
  /** Display disparities are kept within these (1/m): nothing too near the eye, nothing at infinity. */
  minDisparity: number;
  maxDisparity: number;
}

/**
 * The relief a map gets at `strength` (0…1). Strength 1 is the lesser of:
 * - the scene's own proportions: at the picture's angular size the scene is seen through a camera
 *   of another field of view (`cameraHalfTanX` = tan of half the photo's horizontal field), so its
 *   depth is scaled like its width;
 * - the comfort limit: the 2nd–98th percentile disparities move at most `maxParallaxDegrees` against
 *   the reference for a head movement of `headMoveMeters`.
 */
export function reliefFor(args: {
  encoding: DisparityEncoding;
  stats: DepthStats;
  cameraHalfTanX: number;
  rect: RestRect;
  strength: number;
}): Relief {
  const { encoding, stats, cameraHalfTanX, rect, strength } = args;
  const q = (sample: number) => encoding.shift + encoding.scale * sample;
  const qReference = q(stats.reference);
  const spread = Math.max(q(stats.high) / qReference - 1, 1 - q(stats.low) / qReference, 1e-6);
  const natural = rect.halfWidth / rect.distance / cameraHalfTanX / rect.distance;
  const { headMoveMeters, maxParallaxDegrees } = DEPTH_VIEW.comfort;
  const comfortable = radians(maxParallaxDegrees) / headMoveMeters / spread;
  const { nearestMeters, farthestFactor } = DEPTH_VIEW.displayLimits;
  return {
    shift: encoding.shift,
    scale: encoding.scale,
    qReference,
    kappa: Math.max(0, strength) * Math.min(natural, comfortable),
    minDisparity: 1 / (rect.distance * farthestFactor),
    maxDisparity: 1 / nearestMeters,
  };
}

/** Display disparity (1/m from the eye) of a sample, with the shape grown in by `mix` (0…1). */
export function displayDisparity(sample: number, rect: RestRect, relief: Relief, mix = 1): number {
  const relative = (relief.shift + relief.scale * sample) / relief.qReference - 1;
  const disparity = 1 / rect.distance + mix * relief.kappa * relative;
  return Math.min(relief.maxDisparity, Math.max(relief.minDisparity, disparity));
}

/**
 * The point of the depth surface for texture coordinate (u, v) (v = 0 at the bottom) and sample:
 * on the eye's ray through that point of the rest rectangle, at the display disparity.
 */
export function surfacePoint(
  u: number,
  v: number,
  sample: number,
  rect: RestRect,
  relief: Relief,
  mix = 1,
): [number, number, number] {
  const along = 1 / (rect.distance * displayDisparity(sample, rect, relief, mix));
  return [
    (2 * u - 1) * rect.halfWidth * along,
    (2 * v - 1) * rect.halfHeight * along,
    -rect.distance * along,
  ];
}

/** Where a point seen from the eye crosses the rest rectangle's plane: (u, v) on the picture. */
export function restPlaneUv(point: [number, number, number], rect: RestRect): [number, number] {
  const [x, y, z] = point;
  const t = rect.distance / -z;
  return [((x * t) / rect.halfWidth + 1) / 2, ((y * t) / rect.halfHeight + 1) / 2];
}
