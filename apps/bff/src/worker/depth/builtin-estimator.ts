import { HEURISTIC_DEPTH_MODEL } from '@immichvr/shared';
import type { DepthEstimator, DisparityMap, RgbImage } from './estimator';
import { guidedFilter, minFilter } from './image-filters';

/** The tunable constants of the built-in estimator, in one place. */
const BUILTIN = {
  /** Dark-channel patch radius as a fraction of the short edge (15 px at 518 px). */
  patchFraction: 7 / 518,
  /** Haze kept when estimating transmission (He et al. use 0.95). */
  omega: 0.95,
  /** Lowest transmission trusted (keeps -ln t finite in sky and fog). */
  minTransmission: 0.1,
  /** Weight of the ground-plane prior (lower in the frame = nearer) against the haze cue. */
  groundWeight: 0.55,
  /** Guided filter radius as a fraction of the short edge, and its edge threshold. */
  smoothFraction: 1 / 24,
  smoothEps: 1e-3,
} as const;

/**
 * A depth estimator that needs no model weights, so a fresh install makes depth maps at once. It is
 * not a learned model and says so (model_name 'immichvr-heuristic'): it combines two classic
 * monocular cues — atmospheric haze from the dark channel prior (He, Sun, Tang 2009: distant scene
 * points are hazier) and a ground-plane prior (lower in the frame is nearer) — and snaps the result
 * to the photo's own edges with a guided filter. Deterministic; linear in the pixel count.
 */
export class BuiltinEstimator implements DepthEstimator {
  readonly modelName = HEURISTIC_DEPTH_MODEL;
  readonly modelVersion = '1';

  describe(): Record<string, unknown> {
    return {
      method: 'dark-channel haze + ground-plane prior, guided filter (not a learned model)',
      constants: BUILTIN,
    };
  }

  async estimate(image: RgbImage): Promise<DisparityMap> {
    const { width, height, data } = image;
    const n = width * height;
    const short = Math.min(width, height);
    const r = new Float32Array(n);
    const g = new Float32Array(n);
    const b = new Float32Array(n);
    const luminance = new Float32Array(n);
    const darkest = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const rr = (data[i * 3] as number) / 255;
      const gg = (data[i * 3 + 1] as number) / 255;
      const bb = (data[i * 3 + 2] as number) / 255;
      r[i] = rr;
      g[i] = gg;
      b[i] = bb;
      luminance[i] = 0.299 * rr + 0.587 * gg + 0.114 * bb;
      darkest[i] = Math.min(rr, gg, bb);
    }
    const patch = Math.max(1, Math.round(short * BUILTIN.patchFraction));
    const dark = minFilter(darkest, width, height, patch);

    // Atmospheric light: the brightest pixel among the 0.1% haziest (highest dark channel).
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
    const air = [r[light] as number, g[light] as number, b[light] as number].map((v) =>
      Math.max(v, 0.05),
    );

    // Transmission t = 1 - ω·dark(I/A); haze depth ∝ -ln t (far = large).
    const scaled = new Float32Array(n);
    for (let i = 0; i < n; i++)
      scaled[i] = Math.min(
        (r[i] as number) / (air[0] as number),
        (g[i] as number) / (air[1] as number),
        (b[i] as number) / (air[2] as number),
      );
    const darkScaled = minFilter(scaled, width, height, patch);
    const hazeDepth = new Float32Array(n);
    let hazeMax = 0;
    for (let i = 0; i < n; i++) {
      const t = Math.max(BUILTIN.minTransmission, 1 - BUILTIN.omega * (darkScaled[i] as number));
      hazeDepth[i] = -Math.log(t);
      if ((hazeDepth[i] as number) > hazeMax) hazeMax = hazeDepth[i] as number;
    }

    const raw = new Float32Array(n);
    for (let y = 0; y < height; y++) {
      const ground = height > 1 ? y / (height - 1) : 0.5;
      for (let x = 0; x < width; x++) {
        const i = y * width + x;
        const hazeNear = hazeMax > 0 ? 1 - (hazeDepth[i] as number) / hazeMax : 0.5;
        raw[i] = BUILTIN.groundWeight * ground + (1 - BUILTIN.groundWeight) * hazeNear;
      }
    }
    const radius = Math.max(2, Math.round(short * BUILTIN.smoothFraction));
    const refined = guidedFilter(luminance, raw, width, height, radius, BUILTIN.smoothEps);
    return { data: refined, width, height };
  }
}
