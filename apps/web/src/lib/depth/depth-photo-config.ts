/**
 * Every number that shapes how a depth photo looks and performs, in one place (the three.js WebXR
 * examples keep theirs together the same way). Units are in the names.
 */
export const DEPTH_PHOTO = {
  /** Where a photo opens: in front of the viewer at eye height, never moving the camera. */
  placement: { distanceMeters: 1.75, minDistanceMeters: 1, maxDistanceMeters: 3, widthDegrees: 50 },
  /** 0 = flat … 1 = the depth map's own (metric-ish) relief. */
  depthStrength: { default: 1, min: 0, max: 1 },
  /** Field of view when the photo says nothing: a phone's main camera (26 mm full-frame equivalent). */
  defaultFocalLength35mm: 26,
  /** Depth range given to relative (non-metric) depth maps, and the limit on their far/near. */
  relativeDepth: { nearMeters: 1.2, farMeters: 6 },
  maxFarNearRatio: 12,
  /**
   * Depth edges: a link between neighbouring mesh vertices is cut when its disparity step is more
   * than `relativeDisparityJump` of the nearer side's disparity and `stepContrast` times the steps
   * beside it (planes at grazing angles have even steps; occluding edges one outsized step). The
   * background layer fills cuts from depth dilated `dilationCells` cells from the far side.
   */
  edges: { relativeDisparityJump: 0.03, stepContrast: 2, dilationCells: 3 },
  /** Quest 3 budget for the photo view. The background layer uses a grid twice as coarse. */
  budget: { maxTriangles: 300_000, foregroundTriangles: 240_000, maxDrawCalls: 20 },
  /** Fixed foveation while a photo is open (three.js defaults to maximum). */
  foveation: 0.33,
} as const;
