/**
 * Procedural scenes for the demo library: a handful of analytic primitives that a ray caster can
 * render to colour and exact depth. World units are metres, y is up, a camera looks along -z.
 */
export type Vec3 = readonly [number, number, number];

export type Pattern =
  | { kind: 'solid' }
  | { kind: 'checker'; sizeMeters: number; contrast: number }
  | { kind: 'stripes'; sizeMeters: number; axis: 0 | 1 | 2; contrast: number };

export interface Material {
  /** Linear RGB albedo in [0, 1]. */
  color: Vec3;
  pattern: Pattern;
}

export type Primitive =
  | { kind: 'sphere'; center: Vec3; radius: number; material: Material }
  /** A box rotated about the vertical axis by `yawRadians` around its centre. */
  | { kind: 'box'; center: Vec3; halfSize: Vec3; yawRadians: number; material: Material }
  /** The infinite plane n·p = offset (n unit length), seen from the side n points to. */
  | { kind: 'plane'; normal: Vec3; offset: number; material: Material };

export interface Camera {
  position: Vec3;
  /** Rotation about +y; 0 looks along -z. */
  yawRadians: number;
  /** Rotation about the camera's x axis; positive looks up. */
  pitchRadians: number;
  /** Focal length as a 35 mm-equivalent (on the 43.27 mm full-frame diagonal), as EXIF records it. */
  focalLength35mm: number;
}

export interface Sky {
  horizon: Vec3;
  zenith: Vec3;
  /** Distance of the sky dome from the camera. */
  distanceMeters: number;
}

export interface Scene {
  primitives: Primitive[];
  /** Unit vector towards the sun. */
  sunDirection: Vec3;
  sunColor: Vec3;
  ambient: Vec3;
  sky: Sky;
  /** Distance at which haze reaches 63 % (0 = no haze). */
  hazeMeters: number;
}

/** Diagonal of a 36 × 24 mm frame: the reference for 35 mm-equivalent focal lengths. */
export const FULL_FRAME_DIAGONAL_MM = Math.hypot(36, 24);

/** Focal length in pixels of a camera rendering a width × height image. */
export function focalLengthPixels(camera: Camera, width: number, height: number): number {
  return (Math.hypot(width, height) * camera.focalLength35mm) / FULL_FRAME_DIAGONAL_MM;
}
