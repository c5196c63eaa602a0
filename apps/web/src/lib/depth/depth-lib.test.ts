import { encodingForRange } from '@immichvr/shared';
import { encode } from 'fast-png';
import { DataUtils } from 'three';
import { describe, expect, it } from 'vitest';
import { cameraHalfTanX, focalPixelsFor } from './camera-intrinsics';
import { decodeDepthPng } from './decode-depth-png';
import { interpretDepth, limitFarNear } from './depth-conversion';
import { depthStats } from './depth-stats';
import { DEPTH_VIEW } from './depth-view-config';
import { samplesToHalfFloats, toHalfFloat } from './half-float';

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
  it('keeps a 16-bit ramp: every level distinct, in the samples and in the GPU half floats', async () => {
    const width = 2048;
    const decoded = await decodeDepthPng(
      png16(width, 8, (x) => Math.round((x / (width - 1)) * 65535)),
    );
    expect(decoded).toMatchObject({ width, height: 8, bitDepth: 16 });
    expect(new Set(decoded.samples).size).toBe(2048);
    // Half floats hold 2048 levels per octave: all of them, within 2^-11 of the sample.
    const half = samplesToHalfFloats(decoded.samples.subarray(0, width));
    expect(new Set(half).size).toBe(2048);
    for (let i = 0; i < width; i += 97) {
      const value = (decoded.samples[i] as number) / 65535;
      expect(Math.abs(DataUtils.fromHalfFloat(half[i] as number) - value)).toBeLessThanOrEqual(
        value / 2048 + 1e-7,
      );
    }
  });

  it('rounds to the nearest half float, subnormals included', () => {
    for (const value of [0, 1, 0.5, 1 / 65535, 3e-5, 0.1234567, 0.999]) {
      const bits = toHalfFloat(value);
      const error = (b: number) => Math.abs(DataUtils.fromHalfFloat(b) - value);
      expect(error(bits)).toBeLessThanOrEqual(error(bits + 1));
      if (bits > 0) expect(error(bits)).toBeLessThanOrEqual(error(bits - 1));
    }
    expect(toHalfFloat(1)).toBe(0x3c00);
  });

  it('reads rows top first, and widens 8-bit maps (flagging them)', async () => {
    const decoded = await decodeDepthPng(png16(3, 2, (x, y) => y * 1000 + x));
    expect(Array.from(decoded.samples)).toEqual([0, 1, 2, 1000, 1001, 1002]);
    const eight = await decodeDepthPng(
      encode({ width: 2, height: 1, depth: 8, channels: 1, data: Uint8Array.from([0, 255]) }),
    );
    expect(eight.bitDepth).toBe(8);
    expect(Array.from(eight.samples)).toEqual([0, 65535]);
  });

  it('refuses bytes that are not a PNG', async () => {
    await expect(decodeDepthPng(new Uint8Array([1, 2, 3]))).rejects.toThrow(/not a PNG depth map/);
  });
});

describe('reading samples', () => {
  it('uses a recorded metric encoding exactly', () => {
    const encoding = encodingForRange(0.8, 9);
    expect(interpretDepth(encoding)).toEqual({ encoding, metric: true });
  });

  it('gives relative maps the default range', () => {
    const { encoding, metric } = interpretDepth(null);
    expect(metric).toBe(false);
    expect(1 / (encoding.shift + encoding.scale)).toBeCloseTo(
      DEPTH_VIEW.relativeDepth.nearMeters,
      9,
    );
    expect(1 / encoding.shift).toBeCloseTo(DEPTH_VIEW.relativeDepth.farMeters, 9);
  });

  it('limits far/near so nothing is sent to infinity', () => {
    const limited = limitFarNear({ kind: 'inverse-depth', shift: 0, scale: 1 }, 12);
    expect(1 / (limited.shift + limited.scale)).toBeCloseTo(1, 9);
    expect(1 / limited.shift).toBeCloseTo(12, 9);
  });

  it('finds the median and the 2nd/98th percentiles from a histogram', () => {
    const samples = Uint16Array.from({ length: 10_000 }, (_, i) => i * 6);
    const stats = depthStats(samples, 65535);
    expect(stats.reference).toBeCloseTo(0.5 * (59_994 / 65535), 3);
    expect(stats.low).toBeCloseTo(0.02 * (59_994 / 65535), 3);
    expect(stats.high).toBeCloseTo(0.98 * (59_994 / 65535), 3);
    const flat = depthStats(new Uint8Array(100).fill(128), 255);
    expect(flat).toEqual({ low: 128 / 255, reference: 128 / 255, high: 128 / 255 });
  });
});

describe('the camera', () => {
  it('takes the recorded focal length in pixels, rescaled to the depth map', () => {
    expect(focalPixelsFor(518, 389, { focalLengthPixels: 3000, sourceWidth: 4000 })).toBeCloseTo(
      388.5,
      6,
    );
  });

  it('falls back to the 35 mm equivalent, then to a phone camera', () => {
    const fov = (halfTan: number) => (2 * Math.atan(halfTan) * 180) / Math.PI;
    expect(fov(cameraHalfTanX(600, 400, { focalLength35mm: 50 }))).toBeCloseTo(39.6, 0);
    expect(fov(cameraHalfTanX(600, 400, {}))).toBeCloseTo(69.4, 0);
  });
});
