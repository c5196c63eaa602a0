import { describe, expect, it } from 'vitest';
import { animationDelta, RollingSamples } from './frame-timing';

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

describe('animationDelta', () => {
  it('passes frame deltas through, even slow software-rendered ones', () => {
    expect(animationDelta(1 / 90)).toBe(1 / 90);
    expect(animationDelta(0.3)).toBe(0.3);
  });
  it('turns the gap after a rest into one 60 Hz step', () => {
    expect(animationDelta(4.2)).toBe(1 / 60);
  });
});
