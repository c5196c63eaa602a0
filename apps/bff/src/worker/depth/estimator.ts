/** An upright (EXIF-applied) RGB image, 8 bits per channel, row-major. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/** Relative disparity (near = larger), one value per pixel; any scale and offset. */
export interface DisparityMap {
  data: Float32Array;
  width: number;
  height: number;
}

/**
 * A way of making depth from one image. Recorded with each depth map it makes, so a user can tell
 * which maps came from which model.
 */
export interface DepthEstimator {
  /** depth_map_cache.model_name */
  readonly modelName: string;
  /** depth_map_cache.model_version */
  readonly modelVersion: string;
  estimate(image: RgbImage, signal: AbortSignal): Promise<DisparityMap>;
  /** Extra facts for processing_params. */
  describe(): Record<string, unknown>;
  close?(): Promise<void>;
}
