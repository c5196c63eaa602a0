import { describe, expect, it } from 'vitest';
import { boxMean, guidedFilter, minFilter } from './image-filters';

const image = (w: number, h: number, f: (x: number, y: number) => number) =>
  Float32Array.from({ length: w * h }, (_, i) => f(i % w, Math.floor(i / w)));

/** The obvious O(r²) version, to check the fast one against. */
function naive(src: Float32Array, w: number, h: number, r: number, op: 'min' | 'mean') {
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let acc = op === 'min' ? Number.POSITIVE_INFINITY : 0;
      let count = 0;
      for (let dy = -r; dy <= r; dy++)
        for (let dx = -r; dx <= r; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          if (op === 'min') {
            const v = src[
              Math.min(h - 1, Math.max(0, yy)) * w + Math.min(w - 1, Math.max(0, xx))
            ] as number;
            acc = Math.min(acc, v);
          } else if (xx >= 0 && yy >= 0 && xx < w && yy < h) {
            acc += src[yy * w + xx] as number;
            count++;
          }
        }
      out[y * w + x] = op === 'min' ? acc : acc / count;
    }
  return out;
}

describe('image filters', () => {
  const w = 37;
  const h = 23;
  const noise = image(w, h, (x, y) => (Math.sin(x * 12.9898 + y * 78.233) * 43758.5453) % 1);

  it.each([1, 3, 7])('min filter of radius %i matches the naive one', (r) => {
    expect(Array.from(minFilter(noise, w, h, r))).toEqual(Array.from(naive(noise, w, h, r, 'min')));
  });

  it.each([1, 4, 15])('box mean of radius %i matches the naive one', (r) => {
    const fast = boxMean(noise, w, h, r);
    const slow = naive(noise, w, h, r, 'mean');
    for (let i = 0; i < fast.length; i++) expect(fast[i]).toBeCloseTo(slow[i] as number, 5);
  });

  it('guided filter smooths noise but keeps a step where the guide has an edge', () => {
    const guide = image(64, 32, (x) => (x < 32 ? 0 : 1));
    const noisyStep = image(64, 32, (x, y) => (x < 32 ? 0.2 : 0.8) + 0.1 * Math.sin(x * 7 + y * 3));
    const out = guidedFilter(guide, noisyStep, 64, 32, 6, 1e-4);
    expect(out[16 * 64 + 10]).toBeCloseTo(0.2, 1);
    expect(out[16 * 64 + 50]).toBeCloseTo(0.8, 1);
    // Across the edge the step stays sharp: neighbours either side differ by most of it.
    expect((out[16 * 64 + 32] as number) - (out[16 * 64 + 31] as number)).toBeGreaterThan(0.5);
  });
});
