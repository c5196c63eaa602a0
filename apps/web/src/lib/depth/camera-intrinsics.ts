import { DEPTH_VIEW } from './depth-view-config';

/** Diagonal of the 36×24 mm full frame, in mm: what a 35 mm-equivalent focal length refers to. */
const FULL_FRAME_DIAGONAL_MM = Math.hypot(36, 24);

/** What a depth map's item tells of the camera that took the picture. */
export interface CameraFacts {
  /** Focal length in pixels of an image `sourceWidth` wide (the depth map's own when absent). */
  focalLengthPixels?: number | null;
  sourceWidth?: number | null;
  /** 35 mm-equivalent focal length (EXIF). */
  focalLength35mm?: number | null;
}

/**
 * Focal length in pixels for an image of width×height: from the recorded focal length in pixels
 * (rescaled to this size), else the 35 mm-equivalent focal length, else a phone's main camera.
 */
export function focalPixelsFor(width: number, height: number, known: CameraFacts): number {
  if (known.focalLengthPixels && known.focalLengthPixels > 0)
    return known.focalLengthPixels * (known.sourceWidth ? width / known.sourceWidth : 1);
  const f35 =
    known.focalLength35mm && known.focalLength35mm > 0
      ? known.focalLength35mm
      : DEPTH_VIEW.defaultFocalLength35mm;
  return (f35 / FULL_FRAME_DIAGONAL_MM) * Math.hypot(width, height);
}

/** tan of half the camera's horizontal field of view. */
export function cameraHalfTanX(width: number, height: number, known: CameraFacts): number {
  return width / 2 / focalPixelsFor(width, height, known);
}
