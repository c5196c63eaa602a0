/** Keeps the last `size` samples and summarises them. */
export class RollingSamples {
  private readonly values: number[] = [];
  constructor(private readonly size = 120) {}

  push(value: number): void {
    this.values.push(value);
    if (this.values.length > this.size) this.values.shift();
  }

  /** p-th percentile (0–100), NaN when empty. */
  percentile(p: number): number {
    if (this.values.length === 0) return Number.NaN;
    const sorted = [...this.values].sort((a, b) => a - b);
    return sorted[
      Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
    ] as number;
  }

  get count(): number {
    return this.values.length;
  }
}

/**
 * A gap this long between two frames is the view resting (drawn on demand), not a slow frame: even
 * software rendering draws a frame in well under it.
 */
export const IDLE_GAP_SECONDS = 0.5;

/**
 * The time an animation advances by in a frame: the frame's delta, except after the view rested
 * (a frame drawn on demand after seconds of none), where it moves one 60 Hz step instead of
 * jumping to its end.
 */
export function animationDelta(deltaSeconds: number): number {
  return deltaSeconds > IDLE_GAP_SECONDS ? 1 / 60 : deltaSeconds;
}
