import type { DepthStats } from './placement';

/**
 * The median and the 2nd/98th percentiles of a map's samples (integers 0…maxValue, near = high),
 * normalised to 0…1, from a histogram: one pass, no sort.
 */
export function depthStats(samples: ArrayLike<number>, maxValue: number): DepthStats {
  const histogram = new Uint32Array(maxValue + 1);
  for (let i = 0; i < samples.length; i++) {
    const value = samples[i] as number;
    histogram[value] = (histogram[value] as number) + 1;
  }
  const targets = [0.02, 0.5, 0.98].map((p) => p * (samples.length - 1));
  const found: number[] = [];
  let seen = 0;
  for (let value = 0, t = 0; value <= maxValue && t < targets.length; value++) {
    seen += histogram[value] as number;
    while (t < targets.length && seen > (targets[t] as number)) {
      found.push(value / maxValue);
      t++;
    }
  }
  const [low = 0, reference = 0.5, high = 1] = found;
  return { low, reference, high };
}
