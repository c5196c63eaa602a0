import { encodingForRange, sampleToDepth } from '@immichvr/shared';
import { encode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { buildDepthMesh, strideFor } from './build-depth-mesh';
import { horizontalFovRadians, intrinsicsFor, unproject } from './camera-intrinsics';
import { decodeDepthPng } from './decode-depth-png';
import { interpretDepth, limitFarNear, samplesToDepth } from './depth-conversion';
import { DEPTH_PHOTO } from './depth-photo-config';

const png16 = (width: number, height: number, f: (x: number, y: number) => number) =>
  encode({
    width,
    height,
    depth: 16,
    channels: 1,
    data: Uint16Array.from({ length: width * height }, (_, i) =>
      f(i % width, Math.floor(i / width)),
    ),
  });

describe('decoding depth PNGs', () => {
  it('keeps a smooth 16-bit ramp at ≥ 10,000 distinct levels all the way to the float buffer', () => {
    const width = 2048;
    const height = 8;
    const decoded = decodeDepthPng(
      png16(width, height, (x) => Math.round((x / (width - 1)) * 65535)),
    );
    expect(decoded).toMatchObject({ width, height, bitDepth: 16 });
    const depth = samplesToDepth(decoded.samples, encodingForRange(0.5, 10));
    expect(new Set(decoded.samples).size).toBe(2048);
    expect(new Set(depth).size).toBe(2048);
    const wide = decodeDepthPng(png16(20_000, 1, (x) => Math.round((x / 19_999) * 65535)));
    expect(
      new Set(samplesToDepth(wide.samples, encodingForRange(0.5, 10))).size,
    ).toBeGreaterThanOrEqual(10_000);
  });

  it('reads rows top first, and widens 8-bit maps (flagging them)', () => {
    const decoded = decodeDepthPng(png16(3, 2, (x, y) => y * 1000 + x));
    expect(Array.from(decoded.samples)).toEqual([0, 1, 2, 1000, 1001, 1002]);
    const eight = decodeDepthPng(
      encode({ width: 2, height: 1, depth: 8, channels: 1, data: Uint8Array.from([0, 255]) }),
    );
    expect(eight.bitDepth).toBe(8);
    expect(Array.from(eight.samples)).toEqual([0, 65535]);
  });

  it('refuses bytes that are not a PNG', () => {
    expect(() => decodeDepthPng(new Uint8Array([1, 2, 3]))).toThrow(/not a PNG depth map/);
  });
});

describe('disparity to depth', () => {
  it('uses a recorded metric encoding exactly', () => {
    const encoding = encodingForRange(0.8, 9);
    const { encoding: used, metric } = interpretDepth({ encoding });
    expect(metric).toBe(true);
    expect(used).toEqual(encoding);
    const depth = samplesToDepth(Uint16Array.from([0, 65535, 30000]), used);
    expect(depth[0]).toBeCloseTo(9, 4);
    expect(depth[1]).toBeCloseTo(0.8, 5);
    expect(depth[2]).toBeCloseTo(sampleToDepth(30000, encoding), 5);
  });

  it('gives relative maps the default range', () => {
    const { encoding, metric } = interpretDepth({ depthKind: 'relative-disparity' });
    expect(metric).toBe(false);
    const [far, near] = samplesToDepth(Uint16Array.from([0, 65535]), encoding);
    expect(near).toBeCloseTo(DEPTH_PHOTO.relativeDepth.nearMeters, 5);
    expect(far).toBeCloseTo(DEPTH_PHOTO.relativeDepth.farMeters, 4);
  });

  it('limits far/near so nothing is sent to infinity', () => {
    const limited = limitFarNear({ kind: 'inverse-depth', shift: 0, scale: 1 }, 12);
    const [far, near] = samplesToDepth(Uint16Array.from([0, 65535]), limited);
    expect(near).toBeCloseTo(1, 6);
    expect(far).toBeCloseTo(12, 4);
  });
});

describe('the camera', () => {
  it('takes the recorded focal length in pixels, rescaled to the depth map', () => {
    expect(
      intrinsicsFor(518, 389, { focalLengthPixels: 3000, sourceWidth: 4000 }).focalPixels,
    ).toBeCloseTo(388.5, 6);
  });

  it('falls back to the 35 mm equivalent, then to a phone camera', () => {
    const exif = intrinsicsFor(600, 400, { focalLength35mm: 50 });
    expect((horizontalFovRadians(exif) * 180) / Math.PI).toBeCloseTo(39.6, 0);
    const phone = intrinsicsFor(600, 400, {});
    expect((horizontalFovRadians(phone) * 180) / Math.PI).toBeCloseTo(69.4, 0);
  });

  it('unprojects with y up and the camera looking down −z', () => {
    const k = { width: 100, height: 50, focalPixels: 100 };
    expect(unproject(k, 49.5, 24.5, 2)).toEqual([0, -0, -2]);
    const [x, y, z] = unproject(k, 0, 0, 2);
    expect(x).toBeLessThan(0);
    expect(y).toBeGreaterThan(0);
    expect(z).toBe(-2);
  });
});

describe('building the mesh', () => {
  const k = { width: 200, height: 100, focalPixels: 150 };
  const field = (f: (x: number, y: number) => number) =>
    Float32Array.from({ length: k.width * k.height }, (_, i) =>
      f(i % k.width, Math.floor(i / k.width)),
    );

  it('keeps every triangle of a smooth tilted plane, and the plane flat', () => {
    // A wall seen at an angle: disparity (1/z) linear across the image, as a plane's is.
    const mesh = buildDepthMesh(
      field((x, y) => 1 / (0.5 - 0.001 * x - 0.0005 * y)),
      k,
    );
    expect(mesh.cutTriangles).toBe(0);
    expect(mesh.background.indices.length).toBe(0);
    expect(mesh.foreground.indices.length / 3).toBe(2 * (mesh.columns - 1) * (mesh.rows - 1));
    // Every vertex lies on one plane: fit it through three and check the rest.
    const p = (v: number) => [0, 1, 2].map((c) => mesh.foreground.positions[v * 3 + c] as number);
    const [a0, b0, c0] = [
      p(0),
      p(mesh.columns - 1),
      p(mesh.columns * (mesh.rows - 1)),
    ] as number[][];
    const u = [0, 1, 2].map((c) => (b0?.[c] ?? 0) - (a0?.[c] ?? 0));
    const w = [0, 1, 2].map((c) => (c0?.[c] ?? 0) - (a0?.[c] ?? 0));
    const n = [
      (u[1] ?? 0) * (w[2] ?? 0) - (u[2] ?? 0) * (w[1] ?? 0),
      (u[2] ?? 0) * (w[0] ?? 0) - (u[0] ?? 0) * (w[2] ?? 0),
      (u[0] ?? 0) * (w[1] ?? 0) - (u[1] ?? 0) * (w[0] ?? 0),
    ];
    const length = Math.hypot(...n);
    let worst = 0;
    for (let v = 0; v < mesh.columns * mesh.rows; v++) {
      const q = p(v);
      const distance =
        Math.abs(n.reduce((sum, nc, c) => sum + nc * ((q[c] ?? 0) - (a0?.[c] ?? 0)), 0)) / length;
      worst = Math.max(worst, distance);
    }
    expect(worst).toBeLessThan(1e-4);
  });

  it('cuts at a depth step instead of stretching, and fills behind from the far side', () => {
    const mesh = buildDepthMesh(
      field((x) => (x < 100 ? 1 : 4)),
      k,
    );
    expect(mesh.cutTriangles).toBeGreaterThan(0);
    const z = (v: number) => -(mesh.foreground.positions[v * 3 + 2] as number);
    const { indices } = mesh.foreground;
    for (let t = 0; t < indices.length; t += 3) {
      const zs = [
        z(indices[t] as number),
        z(indices[t + 1] as number),
        z(indices[t + 2] as number),
      ];
      expect(Math.max(...zs) / Math.min(...zs)).toBeLessThan(1.01);
    }
    const bg = mesh.background;
    expect(bg.indices.length).toBeGreaterThan(0);
    for (let v = 0; v < bg.positions.length / 3; v++) {
      const px = Math.round((bg.uvs[v * 2] as number) * k.width - 0.5);
      if (Math.abs(px - 100) < 6) expect(-(bg.positions[v * 3 + 2] as number)).toBe(4);
    }
  });

  it('keeps creases and planes at grazing angles: their steps are even, not outsized', () => {
    // A floor running to the horizon: disparity falls linearly to near zero at the top.
    const floor = buildDepthMesh(
      field((_, y) => 1 / (0.002 + 0.004 * y)),
      k,
    );
    expect(floor.cutTriangles).toBe(0);
    // The inside corner of two walls, both seen at an angle: slopes change at the crease, depth does not.
    const corner = buildDepthMesh(
      field((x) => 1 / (x < 100 ? 0.2 + 0.002 * x : 0.6 - 0.002 * x)),
      k,
    );
    expect(corner.cutTriangles).toBe(0);
  });

  it('maps the top-left pixel to the top-left of the texture', () => {
    const mesh = buildDepthMesh(
      field(() => 2),
      k,
    );
    expect(Array.from(mesh.foreground.uvs.subarray(0, 2)).map((v) => Number(v.toFixed(4)))).toEqual(
      [0.0025, 0.995],
    );
    expect(mesh.foreground.positions[1]).toBeGreaterThan(0);
  });

  it('stays within the triangle budget for large maps', () => {
    expect(strideFor(518, 690, 240_000)).toBe(2);
    expect(strideFor(4000, 3000, 240_000)).toBe(10);
    const big = { width: 1036, height: 1380, focalPixels: 1000 };
    const depth = Float32Array.from({ length: big.width * big.height }, (_, i) =>
      i % big.width < 500 ? 1 : 3,
    );
    const mesh = buildDepthMesh(depth, big);
    expect(mesh.triangles).toBeLessThanOrEqual(DEPTH_PHOTO.budget.maxTriangles);
  });
});
