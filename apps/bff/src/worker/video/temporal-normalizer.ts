import type { DisparityMap } from '../depth/estimator';

/**
 * How a clip's disparity becomes 8-bit samples that hold still: a moving average of each frame's
 * robust range (iw3's `--ema-normalize` is the model), led by a look-ahead so a change is met
 * gradually instead of after the fact, and reset at scene cuts. Per-frame ranges (the flicker of
 * the earlier prototype) remain as a mode to compare against.
 */
export const TEMPORAL_NORMALIZATION = {
  /** Time constant of the moving average of the range, seconds. */
  tauSeconds: 1,
  /** Frames are held this long so the range they get has seen what comes next. */
  lookAheadSeconds: 0.5,
  /** Mean absolute luma change (0…1) between consecutive thumbnails that counts as a cut. */
  cutThreshold: 0.12,
  /** The share of samples ignored at each end of a frame's range (outliers, specks). */
  robustFraction: 0.005,
} as const;

export type NormalizationMode = 'ema' | 'per-frame';

export interface DisparityRange {
  low: number;
  high: number;
}

export interface NormalizedFrame<T> extends DisparityRange {
  payload: T;
  disparity: DisparityMap;
}

interface Held<T> {
  payload: T;
  disparity: DisparityMap;
  range: DisparityRange;
}

export class TemporalNormalizer<T> {
  private readonly held: Held<T>[] = [];
  private readonly lookAheadFrames: number;
  private readonly alpha: number;
  private state: DisparityRange | null = null;
  private previousThumb: Float32Array | null = null;
  /** Scene cuts seen so far. */
  cuts = 0;

  constructor(
    private readonly options: { frameRate: number; mode: NormalizationMode },
    private readonly constants = TEMPORAL_NORMALIZATION,
  ) {
    this.lookAheadFrames = Math.round(constants.lookAheadSeconds * options.frameRate);
    this.alpha = 1 - Math.exp(-1 / (constants.tauSeconds * options.frameRate));
  }

  /** Takes the next frame's disparity (and its colour thumbnail); returns the frames now ready. */
  push(payload: T, disparity: DisparityMap, thumb: Float32Array): NormalizedFrame<T>[] {
    const range = robustRange(disparity.data, this.constants.robustFraction);
    const cut =
      this.previousThumb !== null &&
      meanAbsDifference(thumb, this.previousThumb) > this.constants.cutThreshold;
    this.previousThumb = thumb;
    if (this.options.mode === 'per-frame') return [{ payload, disparity, ...range }];
    const ready: NormalizedFrame<T>[] = [];
    if (cut) {
      // Frames before the cut keep the range of their own scene.
      ready.push(...this.flush());
      this.state = null;
      this.cuts++;
    }
    this.state = this.state
      ? {
          low: this.state.low + this.alpha * (range.low - this.state.low),
          high: this.state.high + this.alpha * (range.high - this.state.high),
        }
      : range;
    this.held.push({ payload, disparity, range });
    while (this.held.length > this.lookAheadFrames) ready.push(this.release());
    return ready;
  }

  /** Every frame still held (the clip ended, or a cut). */
  flush(): NormalizedFrame<T>[] {
    const ready: NormalizedFrame<T>[] = [];
    while (this.held.length > 0) ready.push(this.release());
    return ready;
  }

  private release(): NormalizedFrame<T> {
    const { payload, disparity } = this.held.shift() as Held<T>;
    const { low, high } = this.state as DisparityRange;
    return { payload, disparity, low, high };
  }
}

/** The range of the values without the `fraction` lowest and highest (from a sample of them). */
export function robustRange(values: Float32Array, fraction: number): DisparityRange {
  const step = Math.max(1, Math.floor(values.length / 8192));
  const sample: number[] = [];
  for (let i = 0; i < values.length; i += step) {
    const v = values[i] as number;
    if (Number.isFinite(v)) sample.push(v);
  }
  if (sample.length === 0) throw new Error('the estimator returned no finite values');
  sample.sort((a, b) => a - b);
  const at = (q: number) => sample[Math.min(sample.length - 1, Math.floor(q * sample.length))];
  return { low: at(fraction) as number, high: at(1 - fraction) as number };
}

/** 8-bit samples of a disparity map over a range: 255 = nearest, clamped outside it. */
export function quantizeDisparity(values: Float32Array, range: DisparityRange): Uint8Array {
  const out = new Uint8Array(values.length);
  const span = range.high - range.low;
  if (!(span > 0)) return out.fill(128);
  const k = 255 / span;
  for (let i = 0; i < values.length; i++) {
    const v = ((values[i] as number) - range.low) * k;
    out[i] = v <= 0 || Number.isNaN(v) ? 0 : v >= 255 ? 255 : Math.round(v);
  }
  return out;
}

/** A small luma picture of an RGB frame (block means, 0…1): what scene-cut detection compares. */
export function lumaThumbnail(
  rgb: Uint8Array,
  width: number,
  height: number,
  columns = 32,
  rows = 18,
): Float32Array {
  const sums = new Float32Array(columns * rows);
  const counts = new Uint32Array(columns * rows);
  const stride = Math.max(1, Math.floor(Math.min(width / columns, height / rows) / 4));
  for (let y = 0; y < height; y += stride) {
    const row = Math.min(rows - 1, Math.floor((y * rows) / height));
    for (let x = 0; x < width; x += stride) {
      const i = (y * width + x) * 3;
      const cell = row * columns + Math.min(columns - 1, Math.floor((x * columns) / width));
      sums[cell] =
        (sums[cell] as number) +
        (0.299 * (rgb[i] as number) +
          0.587 * (rgb[i + 1] as number) +
          0.114 * (rgb[i + 2] as number));
      counts[cell] = (counts[cell] as number) + 1;
    }
  }
  for (let c = 0; c < sums.length; c++)
    sums[c] = (sums[c] as number) / Math.max(1, counts[c] as number) / 255;
  return sums;
}

function meanAbsDifference(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] as number) - (b[i] as number));
  return sum / a.length;
}
