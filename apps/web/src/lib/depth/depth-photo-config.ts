/**
 * Every number that shapes how a depth photo looks and performs, in one place (the three.js WebXR
 * examples keep theirs together the same way). Units are in the names.
 */
export const DEPTH_PHOTO = {
  /** Where a photo opens: in front of the viewer at eye height, never moving the camera. */
  placement: { distanceMeters: 1.75, widthDegrees: 50 },
  /** 0 = flat … 1 = the depth map's own (metric-ish) relief. */
  depthStrength: { default: 1, min: 0, max: 1 },
  /** Field of view when the photo says nothing: a phone's main camera (26 mm full-frame equivalent). */
  defaultFocalLength35mm: 26,
  /** Depth range given to relative (non-metric) depth maps, and the limit on any map's far/near. */
  relativeDepth: { nearMeters: 1.2, farMeters: 6 },
  maxFarNearRatio: 12,
  /**
   * A triangle is cut when its corners' disparities differ by more than this fraction of the
   * largest (≈ a 6% jump in depth between neighbours a few pixels apart); the background layer fills
   * the cut from depth dilated this many grid cells from the far side.
   */
  edges: { relativeDisparityJump: 0.06, dilationCells: 3 },
  /** Quest 3 budget for the photo view. The background layer uses a grid twice as coarse. */
  budget: { maxTriangles: 300_000, foregroundTriangles: 240_000, maxDrawCalls: 20 },
  /** Fixed foveation while a photo is open (three.js defaults to maximum). */
  foveation: 0.33,
} as const;
