import { describe, expect, it } from 'vitest';
import {
  lumaThumbnail,
  quantizeDisparity,
  robustRange,
  TEMPORAL_NORMALIZATION,
  TemporalNormalizer,
} from './temporal-normalizer';

/** A frame's disparity: a fixed ramp plus one small object whose disparity varies. */
function frame(k: number, objectDisparity: number) {
  const width = 64;
  const height = 36;
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) data[y * width + x] = 1 + y / height;
  // The object: 4×4 px, its disparity changing frame to frame (an estimator's noise).
  for (let y = 2; y < 6; y++) for (let x = 2; x < 6; x++) data[y * width + x] = objectDisparity;
  return {
    payload: k,
    disparity: { data, width, height },
    thumb: new Float32Array(32 * 18).fill(0.5),
  };
}

/** Mean change of the background's 8-bit level between consecutive frames. */
function backgroundFlicker(mode: 'ema' | 'per-frame'): number {
  const normalizer = new TemporalNormalizer<number>({ frameRate: 30, mode });
  const out: Uint8Array[] = [];
  const take = (frames: ReturnType<typeof normalizer.push>) => {
    for (const f of frames) out.push(quantizeDisparity(f.disparity.data, f));
  };
  for (let k = 0; k < 90; k++) {
    const f = frame(k, k % 2 === 0 ? 2.5 : 3.5); // the near range jumps every other frame
    take(normalizer.push(f.payload, f.disparity, f.thumb));
  }
  take(normalizer.flush());
  expect(out).toHaveLength(90);
  let sum = 0;
  let n = 0;
  for (let k = 1; k < out.length; k++)
    for (let i = 64 * 10; i < (out[k] as Uint8Array).length; i++) {
      sum += Math.abs(
        ((out[k] as Uint8Array)[i] as number) - ((out[k - 1] as Uint8Array)[i] as number),
      );
      n++;
    }
  return sum / n / 255;
}

describe('TemporalNormalizer', () => {
  it('holds the background still while a per-frame range makes it flicker', () => {
    const ema = backgroundFlicker('ema');
    const perFrame = backgroundFlicker('per-frame');
    expect(perFrame).toBeGreaterThan(0.05);
    expect(ema).toBeLessThan(0.01);
    expect(perFrame / ema).toBeGreaterThan(5);
  });

  it('holds at most the look-ahead, and gives every frame back in order', () => {
    const normalizer = new TemporalNormalizer<number>({ frameRate: 30, mode: 'ema' });
    const order: number[] = [];
    let held = 0;
    for (let k = 0; k < 40; k++) {
      const f = frame(k, 3);
      const ready = normalizer.push(f.payload, f.disparity, f.thumb);
      held += 1 - ready.length;
      expect(held).toBeLessThanOrEqual(Math.round(TEMPORAL_NORMALIZATION.lookAheadSeconds * 30));
      order.push(...ready.map((r) => r.payload));
    }
    order.push(...normalizer.flush().map((r) => r.payload));
    expect(order).toEqual(Array.from({ length: 40 }, (_, k) => k));
  });

  it('starts afresh at a scene cut: frames before it keep their scene’s range', () => {
    const normalizer = new TemporalNormalizer<number>({ frameRate: 30, mode: 'ema' });
    const ranges: Array<{ payload: number; high: number }> = [];
    for (let k = 0; k < 60; k++) {
      const f = frame(k, k < 30 ? 3 : 9);
      const thumb = new Float32Array(32 * 18).fill(k < 30 ? 0.2 : 0.8); // a cut at frame 30
      ranges.push(...normalizer.push(f.payload, f.disparity, thumb));
    }
    ranges.push(...normalizer.flush());
    expect(normalizer.cuts).toBe(1);
    expect(ranges.filter((r) => r.payload < 30).every((r) => r.high < 3.5)).toBe(true);
    // After the cut the new range is taken at once, not eased into over a second.
    expect(ranges.find((r) => r.payload === 30)?.high).toBeGreaterThan(8);
  });
});

describe('quantizeDisparity and robustRange', () => {
  it('uses the full 8 bits, nearest = 255, clamped outside the range', () => {
    const values = Float32Array.from({ length: 1001 }, (_, i) => i / 1000);
    const levels = quantizeDisparity(values, robustRange(values, 0));
    expect(levels[0]).toBe(0);
    expect(levels[1000]).toBe(255);
    expect(new Set(levels).size).toBe(256);
    expect(quantizeDisparity(Float32Array.of(-5, 5), { low: 0, high: 1 })).toEqual(
      Uint8Array.of(0, 255),
    );
  });

  it('ignores a few outliers at either end', () => {
    const values = new Float32Array(10_000).fill(1);
    for (let i = 0; i < 5_000; i++) values[i] = i / 5_000;
    values[0] = -100;
    values[1] = 100;
    const range = robustRange(values, TEMPORAL_NORMALIZATION.robustFraction);
    expect(range.low).toBeGreaterThan(-1);
    expect(range.high).toBeLessThanOrEqual(1);
  });
});

describe('lumaThumbnail', () => {
  it('averages blocks of the frame', () => {
    const width = 64;
    const height = 36;
    const rgb = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++)
        rgb.fill(x < 32 ? 0 : 255, (y * width + x) * 3, (y * width + x) * 3 + 3);
    const thumb = lumaThumbnail(rgb, width, height);
    expect(thumb[0]).toBeCloseTo(0);
    expect(thumb[31]).toBeCloseTo(1);
  });
});
