import type { RgbImage } from './estimator';
import { boxMean } from './image-filters';

/** The constants of the region finder, measured on the demo scenes and Debian's photographs. */
export const REGIONS = {
  /** Largest local luminance slope (per pixel, after a 5×5 blur) inside a sky or backdrop. */
  maxGradient: 0.012,
  /** A sky pixel: blue over red by this much (clear, hazy or stormy sky) … */
  blueOverRed: 0.08,
  minPixelLuminance: 0.25,
  /** … or bright and grey (overcast). */
  overcastLuminance: 0.75,
  overcastSpread: 0.08,
  /** A sky region is dropped when darker than this on average (a blue wall indoors) … */
  minSkyLuminance: 0.42,
  /** … or when it reaches below this fraction of the height in a tenth of its columns (no horizon). */
  maxSkyBottom: 0.85,
  /** Less than this share of the image is no sky. */
  minShare: 0.01,
  /** Which of the sky's per-column lowest rows is taken for the horizon (0.9: near the lowest). */
  horizonPercentile: 0.9,
  /** A flat backdrop (artwork, a graphic): this much of the image, luminance spread below … */
  backdropShare: 0.4,
  backdropSpread: 0.02,
  /** … and reaching the bottom edge along this share of it (a room's wall stops at the floor). */
  backdropBottomShare: 0.2,
} as const;

export type SceneRegions =
  /** Sky above a horizon: `mask` marks it, `horizonRow` is where the ground plane vanishes. */
  | { kind: 'sky'; mask: Uint8Array; horizonRow: number }
  /** Flat artwork or a graphic on a plain background: `mask` marks the background. */
  | { kind: 'backdrop'; mask: Uint8Array }
  | { kind: 'none' };

/**
 * Finds the sky (a smooth, bright, blue or overcast region grown from the top edge, which does
 * not reach the bottom) and, failing that, a plain backdrop (a smooth region of one colour from the
 * top edge to the bottom edge: artwork, not a scene). Both are grown over 4-connected pixels, so a
 * blue shirt under a blue sky stays apart where an edge separates them.
 */
export function findSceneRegions(image: RgbImage, luminance: Float32Array): SceneRegions {
  const { width: w, height: h, data } = image;
  const n = w * h;
  const blurred = boxMean(luminance, w, h, 2);
  const smooth = new Uint8Array(n);
  // Central differences span 2 px: |∇| < max  ⇔  gx² + gy² < (2·max)².
  const limit = (2 * REGIONS.maxGradient) ** 2;
  for (let y = 0; y < h; y++) {
    const up = Math.max(0, y - 1) * w;
    const down = Math.min(h - 1, y + 1) * w;
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const gx =
        (blurred[row + (x < w - 1 ? x + 1 : x)] as number) -
        (blurred[row + (x > 0 ? x - 1 : x)] as number);
      const gy = (blurred[down + x] as number) - (blurred[up + x] as number);
      smooth[row + x] = gx * gx + gy * gy < limit ? 1 : 0;
    }
  }
  const skyLike = (i: number) => {
    if (!smooth[i]) return false;
    const r = (data[i * 3] as number) / 255;
    const g = (data[i * 3 + 1] as number) / 255;
    const b = (data[i * 3 + 2] as number) / 255;
    const blue = b - r >= REGIONS.blueOverRed && b >= g - 0.02;
    const overcast =
      Math.max(r, g, b) > REGIONS.overcastLuminance &&
      Math.max(r, g, b) - Math.min(r, g, b) < REGIONS.overcastSpread;
    return (luminance[i] as number) > REGIONS.minPixelLuminance && (blue || overcast);
  };

  const sky = growFromTop(w, h, skyLike);
  const skyFacts = describe(sky, luminance, w, h);
  if (
    skyFacts.share >= REGIONS.minShare &&
    skyFacts.meanLuminance >= REGIONS.minSkyLuminance &&
    skyFacts.bottomAt(0.9) <= REGIONS.maxSkyBottom
  )
    return {
      kind: 'sky',
      mask: sky,
      horizonRow: skyFacts.bottomAt(REGIONS.horizonPercentile) * (h - 1),
    };

  // A backdrop is one colour: the top row's commonest luminance, give or take a little.
  const topRow = Array.from(luminance.subarray(0, w)).sort((a, b) => a - b);
  const backdrop = topRow[Math.floor(w / 2)] as number;
  const plain = growFromTop(
    w,
    h,
    (i) => smooth[i] === 1 && Math.abs((luminance[i] as number) - backdrop) < 0.1,
  );
  const plainFacts = describe(plain, luminance, w, h);
  let onBottom = 0;
  for (let x = 0; x < w; x++) onBottom += plain[(h - 1) * w + x] as number;
  if (
    plainFacts.share >= REGIONS.backdropShare &&
    plainFacts.luminanceSpread <= REGIONS.backdropSpread &&
    onBottom >= REGIONS.backdropBottomShare * w
  )
    return { kind: 'backdrop', mask: plain };
  return { kind: 'none' };
}

/** The pixels reachable from the top row through pixels that pass `accept`. */
function growFromTop(w: number, h: number, accept: (i: number) => boolean): Uint8Array {
  const mask = new Uint8Array(w * h);
  // Each pixel enters the stack at most once (marked when pushed).
  const stack = new Int32Array(w * h);
  let top = 0;
  for (let x = 0; x < w; x++)
    if (accept(x)) {
      mask[x] = 1;
      stack[top++] = x;
    }
  while (top > 0) {
    const i = stack[--top] as number;
    const x = i % w;
    if (x > 0 && !mask[i - 1] && accept(i - 1)) {
      mask[i - 1] = 1;
      stack[top++] = i - 1;
    }
    if (x < w - 1 && !mask[i + 1] && accept(i + 1)) {
      mask[i + 1] = 1;
      stack[top++] = i + 1;
    }
    if (i >= w && !mask[i - w] && accept(i - w)) {
      mask[i - w] = 1;
      stack[top++] = i - w;
    }
    if (i < w * (h - 1) && !mask[i + w] && accept(i + w)) {
      mask[i + w] = 1;
      stack[top++] = i + w;
    }
  }
  return mask;
}

function describe(mask: Uint8Array, luminance: Float32Array, w: number, h: number) {
  let count = 0;
  let sum = 0;
  let sumSquares = 0;
  const lowest = new Int32Array(w).fill(-1);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (!mask[i]) continue;
      const l = luminance[i] as number;
      count++;
      sum += l;
      sumSquares += l * l;
      lowest[x] = y;
    }
  const bottoms = Array.from(lowest)
    .filter((y) => y >= 0)
    .map((y) => y / Math.max(1, h - 1))
    .sort((a, b) => a - b);
  const mean = count ? sum / count : 0;
  return {
    share: count / (w * h),
    meanLuminance: mean,
    luminanceSpread: count ? Math.sqrt(Math.max(0, sumSquares / count - mean * mean)) : 0,
    /** The lowest row (0 top … 1 bottom) the region reaches, at a percentile of its columns. */
    bottomAt: (percentile: number) =>
      bottoms.length ? (bottoms[Math.floor((bottoms.length - 1) * percentile)] as number) : 0,
  };
}
