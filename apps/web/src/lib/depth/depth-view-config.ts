/**
 * Every number that shapes how a photo or video looks in depth, in one place (the three.js WebXR
 * examples keep theirs together the same way). Units are in the names.
 */
export const DEPTH_VIEW = {
  placement: {
    /** Where the picture's reference depth sits in front of the eye. */
    distanceMeters: 1.75,
    minDistanceMeters: 1,
    maxDistanceMeters: 3,
    /** In the headset a picture fits a box of this many degrees (landscape ~56° wide). */
    vrFitDegrees: { width: 56, height: 42 },
    /** On a screen a picture fills this much of the view's width or height, whichever it reaches first. */
    screenFitFraction: 0.9,
    sizeScale: { default: 1, min: 0.5, max: 1.5 },
  },
  /**
   * 0 = flat … 1 = the most relief allowed: the scene's own proportions for the picture's field of
   * view, or less where that would move things more than `comfort` allows.
   */
  depthStrength: { default: 0.6, min: 0, max: 1 },
  /**
   * At depth strength 1, a head (or pointer) movement of `headMoveMeters` sideways moves the
   * nearest or farthest part of the picture at most `maxParallaxDegrees` against its reference
   * depth (measured on the 2nd–98th percentile of its disparities).
   */
  comfort: { headMoveMeters: 0.1, maxParallaxDegrees: 3 },
  /** Nothing comes nearer the eye than this, nor goes farther than `farthestFactor` × the distance. */
  displayLimits: { nearestMeters: 0.35, farthestFactor: 8 },
  /** Field of view when the photo says nothing: a phone's main camera (26 mm full-frame equivalent). */
  defaultFocalLength35mm: 26,
  /** Depth range given to relative (non-metric) depth maps, and the limit on their far/near. */
  relativeDepth: { nearMeters: 1.2, farMeters: 6 },
  maxFarNearRatio: 12,
  /**
   * Depth edges. A vertex stands on the far side of an occluding edge when a point within one cell
   * (looked at every half cell) is nearer by more than `relativeJump` of that point's disparity and
   * by `stepContrast` times the step the other way (planes at grazing angles have even steps; an
   * occlusion one outsized step). It then takes the near side's depth at the edge, and the surface
   * cuts the far side's pixels per fragment (at the depth map's resolution, antialiased with four
   * samples a pixel). The background layer behind shows them: each of its cells on the near side
   * of an edge takes the depth and colour of the next layer behind, spread as far as the gap
   * between the two opens when the eye moves `revealMeters` sideways (at most 15 of its cells).
   */
  edges: { relativeJump: 0.03, stepContrast: 2, revealMeters: 0.2 },
  /** The background layer sits this fraction farther than it measures, so it never fights the surface. */
  backgroundPushBack: 0.006,
  /**
   * Grid cells along the picture's long side: the surface (its background layer has half as many),
   * and the coarse one drawn first while the full grid is prepared.
   */
  mesh: { cellsLongSide: 192, coarseCellsLongSide: 48, backgroundCellFactor: 2 },
  /** Quest 3 budget for the photo view. */
  budget: { maxTriangles: 300_000, maxDrawCalls: 20 },
  /** Seconds for the 3D shape to grow in (or flatten, when a newer depth map replaces it). */
  blendSeconds: 0.6,
  /** Fixed foveation while a photo is open (three.js defaults to maximum). */
  foveation: 0.33,
} as const;
