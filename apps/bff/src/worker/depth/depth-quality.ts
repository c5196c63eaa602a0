/**
 * How close an estimated depth map is to the truth, the way monocular depth is usually scored
 * (MiDaS, Depth Anything): an estimator gives relative disparity with an unknown scale and shift,
 * so it is first aligned to the true disparity by least squares, then compared in depth.
 */

export interface DepthQuality {
  /** Mean |d̂ − d| / d over valid pixels, in depth after the alignment (lower is better). */
  absRel: number;
  /** Share of pixel pairs (clearly apart in depth) the estimate orders near/far correctly. */
  ordinal: number;
}

/** s, t minimising Σ (s·pred + t − truth)² over `valid`. */
export function alignScaleShift(
  pred: Float32Array,
  truth: Float32Array,
  valid: (i: number) => boolean,
): { scale: number; shift: number } {
  let n = 0;
  let sp = 0;
  let st = 0;
  let spp = 0;
  let spt = 0;
  for (let i = 0; i < pred.length; i++) {
    if (!valid(i)) continue;
    const p = pred[i] as number;
    const t = truth[i] as number;
    n++;
    sp += p;
    st += t;
    spp += p * p;
    spt += p * t;
  }
  const det = n * spp - sp * sp;
  if (n === 0 || Math.abs(det) < 1e-12) return { scale: 0, shift: n ? st / n : 0 };
  const scale = (n * spt - sp * st) / det;
  return { scale, shift: (st - scale * sp) / n };
}

/** A small deterministic generator (mulberry32), so the sampled pairs are the same every run. */
function pairSampler(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Scores `predDisparity` (any scale and shift, near = larger) against metric `truthDepth`.
 * `sky` marks pixels at infinity: left out of AbsRel (they have no finite depth) but kept in the
 * ordering, where sky is farther than everything else. Pairs within `ordinalMargin` relative depth
 * of each other count as neither near nor far and are skipped.
 */
export function scoreDepth(
  predDisparity: Float32Array,
  truthDepth: Float32Array,
  sky: (i: number) => boolean,
  options: { pairs?: number; ordinalMargin?: number; seed?: number } = {},
): DepthQuality {
  const n = truthDepth.length;
  const truthDisparity = new Float32Array(n);
  let maxDepth = 0;
  for (let i = 0; i < n; i++) {
    const d = truthDepth[i] as number;
    truthDisparity[i] = sky(i) ? 0 : 1 / d;
    if (!sky(i) && d > maxDepth) maxDepth = d;
  }
  const solid = (i: number) => !sky(i);
  const { scale, shift } = alignScaleShift(predDisparity, truthDisparity, solid);
  const minDisparity = 1 / (maxDepth * 10);
  let sum = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (!solid(i)) continue;
    const aligned = Math.max(minDisparity, scale * (predDisparity[i] as number) + shift);
    const d = truthDepth[i] as number;
    sum += Math.abs(1 / aligned - d) / d;
    count++;
  }

  const random = pairSampler(options.seed ?? 7);
  const margin = options.ordinalMargin ?? 0.03;
  const wanted = options.pairs ?? 20_000;
  let right = 0;
  let judged = 0;
  for (let k = 0; k < wanted * 4 && judged < wanted; k++) {
    const a = Math.floor(random() * n);
    const b = Math.floor(random() * n);
    const da = sky(a) ? Number.POSITIVE_INFINITY : (truthDepth[a] as number);
    const db = sky(b) ? Number.POSITIVE_INFINITY : (truthDepth[b] as number);
    if (da === db || Math.abs(da - db) <= margin * Math.min(da, db)) continue;
    judged++;
    const truthANearer = da < db;
    const predANearer = (predDisparity[a] as number) > (predDisparity[b] as number);
    if (truthANearer === predANearer) right++;
  }
  return {
    absRel: count ? sum / count : Number.NaN,
    ordinal: judged ? right / judged : Number.NaN,
  };
}
