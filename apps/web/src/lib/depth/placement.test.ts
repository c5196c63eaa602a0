import { encodingForRange } from '@immichvr/shared';
import { describe, expect, it } from 'vitest';
import { cameraHalfTanX } from './camera-intrinsics';
import { DEPTH_VIEW } from './depth-view-config';
import {
  displayDisparity,
  reliefFor,
  restPlaneUv,
  restRect,
  screenFitBox,
  surfacePoint,
  vrFitBox,
} from './placement';

const metric = encodingForRange(0.8, 12);
const stats = { low: 0.05, reference: 0.4, high: 0.95 };

describe('the rest rectangle', () => {
  it('fits pictures of every aspect in the headset box, and the screen box with its margin', () => {
    const vr = vrFitBox();
    // Landscape fills the box's width, portrait its height, square the smaller of the two.
    for (const aspect of [4 / 3, 16 / 9, 3 / 4, 9 / 16, 1, 3]) {
      const rect = restRect(aspect, vr, 1, 1.75);
      expect(rect.halfWidth / rect.halfHeight).toBeCloseTo(aspect, 10);
      expect(rect.halfWidth / rect.distance).toBeLessThanOrEqual(vr.halfTanX + 1e-12);
      expect(rect.halfHeight / rect.distance).toBeLessThanOrEqual(vr.halfTanY + 1e-12);
      const touches =
        Math.abs(rect.halfWidth / rect.distance - vr.halfTanX) < 1e-12 ||
        Math.abs(rect.halfHeight / rect.distance - vr.halfTanY) < 1e-12;
      expect(touches).toBe(true);
    }
    // A 60° camera on a 1280×800 canvas: the photo fills 90% of the width or height.
    const screen = screenFitBox((60 * Math.PI) / 180, 1280 / 800);
    const rect = restRect(3 / 2, screen, 1, 1.75);
    const shownHeightFraction = rect.halfHeight / rect.distance / Math.tan(Math.PI / 6);
    expect(shownHeightFraction).toBeCloseTo(0.9, 10);
  });

  it('keeps its angular size at any distance; size scales it', () => {
    const near = restRect(4 / 3, vrFitBox(), 1, 1);
    const far = restRect(4 / 3, vrFitBox(), 1, 3);
    expect(far.halfWidth / far.distance).toBeCloseTo(near.halfWidth / near.distance, 12);
    const big = restRect(4 / 3, vrFitBox(), 1.5, 1);
    expect(big.halfWidth).toBeCloseTo(1.5 * near.halfWidth, 12);
    expect(() => restRect(0, vrFitBox(), 1, 1)).toThrow(RangeError);
  });
});

describe('rest pose = the photo', () => {
  // Pictures as shown upright: a phone photo, one stored rotated (EXIF 6/8: shown 3:4),
  // a panorama, a square; cameras from a 13 mm ultra-wide to a 105 mm tele, and demo-style
  // ground truth with a focal length in pixels.
  const cases = [
    { aspect: 4 / 3, camera: { focalLength35mm: 26 } },
    { aspect: 3 / 4, camera: { focalLength35mm: 26 } },
    { aspect: 3 / 4, camera: { focalLength35mm: 105 } },
    { aspect: 16 / 9, camera: { focalLength35mm: 13 } },
    { aspect: 3, camera: {} },
    { aspect: 1, camera: { focalLengthPixels: 1201.85, sourceWidth: 1600 } },
  ];

  it('puts every point of the surface on the eye ray of its pixel, at every strength, size and distance', () => {
    for (const { aspect, camera } of cases)
      for (const strength of [0, DEPTH_VIEW.depthStrength.default, 1])
        for (const [sizeScale, distance] of [
          [1, 1.75],
          [0.5, 1],
          [1.5, 3],
        ] as const) {
          const rect = restRect(aspect, vrFitBox(), sizeScale, distance);
          const width = 518 * Math.max(1, aspect);
          const relief = reliefFor({
            encoding: metric,
            stats,
            cameraHalfTanX: cameraHalfTanX(width, width / aspect, camera),
            rect,
            strength,
          });
          for (const [u, v] of [
            [0, 0],
            [1, 1],
            [0.5, 0.5],
            [0.13, 0.87],
            [0.91, 0.02],
          ] as const)
            for (const sample of [0, 0.4, 1, 0.77]) {
              const point = surfacePoint(u, v, sample, rect, relief);
              const [pu, pv] = restPlaneUv(point, rect);
              expect(pu).toBeCloseTo(u, 9);
              expect(pv).toBeCloseTo(v, 9);
              expect(point[2]).toBeLessThan(0);
            }
        }
  });

  it('is the flat picture at strength 0, and the reference depth stays on the rest plane', () => {
    const rect = restRect(4 / 3, vrFitBox(), 1, 1.75);
    const flat = reliefFor({ encoding: metric, stats, cameraHalfTanX: 0.6, rect, strength: 0 });
    for (const sample of [0, 0.5, 1])
      expect(surfacePoint(0.3, 0.6, sample, rect, flat)[2]).toBe(-1.75);
    const full = reliefFor({ encoding: metric, stats, cameraHalfTanX: 0.6, rect, strength: 1 });
    expect(surfacePoint(0.3, 0.6, stats.reference, rect, full)[2]).toBeCloseTo(-1.75, 12);
    // Near samples come nearer, far ones go farther.
    expect(surfacePoint(0.3, 0.6, 0.9, rect, full)[2]).toBeGreaterThan(-1.75);
    expect(surfacePoint(0.3, 0.6, 0.1, rect, full)[2]).toBeLessThan(-1.75);
  });
});

