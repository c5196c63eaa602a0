import { describe, expect, it } from 'vitest';
import { animationDelta, MAX_ANIMATION_STEP_SECONDS, RollingSamples } from './frame-timing';

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
    expect(animationDelta(1 / 90, false)).toBe(1 / 90);
    expect(animationDelta(0.3, false)).toBe(0.3);
    expect(animationDelta(1 / 90, true)).toBe(1 / 90);
  });
  it('turns the gap after a rest into one 60 Hz step', () => {
    expect(animationDelta(4.2, false)).toBe(1 / 60);
  });
  it("counts a running animation's slow frames as the time they took, a stall as a bounded step", () => {
    expect(animationDelta(0.8, true)).toBe(MAX_ANIMATION_STEP_SECONDS);
    expect(animationDelta(0.2, true)).toBe(0.2);
    // The ease of the viewer's camera (rate 8/s) on frames of 0.8 s: within 1e-4 of 5 cm in a few
    // frames, not the ~47 it took when each counted as 1/60 s.
    let frames = 0;
    for (let gap = 0.05; gap > 1e-4; gap *= Math.exp(-animationDelta(0.8, frames > 0) * 8))
      frames++;
    expect(frames).toBeLessThan(10);
  });
});
