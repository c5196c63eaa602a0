import type { DisparityEncoding } from '@immichvr/shared';

/** What the demo generator wrote, kept beside the ground truth as manifest.json. */
export interface DemoManifest {
  version: 1;
  seed: number;
  photos: DemoManifestPhoto[];
  videos: DemoManifestVideo[];
}

export interface DemoGroundTruth {
  /** Depth map path relative to the ground-truth folder (16-bit grey PNG of disparity). */
  depthFile: string;
  /** Surface id map (8-bit grey PNG, 0 = sky) relative to the ground-truth folder. */
  surfaceIdsFile: string;
  width: number;
  height: number;
  encoding: DisparityEncoding;
  focalLength35mm: number;
  /** Focal length in depth-map pixels. */
  focalLengthPixels: number;
}

export interface DemoManifestPhoto extends DemoGroundTruth {
  /** Media path relative to the media folder. */
  mediaFile: string;
  orientation: number;
  capturedAt: string;
}

export interface DemoManifestVideo {
  mediaFile: string;
  capturedAt: string;
  framesPerSecond: number;
  frameCount: number;
  /** Ground truth of each frame, in order; one encoding for the whole clip. */
  frames: DemoGroundTruth[];
}

export const MANIFEST_FILE = 'manifest.json';