describe('relief', () => {
  const rect = restRect(4 / 3, vrFitBox(), 1, 1.75);

  it("keeps the scene's own proportions when they are comfortable: depth scaled like width", () => {
    // A shallow scene (1.9–2.1 m) seen through a camera as wide as the shown picture.
    const shallow = encodingForRange(1.9, 2.1);
    const relief = reliefFor({
      encoding: shallow,
      stats: { low: 0, reference: 0.5, high: 1 },
      cameraHalfTanX: rect.halfWidth / rect.distance,
      rect,
      strength: 1,
    });
    // Scene depth z ↦ shown z · distance / zReference: disparity exactly proportional.
    for (const sample of [0, 0.25, 1]) {
      const q = shallow.shift + shallow.scale * sample;
      expect(displayDisparity(sample, rect, relief)).toBeCloseTo(
        (q / relief.qReference) * (1 / rect.distance),
        12,
      );
    }
    // A camera twice as wide (half the shown size) halves the relief.
    const wide = reliefFor({
      encoding: shallow,
      stats: { low: 0, reference: 0.5, high: 1 },
      cameraHalfTanX: (2 * rect.halfWidth) / rect.distance,
      rect,
      strength: 1,
    });
    expect(wide.kappa).toBeCloseTo(relief.kappa / 2, 12);
  });

  it('limits the parallax of the 2nd–98th percentiles to the comfort angle, at any distance', () => {
    for (const distance of [1, 1.75, 3]) {
      const r = restRect(4 / 3, vrFitBox(), 1, distance);
      const relief = reliefFor({
        encoding: metric,
        stats,
        cameraHalfTanX: 0.2,
        rect: r,
        strength: 1,
      });
      const { headMoveMeters, maxParallaxDegrees } = DEPTH_VIEW.comfort;
      const parallaxDegrees = (sample: number) =>
        (Math.abs(displayDisparity(sample, r, relief) - 1 / distance) * headMoveMeters * 180) /
        Math.PI;
      const worst = Math.max(parallaxDegrees(stats.low), parallaxDegrees(stats.high));
      expect(worst).toBeLessThanOrEqual(maxParallaxDegrees + 1e-9);
      expect(worst).toBeGreaterThan(maxParallaxDegrees * 0.99);
    }
    // The default strength stays well inside it.
    const byDefault = reliefFor({
      encoding: metric,
      stats,
      cameraHalfTanX: 0.2,
      rect,
      strength: DEPTH_VIEW.depthStrength.default,
    });
    const full = reliefFor({ encoding: metric, stats, cameraHalfTanX: 0.2, rect, strength: 1 });
    expect(byDefault.kappa / full.kappa).toBeCloseTo(DEPTH_VIEW.depthStrength.default, 12);
    expect(DEPTH_VIEW.depthStrength.default).toBeLessThan(DEPTH_VIEW.depthStrength.max);
  });

  it('never puts a point behind infinity or into the face', () => {
    const relief = reliefFor({ encoding: metric, stats, cameraHalfTanX: 0.01, rect, strength: 1 });
    for (const sample of [0, 1]) {
      const d = displayDisparity(sample, rect, relief);
      expect(d).toBeGreaterThanOrEqual(
        1 / (rect.distance * DEPTH_VIEW.displayLimits.farthestFactor),
      );
      expect(d).toBeLessThanOrEqual(1 / DEPTH_VIEW.displayLimits.nearestMeters);
    }
  });
});
