import { describe, expect, it } from 'vitest';
import { DEMO_PHOTOS } from '../../demo/catalogue';
import { renderView } from '../../demo/render';
import { buildScene, eyeLevelCamera } from '../../demo/scenes';
import { BuiltinEstimator } from './builtin-estimator';
import { alignScaleShift, scoreDepth } from './depth-quality';

/** Each demo photo as the estimator sees it (518 px on its short edge) with its exact depth. */
function demoViews() {
  return DEMO_PHOTOS.map((photo) => {
    const scale = 518 / Math.min(photo.width, photo.height);
    const width = Math.round(photo.width * scale);
    const height = Math.round(photo.height * scale);
    const camera = eyeLevelCamera(photo.seed, photo.focalLength35mm);
    return { photo, view: renderView(buildScene(photo.family, photo.seed), camera, width, height) };
  });
}

describe('depth quality scores', () => {
  const truth = Float32Array.from({ length: 400 }, (_, i) => 1 + (i % 20) + Math.floor(i / 20));
  const noSky = () => false;

  it('align scale and shift exactly when the estimate is an affine disparity', () => {
    const disparity = truth.map((d) => 1 / d);
    const estimate = disparity.map((v) => 3.5 * v - 0.25);
    const { scale, shift } = alignScaleShift(estimate, disparity, () => true);
    expect(scale).toBeCloseTo(1 / 3.5, 6);
    expect(shift).toBeCloseTo(0.25 / 3.5, 6);
    expect(scoreDepth(estimate, truth, noSky)).toEqual({
      absRel: expect.closeTo(0, 5),
      ordinal: 1,
    });
  });

  it('score an inverted estimate as wrong in every ordering', () => {
    const inverted = truth.map((d) => d);
    expect(scoreDepth(inverted, truth, noSky).ordinal).toBe(0);
  });
});

describe('the built-in estimator against the demo scenes’ exact depth', () => {
  it('keeps AbsRel ≤ 0.32 and orders ≥ 80% of pixel pairs right (was 1.10 and 77% before sky and horizon)', async () => {
    const estimator = new BuiltinEstimator();
    const rows: string[] = [];
    let absRel = 0;
    let ordinal = 0;
    let outdoorOrdinal = 1;
    const views = demoViews();
    for (const { photo, view } of views) {
      const estimate = await estimator.estimate({
        data: view.rgb,
        width: view.width,
        height: view.height,
      });
      const q = scoreDepth(estimate.data, view.depthMeters, (i) => view.surfaceIds[i] === 0);
      rows.push(`${photo.name}: AbsRel ${q.absRel.toFixed(3)}, ordinal ${q.ordinal.toFixed(3)}`);
      absRel += q.absRel;
      ordinal += q.ordinal;
      if (photo.family === 'courtyard') outdoorOrdinal = Math.min(outdoorOrdinal, q.ordinal);
    }
    absRel /= views.length;
    ordinal /= views.length;
    console.info(
      `${rows.join('\n')}\nmean AbsRel ${absRel.toFixed(3)}, ordinal ${ordinal.toFixed(3)}`,
    );
    expect(absRel).toBeLessThanOrEqual(0.32);
    expect(ordinal).toBeGreaterThanOrEqual(0.8);
    // With a sky, the horizon is found: outdoor scenes are ordered almost perfectly.
    expect(outdoorOrdinal).toBeGreaterThanOrEqual(0.88);
  }, 60_000);
});
