import { HEURISTIC_DEPTH_MODEL } from '@immichvr/shared';
import type { DepthEstimator, DisparityMap, RgbImage } from './estimator';
import { guidedFilter, minFilter } from './image-filters';
import { findSceneRegions, REGIONS } from './scene-regions';

/** The tunable constants of the built-in estimator, in one place (scene-regions.ts has the rest). */
const BUILTIN = {
  /** Dark-channel patch radius as a fraction of the short edge (15 px at 518 px). */
  patchFraction: 7 / 518,
  /** Haze kept when estimating transmission (He et al. use 0.95). */
  omega: 0.95,
  /** Lowest transmission trusted (keeps -ln t finite in sky and fog). */
  minTransmission: 0.1,
  /** Weight of the haze cue against the ground plane. */
  hazeWeight: 0.15,
  /** Where the horizon is taken to be, as a fraction of the height, when no sky shows it. */
  defaultHorizon: 0.42,
  /** Nearness of what stands at the horizon and above it (sky is 0). */
  horizonNearness: 0.005,
  /** A plain backdrop's content stands this far in front of it (artwork is nearly flat). */
  backdropRelief: 0.15,
  /** Guided filter radius as a fraction of the short edge, and its edge threshold. */
  smoothFraction: 1 / 24,
  smoothEps: 1e-3,
} as const;

/**
 * A depth estimator that needs no model weights, so a fresh install makes depth maps at once. It is
 * not a learned model and says so (model_name 'immichvr-heuristic'). It lays the photo out as a
 * ground plane under a horizon — the horizon found from the sky when there is one (sky is
 * infinitely far), else a little above the middle — where nearness grows linearly below the
 * horizon as it does on a real ground plane; mixes in atmospheric haze from the dark channel prior
 * (He, Sun, Tang 2009: distant scene points are hazier); keeps artwork on a plain backdrop nearly
 * flat instead of a ramp; and snaps the result to the photo's own edges with a guided filter.
 * Scored against the demo scenes' exact depth in depth-quality.test.ts. Deterministic; linear in
 * the pixel count.
 */
export class BuiltinEstimator implements DepthEstimator {
  readonly modelName = HEURISTIC_DEPTH_MODEL;
  readonly modelVersion = '2';

  describe(): Record<string, unknown> {
    return {
      method:
        'sky and horizon, ground plane, dark-channel haze, guided filter (not a learned model)',
      constants: { ...BUILTIN, regions: REGIONS },
    };
  }

  async estimate(image: RgbImage): Promise<DisparityMap> {
    const { width, height, data } = image;
    const n = width * height;
    const luminance = new Float32Array(n);
    for (let i = 0; i < n; i++)
      luminance[i] =
        (0.299 * (data[i * 3] as number) +
          0.587 * (data[i * 3 + 1] as number) +
          0.114 * (data[i * 3 + 2] as number)) /
        255;
    const regions = findSceneRegions(image, luminance);
    const raw = new Float32Array(n);
    if (regions.kind === 'backdrop') {
      for (let i = 0; i < n; i++) raw[i] = regions.mask[i] ? 0 : BUILTIN.backdropRelief;
    } else {
      const horizon =
        regions.kind === 'sky' ? regions.horizonRow : BUILTIN.defaultHorizon * (height - 1);
      const haze = hazeNearness(image, luminance);
      for (let y = 0; y < height; y++) {
        const ground = y > horizon ? (y - horizon) / Math.max(1, height - 1 - horizon) : 0;
        const nearness = Math.max(BUILTIN.horizonNearness, ground);
        // Haze tells distances apart on the ground; above the horizon (clouds, the sky the region
        // finder left out) dark is not near, so it fades out there instead of cutting steps.
        const hazeWeight = BUILTIN.hazeWeight * Math.min(1, ground * 4);
        for (let x = 0; x < width; x++) {
          const i = y * width + x;
          raw[i] =
            regions.kind === 'sky' && regions.mask[i]
              ? 0
              : (1 - hazeWeight) * nearness + hazeWeight * (haze[i] as number);
        }
      }
    }
    const radius = Math.max(2, Math.round(Math.min(width, height) * BUILTIN.smoothFraction));
    const refined = guidedFilter(luminance, raw, width, height, radius, BUILTIN.smoothEps);
    // The filter must not pull the sky or a backdrop forward: they stay the farthest.
    if (regions.kind !== 'none')
      for (let i = 0; i < n; i++)
        if (regions.mask[i]) refined[i] = Math.min(refined[i] as number, 0);
    return { data: refined, width, height };
  }
}

/**
 * Nearness from haze (0 far … 1 near): transmission t = 1 − ω·dark(I/A) of the dark channel prior,
 * haze depth ∝ −ln t, with the atmospheric light A the brightest of the 0.1% haziest pixels.
 */
function hazeNearness(image: RgbImage, luminance: Float32Array): Float32Array {
  const { width, height, data } = image;
  const n = width * height;
  const patch = Math.max(1, Math.round(Math.min(width, height) * BUILTIN.patchFraction));
  const darkest = new Float32Array(n);
  for (let i = 0; i < n; i++)
    darkest[i] =
      Math.min(data[i * 3] as number, data[i * 3 + 1] as number, data[i * 3 + 2] as number) / 255;
  const dark = minFilter(darkest, width, height, patch);

  const bins = new Uint32Array(1024);
  for (let i = 0; i < n; i++) {
    const bin = Math.min(1023, Math.floor((dark[i] as number) * 1024));
    bins[bin] = (bins[bin] as number) + 1;
  }
  let threshold = 1023;
  for (let seen = 0; threshold > 0; threshold--) {
    seen += bins[threshold] as number;
    if (seen >= Math.max(1, n / 1000)) break;
  }
  let light = 0;
  let brightest = -1;
  for (let i = 0; i < n; i++)
    if (
      Math.floor((dark[i] as number) * 1024) >= threshold &&
      (luminance[i] as number) > brightest
    ) {
      brightest = luminance[i] as number;
      light = i;
    }
  const air = [0, 1, 2].map((c) => Math.max((data[light * 3 + c] as number) / 255, 0.05));

  const scaled = new Float32Array(n);
  for (let i = 0; i < n; i++)
    scaled[i] = Math.min(
      (data[i * 3] as number) / 255 / (air[0] as number),
      (data[i * 3 + 1] as number) / 255 / (air[1] as number),
      (data[i * 3 + 2] as number) / 255 / (air[2] as number),
    );
  const darkScaled = minFilter(scaled, width, height, patch);
  const hazeDepth = new Float32Array(n);
  let hazeMax = 0;
  for (let i = 0; i < n; i++) {
    const t = Math.max(BUILTIN.minTransmission, 1 - BUILTIN.omega * (darkScaled[i] as number));
    hazeDepth[i] = -Math.log(t);
    if ((hazeDepth[i] as number) > hazeMax) hazeMax = hazeDepth[i] as number;
  }
  for (let i = 0; i < n; i++)
    hazeDepth[i] = hazeMax > 0 ? 1 - (hazeDepth[i] as number) / hazeMax : 0.5;
  return hazeDepth;
}
