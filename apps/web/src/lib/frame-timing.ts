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
 * The most one frame of a running animation advances it by: a stalled frame (a tab switched back,
 * a garbage collection) moves it on, but does not end it in one jump.
 */
export const MAX_ANIMATION_STEP_SECONDS = 0.25;

/**
 * The time an animation drawn on demand advances by in a frame.
 *
 * `continuing`: the previous frame was this animation's and asked for this one, so the delta is
 * the time a frame took, however slow (software rendering on a busy machine draws one in 0.5–1 s;
 * counting those as 60 Hz steps made an ease of a few frames take a minute). Otherwise the delta
 * may hold a rest (seconds with no frame): a long one moves the animation one 60 Hz step instead
 * of jumping to its end.
 */
export function animationDelta(deltaSeconds: number, continuing: boolean): number {
  if (continuing) return Math.min(deltaSeconds, MAX_ANIMATION_STEP_SECONDS);
  return deltaSeconds > IDLE_GAP_SECONDS ? 1 / 60 : deltaSeconds;
}
