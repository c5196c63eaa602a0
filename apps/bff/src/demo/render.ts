import { type Camera, focalLengthPixels, type Primitive, type Scene, type Vec3 } from './scene';

export interface RenderedView {
  width: number;
  height: number;
  /** sRGB, 3 bytes per pixel, rows top to bottom. */
  rgb: Uint8Array;
  /** Camera-space depth in metres (distance along the optical axis) per pixel. */
  depthMeters: Float32Array;
  /** Which primitive each pixel shows (index + 1; 0 = sky): marks the true occlusion edges. */
  surfaceIds: Uint8Array;
}

const NO_HIT = Number.POSITIVE_INFINITY;
/** Scratch output of shadow rays (only whether something was hit matters). */
const SHADOW_HIT = { index: -1 };
/** Offset along the normal when casting shadow rays, so a surface does not shadow itself. */
const SHADOW_EPSILON = 1e-4;

/**
 * Ray-casts a scene: one ray through each pixel centre, no anti-aliasing, so colour and depth
 * describe exactly the same surface point. Rays are not normalised: their camera-space z component
 * is 1, which makes the hit parameter t equal to the camera-space depth.
 */
export function renderView(
  scene: Scene,
  camera: Camera,
  width: number,
  height: number,
): RenderedView {
  const rgb = new Uint8Array(width * height * 3);
  const depthMeters = new Float32Array(width * height);
  const surfaceIds = new Uint8Array(width * height);
  const f = focalLengthPixels(camera, width, height);
  const [ox, oy, oz] = camera.position;
  const cy = Math.cos(camera.yawRadians);
  const sy = Math.sin(camera.yawRadians);
  const cp = Math.cos(camera.pitchRadians);
  const sp = Math.sin(camera.pitchRadians);
  const shapes = compile(scene.primitives);
  const hit = { index: -1 };
  const color: [number, number, number] = [0, 0, 0];

  for (let j = 0; j < height; j++) {
    const yc = -(j + 0.5 - height / 2) / f;
    for (let i = 0; i < width; i++) {
      const xc = (i + 0.5 - width / 2) / f;
      // Camera → world: pitch about x, then yaw about y. Camera looks along -z.
      const y1 = yc * cp + sp;
      const z1 = yc * sp - cp;
      const dx = xc * cy + z1 * sy;
      const dy = y1;
      const dz = -xc * sy + z1 * cy;

      // The sky dome, a sphere of the sky's radius around the camera, hides anything beyond it.
      const length = Math.sqrt(dx * dx + dy * dy + dz * dz);
      const skyT = scene.sky.distanceMeters / length;
      const t = closestHit(shapes, ox, oy, oz, dx, dy, dz, skyT, hit);
      const pixel = j * width + i;
      if (hit.index < 0) {
        skyColor(scene, dy / length, color);
      } else {
        shade(
          scene,
          shapes,
          hit.index,
          ox + dx * t,
          oy + dy * t,
          oz + dz * t,
          dx,
          dy,
          dz,
          t,
          color,
        );
      }
      depthMeters[pixel] = t;
      surfaceIds[pixel] = hit.index + 1;
      rgb[pixel * 3] = toSrgbByte(color[0]);
      rgb[pixel * 3 + 1] = toSrgbByte(color[1]);
      rgb[pixel * 3 + 2] = toSrgbByte(color[2]);
    }
  }
  return { width, height, rgb, depthMeters, surfaceIds };
}

const SPHERE = 0;
const PLANE = 1;
const BOX = 2;

/**
 * A primitive flattened into one object shape with numeric fields only, so the hot loop stays
 * monomorphic (several times faster than switching over differently shaped objects).
 */
class Shape {
  kind = SPHERE;
  cx = 0;
  cy = 0;
  cz = 0;
  radius2 = 0;
  hx = 0;
  hy = 0;
  hz = 0;
  cos = 1;
  sin = 0;
  nx = 0;
  ny = 0;
  nz = 0;
  offset = 0;
}

