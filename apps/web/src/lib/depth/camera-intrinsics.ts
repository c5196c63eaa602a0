import { DEPTH_PHOTO } from './depth-photo-config';

/** Diagonal of the 36×24 mm full frame, in mm: what a 35 mm-equivalent focal length refers to. */
const FULL_FRAME_DIAGONAL_MM = Math.hypot(36, 24);

/** A pinhole camera for an image of width×height pixels (square pixels, centred principal point). */
export interface Intrinsics {
  width: number;
  height: number;
  focalPixels: number;
}

/**
 * The camera of a depth map: from focal length in pixels when the map records it (for the image it
 * was made for, rescaled to the map's size), else the 35 mm-equivalent focal length (EXIF), else
 * the default. Keeps straight walls straight when the map is unprojected.
 */
export function intrinsicsFor(
  width: number,
  height: number,
  known: {
    focalLengthPixels?: number | null;
    sourceWidth?: number | null;
    focalLength35mm?: number | null;
  },
): Intrinsics {
  if (known.focalLengthPixels && known.focalLengthPixels > 0) {
    const scale = known.sourceWidth ? width / known.sourceWidth : 1;
    return { width, height, focalPixels: known.focalLengthPixels * scale };
  }
  const f35 =
    known.focalLength35mm && known.focalLength35mm > 0
      ? known.focalLength35mm
      : DEPTH_PHOTO.defaultFocalLength35mm;
  return { width, height, focalPixels: (f35 / FULL_FRAME_DIAGONAL_MM) * Math.hypot(width, height) };
}

/** Horizontal field of view in radians. */
export function horizontalFovRadians(k: Intrinsics): number {
  return 2 * Math.atan(k.width / 2 / k.focalPixels);
}

/**
 * Camera-space point (metres; x right, y up, looking down −z) of the centre of pixel (px, py) at
 * depth z (along the optical axis).
 */
export function unproject(
  k: Intrinsics,
  px: number,
  py: number,
  zMeters: number,
): [number, number, number] {
  const x = ((px + 0.5 - k.width / 2) / k.focalPixels) * zMeters;
  const y = -((py + 0.5 - k.height / 2) / k.focalPixels) * zMeters;
  return [x, y, -zMeters];
}
