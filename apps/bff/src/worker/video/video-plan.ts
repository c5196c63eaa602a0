/**
 * What a depth video is made at: sizes and frame rates a Quest headset decodes smoothly (its
 * browser plays 1280×1440 H.264 at 30 fps with room to spare), and rows aligned so the colour half
 * and the depth half never share a 16-pixel macroblock.
 */
export const DEPTH_VIDEO_LIMITS = {
  /** Long side of the colour (and depth) half, pixels. */
  longSide: 1280,
  /** Frames per second at most; slower sources keep their rate. */
  frameRate: 30,
  /** Each half's height is padded to a multiple of this (H.264 macroblock rows). */
  rowAlign: 16,
} as const;

export interface DepthVideoPlan {
  /** The colour half (and the depth half): the video's display size scaled to the limits, even. */
  width: number;
  height: number;
  /** Each half's rows, padded to whole macroblocks; the frame is width × 2·paddedHeight. */
  paddedHeight: number;
  frameWidth: number;
  frameHeight: number;
  frameRate: number;
  /** Frames the clip should have at that rate (from its duration). */
  expectedFrames: number;
}

const even = (n: number) => Math.max(2, 2 * Math.round(n / 2));

/** The plan for a video of this display size, rate and duration. */
export function planDepthVideo(facts: {
  width: number;
  height: number;
  framesPerSecond: number | null;
  durationSeconds: number | null;
}): DepthVideoPlan {
  const { longSide, frameRate: maxRate, rowAlign } = DEPTH_VIDEO_LIMITS;
  if (!(facts.width > 0 && facts.height > 0)) throw new Error('the video has no picture size');
  const scale = Math.min(1, longSide / Math.max(facts.width, facts.height));
  const width = even(facts.width * scale);
  const height = even(facts.height * scale);
  const paddedHeight = Math.ceil(height / rowAlign) * rowAlign;
  const source =
    facts.framesPerSecond && facts.framesPerSecond > 0 ? facts.framesPerSecond : maxRate;
  const frameRate = Math.min(maxRate, Math.round(source * 1000) / 1000);
  return {
    width,
    height,
    paddedHeight,
    frameWidth: width,
    frameHeight: 2 * paddedHeight,
    frameRate,
    expectedFrames: Math.max(1, Math.round((facts.durationSeconds ?? 0) * frameRate)),
  };
}