function compile(primitives: readonly Primitive[]): Shape[] {
  return primitives.map((p) => {
    const shape = new Shape();
    if (p.kind === 'sphere') {
      shape.kind = SPHERE;
      [shape.cx, shape.cy, shape.cz] = p.center;
      shape.radius2 = p.radius * p.radius;
    } else if (p.kind === 'plane') {
      shape.kind = PLANE;
      [shape.nx, shape.ny, shape.nz] = p.normal;
      shape.offset = p.offset;
    } else {
      shape.kind = BOX;
      [shape.cx, shape.cy, shape.cz] = p.center;
      [shape.hx, shape.hy, shape.hz] = p.halfSize;
      shape.cos = Math.cos(p.yawRadians);
      shape.sin = Math.sin(p.yawRadians);
    }
    return shape;
  });
}

function closestHit(
  shapes: readonly Shape[],
  ox: number,
  oy: number,
  oz: number,
  dx: number,
  dy: number,
  dz: number,
  tMax: number,
  out: { index: number },
): number {
  let best = tMax;
  out.index = -1;
  for (let k = 0; k < shapes.length; k++) {
    const t = intersect(shapes[k] as Shape, ox, oy, oz, dx, dy, dz);
    if (t < best) {
      best = t;
      out.index = k;
    }
  }
  return best;
}

function intersect(
  p: Shape,
  ox: number,
  oy: number,
  oz: number,
  dx: number,
  dy: number,
  dz: number,
): number {
  if (p.kind === SPHERE) {
    const lx = ox - p.cx;
    const ly = oy - p.cy;
    const lz = oz - p.cz;
    const a = dx * dx + dy * dy + dz * dz;
    const b = lx * dx + ly * dy + lz * dz;
    const c = lx * lx + ly * ly + lz * lz - p.radius2;
    const disc = b * b - a * c;
    if (disc < 0) return NO_HIT;
    const s = Math.sqrt(disc);
    const t0 = (-b - s) / a;
    if (t0 > 0) return t0;
    const t1 = (-b + s) / a;
    return t1 > 0 ? t1 : NO_HIT;
  }
  if (p.kind === PLANE) {
    const denom = p.nx * dx + p.ny * dy + p.nz * dz;
    if (denom >= 0) return NO_HIT; // seen from behind or edge-on
    const t = (p.offset - (p.nx * ox + p.ny * oy + p.nz * oz)) / denom;
    return t > 0 ? t : NO_HIT;
  }
  // Box: into its frame (translate, undo the yaw), then the slab test on each axis.
  const px = ox - p.cx;
  const pz = oz - p.cz;
  const lox = p.cos * px - p.sin * pz;
  const loy = oy - p.cy;
  const loz = p.sin * px + p.cos * pz;
  const ldx = p.cos * dx - p.sin * dz;
  const ldz = p.sin * dx + p.cos * dz;
  let near = Number.NEGATIVE_INFINITY;
  let far = Number.POSITIVE_INFINITY;
  if (Math.abs(ldx) < 1e-12) {
    if (lox < -p.hx || lox > p.hx) return NO_HIT;
  } else {
    const t1 = (-p.hx - lox) / ldx;
    const t2 = (p.hx - lox) / ldx;
    near = Math.max(near, Math.min(t1, t2));
    far = Math.min(far, Math.max(t1, t2));
  }
  if (Math.abs(dy) < 1e-12) {
    if (loy < -p.hy || loy > p.hy) return NO_HIT;
  } else {
    const t1 = (-p.hy - loy) / dy;
    const t2 = (p.hy - loy) / dy;
    near = Math.max(near, Math.min(t1, t2));
    far = Math.min(far, Math.max(t1, t2));
  }
  if (Math.abs(ldz) < 1e-12) {
    if (loz < -p.hz || loz > p.hz) return NO_HIT;
  } else {
    const t1 = (-p.hz - loz) / ldz;
    const t2 = (p.hz - loz) / ldz;
    near = Math.max(near, Math.min(t1, t2));
    far = Math.min(far, Math.max(t1, t2));
  }
  if (near > far) return NO_HIT;
  if (near > 0) return near;
  return far > 0 ? far : NO_HIT;
}

