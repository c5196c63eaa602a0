import { describe, expect, it } from 'vitest';
import { DEPTH_SAMPLE_MAX, depthToSample, encodingForRange, sampleToDepth } from './depth-encoding';

describe('disparity encoding', () => {
  const encoding = encodingForRange(0.5, 200);

  it('maps the near plane to the top sample and the far plane to zero', () => {
    expect(depthToSample(0.5, encoding)).toBe(DEPTH_SAMPLE_MAX);
    expect(depthToSample(200, encoding)).toBe(0);
    expect(depthToSample(10_000, encoding)).toBe(0);
    expect(depthToSample(0.1, encoding)).toBe(DEPTH_SAMPLE_MAX);
  });

  it('round-trips metric depth within 16-bit quantisation', () => {
    for (const z of [0.6, 1, 2.5, 7, 20, 50]) {
      const back = sampleToDepth(depthToSample(z, encoding), encoding);
      expect(Math.abs(back - z) / z).toBeLessThan(0.002);
    }
  });

  it('rejects an empty or inverted range', () => {
    expect(() => encodingForRange(2, 1)).toThrow(RangeError);
    expect(() => encodingForRange(0, 1)).toThrow(RangeError);
  });
});
