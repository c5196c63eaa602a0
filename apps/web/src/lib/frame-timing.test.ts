import { describe, expect, it } from 'vitest';
import { RollingSamples } from './frame-timing';

describe('RollingSamples', () => {
  it('keeps the newest samples and gives percentiles', () => {
    const s = new RollingSamples(5);
    expect(s.percentile(50)).toBeNaN();
    for (const v of [100, 1, 2, 3, 4, 5]) s.push(v);
    expect(s.count).toBe(5);
    expect(s.percentile(50)).toBe(3);
    expect(s.percentile(100)).toBe(5);
  });
});
