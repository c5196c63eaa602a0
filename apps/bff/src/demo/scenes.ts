import { createRandom, type Random } from './prng';
import type { Camera, Material, Primitive, Scene, Vec3 } from './scene';

/** The kinds of place the demo photographs: indoors with walls, outdoors with sky. */
export type SceneFamily = 'room' | 'courtyard' | 'corridor';

const UP: Vec3 = [0, 1, 0];

function material(random: Random, pattern: Material['pattern']['kind']): Material {
  const color: Vec3 = [random.range(0.15, 0.9), random.range(0.15, 0.9), random.range(0.15, 0.9)];
  if (pattern === 'checker') {
    return {
      color,
      pattern: { kind: 'checker', sizeMeters: random.pick([0.25, 0.5, 1]), contrast: 0.45 },
    };
  }
  if (pattern === 'stripes') {
    const axis = random.pick([0, 1, 2] as const);
    return {
      color,
      pattern: { kind: 'stripes', sizeMeters: random.pick([0.1, 0.2, 0.4]), axis, contrast: 0.3 },
    };
  }
  return { color, pattern: { kind: 'solid' } };
}

/** Objects standing on the floor in front of a camera at the origin looking along -z. */
function furniture(
  random: Random,
  count: number,
  nearMeters: number,
  farMeters: number,
): Primitive[] {
  const objects: Primitive[] = [];
  for (let k = 0; k < count; k++) {
    // Spread depths evenly so every photo has near, middle and far objects (occluding edges).
    const depth = nearMeters + ((farMeters - nearMeters) * (k + random.range(0.1, 0.9))) / count;
    const x = random.range(-0.45, 0.45) * depth;
    if (random.next() < 0.5) {
      const radius = random.range(0.25, 0.7);
      objects.push({
        kind: 'sphere',
        center: [x, radius + random.pick([0, 0, 0.4]), -depth],
        radius,
        material: material(random, random.pick(['solid', 'stripes'] as const)),
      });
    } else {
      const half: Vec3 = [random.range(0.2, 0.6), random.range(0.3, 1.2), random.range(0.2, 0.6)];
      objects.push({
        kind: 'box',
        center: [x, half[1], -depth],
        halfSize: half,
        yawRadians: random.range(-0.8, 0.8),
        material: material(random, random.pick(['solid', 'stripes', 'checker'] as const)),
      });
    }
  }
  return objects;
}

function outdoorLight(
  random: Random,
): Pick<Scene, 'sunDirection' | 'sunColor' | 'ambient' | 'sky' | 'hazeMeters'> {
  const elevation = random.range(0.35, 0.9);
  const azimuth = random.range(-2.5, 2.5);
  return {
    sunDirection: [
      Math.cos(elevation) * Math.sin(azimuth),
      Math.sin(elevation),
      Math.cos(elevation) * Math.cos(azimuth),
    ],
    sunColor: [1.0, 0.93, 0.82],
    ambient: [0.28, 0.32, 0.4],
    sky: { horizon: [0.75, 0.82, 0.92], zenith: [0.22, 0.42, 0.85], distanceMeters: 400 },
    hazeMeters: 250,
  };
}

/** Builds the scene of one family from a seed; `time` in seconds animates the objects (videos). */
export function buildScene(family: SceneFamily, seed: number, time = 0): Scene {
  const random = createRandom(seed);
  const light = outdoorLight(random);
  const floor: Primitive = {
    kind: 'plane',
    normal: UP,
    offset: 0,
    material: material(random, 'checker'),
  };
  const primitives: Primitive[] = [floor];
  switch (family) {
    case 'room': {
      const back = random.range(7, 11);
      const halfWidth = random.range(3, 5);
      primitives.push(
        { kind: 'plane', normal: [0, 0, 1], offset: -back, material: material(random, 'stripes') },
        {
          kind: 'plane',
          normal: [1, 0, 0],
          offset: -halfWidth,
          material: material(random, 'solid'),
        },
        {
          kind: 'plane',
          normal: [-1, 0, 0],
          offset: -halfWidth,
          material: material(random, 'checker'),
        },
        ...furniture(random, random.int(4, 6), 1.6, back - 1),
      );
      break;
    }
    case 'corridor': {
      const halfWidth = random.range(1.5, 2.2);
      primitives.push(
        {
          kind: 'plane',
          normal: [1, 0, 0],
          offset: -halfWidth,
          material: material(random, 'stripes'),
        },
        {
          kind: 'plane',
          normal: [-1, 0, 0],
          offset: -halfWidth,
          material: material(random, 'stripes'),
        },
        {
          kind: 'plane',
          normal: [0, -1, 0],
          offset: -random.range(2.6, 3.2),
          material: material(random, 'solid'),
        },
        {
          kind: 'plane',
          normal: [0, 0, 1],
          offset: -random.range(18, 30),
          material: material(random, 'checker'),
        },
        ...furniture(random, random.int(3, 5), 1.8, 14).map((p) => narrow(p, halfWidth)),
      );
      break;
    }
    case 'courtyard': {
      primitives.push(...furniture(random, random.int(5, 7), 1.8, 25));
      // Pillars receding into the distance on both sides.
      const spacing = random.range(4, 7);
      for (let k = 0; k < 6; k++) {
        for (const side of [-1, 1]) {
          primitives.push({
            kind: 'box',
            center: [side * random.range(4, 6), 2, -(4 + k * spacing)],
            halfSize: [0.3, 2, 0.3],
            yawRadians: 0,
            material: material(random, 'stripes'),
          });
        }
      }
      break;
    }
  }
  if (time > 0) animate(primitives, seed, time);
  return { primitives, ...light };
}

/** Keeps an object inside a corridor of the given half width. */
function narrow(p: Primitive, halfWidth: number): Primitive {
  if (p.kind === 'plane') return p;
  const limit = halfWidth - 0.8;
  const x = Math.max(-limit, Math.min(limit, p.center[0]));
  return { ...p, center: [x, p.center[1], p.center[2]] };
}

/** Moves spheres along circles and bounces them, deterministically in time. */
function animate(primitives: Primitive[], seed: number, time: number): void {
  const random = createRandom(seed ^ 0x5bd1e995);
  for (let k = 0; k < primitives.length; k++) {
    const p = primitives[k] as Primitive;
    if (p.kind !== 'sphere') continue;
    const phase = random.range(0, Math.PI * 2);
    const speed = random.range(0.8, 1.6);
    const reach = random.range(0.4, 1.0);
    const [x, , z] = p.center;
    primitives[k] = {
      ...p,
      center: [
        x + reach * Math.sin(phase + speed * time),
        p.radius + Math.abs(Math.sin(phase + 2 * speed * time)) * 0.8,
        z + reach * Math.cos(phase + speed * time) * 0.5,
      ],
    };
  }
}

/** A camera at eye height looking slightly down, so floor, objects and background are in view. */
export function eyeLevelCamera(seed: number, focalLength35mm: number): Camera {
  const random = createRandom(seed ^ 0x27d4eb2d);
  return {
    position: [random.range(-0.3, 0.3), random.range(1.35, 1.7), 0],
    yawRadians: random.range(-0.12, 0.12),
    pitchRadians: -random.range(0.05, 0.18),
    focalLength35mm,
  };
}
