import { type Camera, focalLengthPixels, type Primitive, type Scene } from './scene';

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
/** Pixels per side of the tiles whose rays are tested against the same few shapes. */
const TILE = 16;
/** Slack (radians) added to a tile's cone, so rounding can never drop a shape a ray does hit. */
const CONE_SLACK = 1e-3;

type Vec3Out = [number, number, number];
/** Scratch normal of the pixel being shaded. */
const NORMAL: Vec3Out = [0, 0, 0];
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
  // Camera → world: pitch about x, then yaw about y. Camera looks along -z.
  const direction = (xc: number, yc: number, out: Vec3Out) => {
    const y1 = yc * cp + sp;
    const z1 = yc * sp - cp;
    out[0] = xc * cy + z1 * sy;
    out[1] = y1;
    out[2] = -xc * sy + z1 * cy;
  };
  const ray: Vec3Out = [0, 0, 0];
  const corner: Vec3Out = [0, 0, 0];

  for (let tj = 0; tj < height; tj += TILE) {
    const jEnd = Math.min(height, tj + TILE);
    for (let ti = 0; ti < width; ti += TILE) {
      const iEnd = Math.min(width, ti + TILE);
      // Only the shapes a ray of this tile can reach are tested: exactly the same hits, fewer tests.
      const xcOf = (i: number) => (i + 0.5 - width / 2) / f;
      const ycOf = (j: number) => -(j + 0.5 - height / 2) / f;
      direction((xcOf(ti) + xcOf(iEnd - 1)) / 2, (ycOf(tj) + ycOf(jEnd - 1)) / 2, ray);
      normalise(ray);
      let cosHalf = 1;
      for (const [i, j] of [
        [ti, tj],
        [iEnd - 1, tj],
        [ti, jEnd - 1],
        [iEnd - 1, jEnd - 1],
      ] as const) {
        direction(xcOf(i), ycOf(j), corner);
        normalise(corner);
        cosHalf = Math.min(cosHalf, ray[0] * corner[0] + ray[1] * corner[1] + ray[2] * corner[2]);
      }
      const tileShapes = shapesInCone(shapes, ox, oy, oz, ray, Math.acos(Math.min(1, cosHalf)));

      for (let j = tj; j < jEnd; j++) {
        const yc = ycOf(j);
        for (let i = ti; i < iEnd; i++) {
          direction(xcOf(i), yc, ray);
          const dx = ray[0];
          const dy = ray[1];
          const dz = ray[2];

          // The sky dome, a sphere of the sky's radius around the camera, hides anything beyond it.
          const length = Math.sqrt(dx * dx + dy * dy + dz * dz);
          const skyT = scene.sky.distanceMeters / length;
          const t = closestHit(tileShapes, ox, oy, oz, dx, dy, dz, skyT, hit);
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
    }
  }
  return { width, height, rgb, depthMeters, surfaceIds };
}

const SPHERE = 0;
const PLANE = 1;
const BOX = 2;
const SOLID = 0;
const CHECKER = 1;
const STRIPES = 2;

/**
 * A primitive flattened into one object shape with numeric fields only, so the hot loop stays
 * monomorphic (several times faster than switching over differently shaped objects).
 */
class Shape {
  /** Index in the scene's primitives (what a hit reports). */
  index = 0;
  kind = SPHERE;
  cx = 0;
  cy = 0;
  cz = 0;
  radius2 = 0;
  hx = 0;
  hy = 0;
  hz = 0;
  radius = 0;
  /** A sphere holding the whole shape (spheres, boxes); planes have none. */
  boundRadius = 0;
  /** Material: linear albedo and pattern (SOLID, CHECKER, STRIPES), flattened too. */
  r = 0;
  g = 0;
  b = 0;
  pattern = SOLID;
  patternSize = 1;
  patternContrast = 0;
  patternAxis = 0;
  cos = 1;
  sin = 0;
  nx = 0;
  ny = 0;
  nz = 0;
  offset = 0;
}

function compile(primitives: readonly Primitive[]): Shape[] {
  return primitives.map((p, index) => {
    const shape = new Shape();
    shape.index = index;
    [shape.r, shape.g, shape.b] = p.material.color;
    const pattern = p.material.pattern;
    if (pattern.kind !== 'solid') {
      shape.pattern = pattern.kind === 'checker' ? CHECKER : STRIPES;
      shape.patternSize = pattern.sizeMeters;
      shape.patternContrast = pattern.contrast;
      if (pattern.kind === 'stripes') shape.patternAxis = pattern.axis;
    }
    if (p.kind === 'sphere') {
      shape.kind = SPHERE;
      [shape.cx, shape.cy, shape.cz] = p.center;
      shape.radius = p.radius;
      shape.radius2 = p.radius * p.radius;
      shape.boundRadius = p.radius;
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
      shape.boundRadius = Math.hypot(shape.hx, shape.hy, shape.hz);
    }
    return shape;
  });
}

function normalise(v: Vec3Out): void {
  const length = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
  v[0] /= length;
  v[1] /= length;
  v[2] /= length;
}

/**
 * The shapes (in scene order, so ties resolve as before) that a ray from the origin within
 * `halfAngle` of the unit `axis` can reach: planes always, a bounded shape when its bounding
 * sphere meets the cone (angle to its centre ≤ half angle + the angle its radius spans).
 */
function shapesInCone(
  shapes: readonly Shape[],
  ox: number,
  oy: number,
  oz: number,
  axis: Vec3Out,
  halfAngle: number,
): Shape[] {
  return shapes.filter((s) => {
    if (s.kind === PLANE) return true;
    const vx = s.cx - ox;
    const vy = s.cy - oy;
    const vz = s.cz - oz;
    const distance = Math.sqrt(vx * vx + vy * vy + vz * vz);
    if (distance <= s.boundRadius * 1.001) return true;
    const cos = (vx * axis[0] + vy * axis[1] + vz * axis[2]) / distance;
    const angle = Math.acos(Math.max(-1, Math.min(1, cos)));
    return angle <= halfAngle + Math.asin(s.boundRadius / distance) + CONE_SLACK;
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
    const shape = shapes[k] as Shape;
    const t = intersect(shape, ox, oy, oz, dx, dy, dz);
    if (t < best) {
      best = t;
      out.index = shape.index;
    }
  }
  return best;
}

/** Whether a ray hits anything at all (shadow rays): stops at the first hit. */
function anyHit(
  shapes: readonly Shape[],
  ox: number,
  oy: number,
  oz: number,
  dx: number,
  dy: number,
  dz: number,
): boolean {
  const d2 = dx * dx + dy * dy + dz * dz;
  for (let k = 0; k < shapes.length; k++) {
    const shape = shapes[k] as Shape;
    if (shape.kind !== PLANE) {
      // A ray passing wide of the shape's bounding sphere, or starting beyond it, misses it.
      const vx = shape.cx - ox;
      const vy = shape.cy - oy;
      const vz = shape.cz - oz;
      const along = vx * dx + vy * dy + vz * dz;
      const bound2 = shape.boundRadius * shape.boundRadius * 1.001 + 1e-9;
      const v2 = vx * vx + vy * vy + vz * vz;
      if (v2 > bound2 && (along < 0 || v2 - (along * along) / d2 > bound2)) continue;
    }
    if (intersect(shape, ox, oy, oz, dx, dy, dz) !== NO_HIT) return true;
  }
  return false;
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

/** The surface normal of `p` at a point on it, written into `out` (no allocation per pixel). */
function normalAt(p: Shape, x: number, y: number, z: number, out: Vec3Out): void {
  if (p.kind === SPHERE) {
    out[0] = (x - p.cx) / p.radius;
    out[1] = (y - p.cy) / p.radius;
    out[2] = (z - p.cz) / p.radius;
    return;
  }
  if (p.kind === PLANE) {
    out[0] = p.nx;
    out[1] = p.ny;
    out[2] = p.nz;
    return;
  }
  const c = p.cos;
  const s = p.sin;
  const px = x - p.cx;
  const pz = z - p.cz;
  const l0 = c * px - s * pz;
  const l1 = y - p.cy;
  const l2 = s * px + c * pz;
  // The face whose plane the point is closest to, relative to the half size.
  const r0 = Math.abs(l0) / p.hx;
  const r1 = Math.abs(l1) / p.hy;
  const r2 = Math.abs(l2) / p.hz;
  let axis = 0;
  let best = -1;
  if (r0 > best) best = r0;
  if (r1 > best) {
    best = r1;
    axis = 1;
  }
  if (r2 > best) axis = 2;
  const local = axis === 0 ? l0 : axis === 1 ? l1 : l2;
  const sign = Math.sign(local) || 1;
  const n0 = axis === 0 ? sign : 0;
  const n2 = axis === 2 ? sign : 0;
  // Back to world: apply the yaw.
  out[0] = c * n0 + s * n2;
  out[1] = axis === 1 ? sign : 0;
  out[2] = -s * n0 + c * n2;
}

function patternFactor(p: Shape, x: number, y: number, z: number): number {
  if (p.pattern === SOLID) return 1;
  if (p.pattern === CHECKER) {
    const k =
      Math.floor(x / p.patternSize) + Math.floor(y / p.patternSize) + Math.floor(z / p.patternSize);
    return (k & 1) === 0 ? 1 : 1 - p.patternContrast;
  }
  const v = p.patternAxis === 0 ? x : p.patternAxis === 1 ? y : z;
  return (Math.floor(v / p.patternSize) & 1) === 0 ? 1 : 1 - p.patternContrast;
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
  const p = shapes[index] as Shape;
  normalAt(p, x, y, z, NORMAL);
  let nx = NORMAL[0];
  let ny = NORMAL[1];
  let nz = NORMAL[2];
  // Light the side facing the viewer (planes and boxes seen from inside).
  if (nx * dx + ny * dy + nz * dz > 0) {
    nx = -nx;
    ny = -ny;
    nz = -nz;
  }
  const [sx, sy, sz] = scene.sunDirection;
  let sun = Math.max(0, nx * sx + ny * sy + nz * sz);
  if (
    sun > 0 &&
    anyHit(
      shapes,
      x + nx * SHADOW_EPSILON,
      y + ny * SHADOW_EPSILON,
      z + nz * SHADOW_EPSILON,
      sx,
      sy,
      sz,
    )
  )
    sun = 0;
  const f = patternFactor(p, x, y, z);
  const { r, g, b } = p;
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
