import type { DepthVideo, DisparityEncoding } from '@immichvr/shared';

/** What the demo generator wrote, kept beside the ground truth as manifest.json. */
export interface DemoManifest {
  /** 2: videos carry their frame code and a depth video. */
  version: typeof DEMO_MANIFEST_VERSION;
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
  /** The exact depth as a depth video (relative to the ground-truth folder), frame for frame. */
  depthVideo: { file: string; width: number; height: number; video: DepthVideo };
}

export const DEMO_MANIFEST_VERSION = 2;

export const MANIFEST_FILE = 'manifest.json';