function normalAt(p: Primitive, x: number, y: number, z: number): Vec3 {
  switch (p.kind) {
    case 'sphere':
      return [
        (x - p.center[0]) / p.radius,
        (y - p.center[1]) / p.radius,
        (z - p.center[2]) / p.radius,
      ];
    case 'plane':
      return p.normal;
    case 'box': {
      const c = Math.cos(p.yawRadians);
      const s = Math.sin(p.yawRadians);
      const px = x - p.center[0];
      const pz = z - p.center[2];
      const local = [c * px - s * pz, y - p.center[1], s * px + c * pz];
      // The face whose plane the point is closest to, relative to the half size.
      let axis = 0;
      let best = -1;
      for (let a = 0; a < 3; a++) {
        const r = Math.abs(local[a] as number) / (p.halfSize[a] as number);
        if (r > best) {
          best = r;
          axis = a;
        }
      }
      const sign = Math.sign(local[axis] as number) || 1;
      const ln: [number, number, number] = [0, 0, 0];
      ln[axis] = sign;
      // Back to world: apply the yaw.
      return [c * ln[0] + s * ln[2], ln[1], -s * ln[0] + c * ln[2]];
    }
  }
}

function patternFactor(p: Primitive, x: number, y: number, z: number): number {
  const pattern = p.material.pattern;
  switch (pattern.kind) {
    case 'solid':
      return 1;
    case 'checker': {
      const k =
        Math.floor(x / pattern.sizeMeters) +
        Math.floor(y / pattern.sizeMeters) +
        Math.floor(z / pattern.sizeMeters);
      return (k & 1) === 0 ? 1 : 1 - pattern.contrast;
    }
    case 'stripes': {
      const v = pattern.axis === 0 ? x : pattern.axis === 1 ? y : z;
      return (Math.floor(v / pattern.sizeMeters) & 1) === 0 ? 1 : 1 - pattern.contrast;
    }
  }
}

function shade(
  scene: Scene,
  shapes: readonly Shape[],
  index: number,
  x: number,
  y: number,
  z: number,
  dx: number,
  dy: number,
  dz: number,
  t: number,
  out: [number, number, number],
): void {
  const p = scene.primitives[index] as Primitive;
  let [nx, ny, nz] = normalAt(p, x, y, z);
  // Light the side facing the viewer (planes and boxes seen from inside).
  if (nx * dx + ny * dy + nz * dz > 0) {
    nx = -nx;
    ny = -ny;
    nz = -nz;
  }
  const [sx, sy, sz] = scene.sunDirection;
  let sun = Math.max(0, nx * sx + ny * sy + nz * sz);
  if (sun > 0) {
    const blocked = closestHit(
      shapes,
      x + nx * SHADOW_EPSILON,
      y + ny * SHADOW_EPSILON,
      z + nz * SHADOW_EPSILON,
      sx,
      sy,
      sz,
      NO_HIT,
      SHADOW_HIT,
    );
    if (blocked !== NO_HIT) sun = 0;
  }
  const f = patternFactor(p, x, y, z);
  const [r, g, b] = p.material.color;
  // Sky light from above is a little stronger than from below.
  const skyLight = 0.75 + 0.25 * ny;
  out[0] = r * f * (scene.ambient[0] * skyLight + scene.sunColor[0] * sun);
  out[1] = g * f * (scene.ambient[1] * skyLight + scene.sunColor[1] * sun);
  out[2] = b * f * (scene.ambient[2] * skyLight + scene.sunColor[2] * sun);
  if (scene.hazeMeters > 0) {
    const distance = t * Math.sqrt(dx * dx + dy * dy + dz * dz);
    const haze = 1 - Math.exp(-distance / scene.hazeMeters);
    const [hr, hg, hb] = scene.sky.horizon;
    out[0] += (hr - out[0]) * haze;
    out[1] += (hg - out[1]) * haze;
    out[2] += (hb - out[2]) * haze;
  }
}

function skyColor(scene: Scene, up: number, out: [number, number, number]): void {
  const k = Math.sqrt(Math.max(0, Math.min(1, up)));
  const { horizon, zenith } = scene.sky;
  out[0] = horizon[0] + (zenith[0] - horizon[0]) * k;
  out[1] = horizon[1] + (zenith[1] - horizon[1]) * k;
  out[2] = horizon[2] + (zenith[2] - horizon[2]) * k;
}

/** Linear → sRGB byte, tabulated: 4096 steps are finer than the 256 output levels need. */
const SRGB_STEPS = 4096;
const SRGB_TABLE = Uint8Array.from({ length: SRGB_STEPS + 1 }, (_, i) => {
  const c = i / SRGB_STEPS;
  const s = c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055;
  return Math.round(s * 255);
});

function toSrgbByte(linear: number): number {
  const c = Math.min(1, Math.max(0, linear));
  return SRGB_TABLE[Math.round(c * SRGB_STEPS)] as number;
}
