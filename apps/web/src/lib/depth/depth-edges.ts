import { DEPTH_VIEW } from './depth-view-config';
import type { GridSize } from './surface-grid';

/**
 * How the depth surface treats occluding edges, in plain TypeScript: the GPU passes and shaders
 * (`scene/depth-prepass.ts`, `scene/depth-surface-material.ts`) do exactly this, and the tests
 * check it here against ground truth.
 */

/**
 * A depth map sampled like a GPU texture: bilinear, clamped to the edge; (u, v) with v = 0 at the
 * bottom. `halfTexel` is how far from the border its outermost texel centres lie (beyond them the
 * samples are clamped, so flat).
 */
export type SampleField = ((u: number, v: number) => number) & {
  halfTexel: readonly [number, number];
};

/** A bilinear, edge-clamped sampler over normalised samples (0…1), top row first. */
export function sampleField(
  samples: ArrayLike<number>,
  width: number,
  height: number,
): SampleField {
  const field = bilinear(
    (x, y) =>
      samples[
        Math.min(height - 1, Math.max(0, y)) * width + Math.min(width - 1, Math.max(0, x))
      ] as number,
    width,
    height,
  );
  return Object.assign(field, { halfTexel: [0.5 / width, 0.5 / height] as const });
}

function bilinear(
  at: (x: number, y: number) => number,
  width: number,
  height: number,
): (u: number, v: number) => number {
  return (u, v) => {
    const x = u * width - 0.5;
    const y = (1 - v) * height - 0.5;
    const x0 = Math.floor(x);
    const y0 = Math.floor(y);
    const fx = x - x0;
    const fy = y - y0;
    const top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx;
    const bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx;
    return top * (1 - fy) + bottom * fy;
  };
}

/** The map's disparity of a sample (1/m, up to scale for relative maps). */
export interface Disparity {
  shift: number;
  scale: number;
}
const q = (d: Disparity, sample: number) => d.shift + d.scale * sample;

/** Points per cell a vertex looks at, along each axis (every half cell). */
export const VERTEX_LATTICE_STEPS = 2;
const STEPS = Array.from(
  { length: 2 * VERTEX_LATTICE_STEPS + 1 },
  (_, i) => i / VERTEX_LATTICE_STEPS - 1,
);
/** The points a vertex looks at, in cells: every half cell within one cell (symmetric). */
export const VERTEX_LATTICE: ReadonlyArray<readonly [number, number]> = STEPS.flatMap((dv) =>
  STEPS.map((du) => [du, dv] as const),
).filter(([du, dv]) => du !== 0 || dv !== 0);

/** What a surface vertex takes from the depth map. */
export interface VertexSamples {
  /** Its depth: its own sample, or the near side's where it stands on the far side of an edge. */
  surface: number;
  /** The far side's sample there: its own, or the farther of it and the far side of the edge. */
  far: number;
}

/**
 * The samples of a surface vertex at (u, v), with one grid cell = (cellU, cellV): its own, unless
 * a point within one cell (looked at every quarter cell) is nearer by more than `relativeJump` of
 * that point's disparity and by `stepContrast` times the step the other way — an occluding edge:
 * planes at grazing angles have even steps, an occlusion one outsized step. The step the other way
 * is the smaller of the one from the vertex and the one just beyond (half a cell further,
 * scaled to the same length), so a vertex right on the edge (its sample a blend of both sides)
 * counts too. The vertex then takes the nearest such point's sample, so the triangles across the
 * edge lie at the near side's depth — a rounded near thing's rim moves with it rather than
 * lagging behind — and remembers the far side's, so `surfaceKeeps` can cut the far side's pixels.
 */
export function surfaceSamples(
  field: SampleField,
  disparity: Disparity,
  u: number,
  v: number,
  cellU: number,
  cellV: number,
): VertexSamples {
  const { relativeJump, stepContrast } = DEPTH_VIEW.edges;
  const own = field(u, v);
  const q0 = q(disparity, own);
  let surface = own;
  let far = own;
  for (const [du, dv] of VERTEX_LATTICE) {
    const near = field(u + du * cellU, v + dv * cellV);
    const step = q(disparity, near) - q0;
    if (!(near > surface && step > relativeJump * q(disparity, near))) continue;
    // The other way: a point as far, and one a lattice step beyond it (none beside the border,
    // where the map is clamped, so flat).
    const reach = Math.max(Math.abs(du), Math.abs(dv)) * VERTEX_LATTICE_STEPS;
    const beyond = 1 + 1 / reach;
    const [u2, v2] = [u - du * beyond * cellU, v - dv * beyond * cellV];
    const [mu, mv] = field.halfTexel;
    if (u2 < mu || u2 > 1 - mu || v2 < mv || v2 > 1 - mv) continue;
    const opposite = field(u - du * cellU, v - dv * cellV);
    const q1 = q(disparity, opposite);
    const q2 = q(disparity, field(u2, v2));
    if (step > stepContrast * Math.min(Math.abs(q0 - q1), reach * Math.abs(q1 - q2))) {
      surface = near;
      far = Math.min(own, opposite);
    }
  }
  return { surface, far };
}

/**
 * Whether the surface keeps a pixel, given what the surface interpolates there (`VertexSamples`).
 * A pixel is cut only where the surface was lifted to an edge's near side (clearly, by
 * `relativeJump`) and the pixel is clearly farther than the surface and nearer the far side than
 * the surface: a far-side pixel. The near side's pixels at the edge stay, even where a rounded
 * near thing falls away a little behind the surface, and nothing is cut where no vertex was
 * lifted. The shader tests four points of each pixel and covers that share of it.
 */
export function surfaceKeeps(
  disparity: Disparity,
  pixelSample: number,
  here: VertexSamples,
): boolean {
  const { relativeJump } = DEPTH_VIEW.edges;
  const pixel = q(disparity, pixelSample);
  const surface = q(disparity, here.surface);
  const far = q(disparity, here.far);
  const farSidePixel =
    surface - far > relativeJump * surface &&
    pixel < (1 - relativeJump) * surface &&
    pixel < (surface + far) / 2;
  return !farSidePixel;
}

/** Samples of the background layer's cells per side gathered from the depth map. */
export const FAR_SIDE_GATHER = 4;
/** The spreading steps, in cells: each pass reaches twice as far (1 + 2 + 4 + 8 = 15 cells). */
export const FAR_SIDE_STEPS = [1, 2, 4, 8] as const;

/**
 * Cells a gap between two depths opens, per unit of disparity (the map's q) between them: the
 * angle their parallax reaches for an eye movement of `revealMeters`, in background cells.
 */
export function revealCellsPerDisparity(
  kappa: number,
  qReference: number,
  cellTangent: number,
): number {
  return (DEPTH_VIEW.edges.revealMeters * kappa) / qReference / cellTangent;
}

/**
 * The background layer's far side, cell by cell (row 0 at the top), as the GPU computes it: each
 * cell starts with the farthest point of its block; then, in passes reaching 1, 2, 4 and 8 cells,
 * a cell not yet filled takes the value of the nearest of its neighbours (the eight beside it and
 * the eight at that reach) that is clearly farther than itself — the next layer behind, once — if
 * a gap between the two could open that wide
 * (`cellsPerDisparity`, from `revealCellsPerDisparity`). So a near thing's cells fill from behind
 * it, and a thing in front of another fills with that other, not with the farthest wall. Returns
 * each cell's sample and the cell its value came from (the GPU carries that cell's colour).
 */
export function farSide(
  field: SampleField,
  disparity: Disparity,
  grid: GridSize,
  cellsPerDisparity: number,
): { samples: Float32Array; from: Int32Array } {
  const { columns, rows } = grid;
  let samples = new Float32Array(columns * rows);
  let from = new Int32Array(columns * rows);
  for (let y = 0; y < rows; y++)
    for (let x = 0; x < columns; x++) {
      let farthest = Number.POSITIVE_INFINITY;
      for (let j = 0; j < FAR_SIDE_GATHER; j++)
        for (let i = 0; i < FAR_SIDE_GATHER; i++) {
          const u = (x + (i + 0.5) / FAR_SIDE_GATHER) / columns;
          const v = 1 - (y + (j + 0.5) / FAR_SIDE_GATHER) / rows;
          farthest = Math.min(farthest, field(u, v));
        }
      samples[y * columns + x] = farthest;
      from[y * columns + x] = y * columns + x;
    }
  const jump = 1 - DEPTH_VIEW.edges.relativeJump;
  const filled = new Uint8Array(columns * rows);
  let travelled = 0;
  for (const step of FAR_SIDE_STEPS) {
    // How far a value taken in this pass may have come, in cells.
    travelled += step;
    const next = samples.slice();
    const nextFrom = from.slice();
    const nextFilled = filled.slice();
    for (let y = 0; y < rows; y++)
      for (let x = 0; x < columns; x++) {
        const here = y * columns + x;
        if (filled[here]) continue;
        const qHere = q(disparity, samples[here] as number);
        let best = -1;
        for (const reach of step > 1 ? [1, step] : [1])
          for (let dy = -1; dy <= 1; dy++)
            for (let dx = -1; dx <= 1; dx++) {
              const nx = Math.min(columns - 1, Math.max(0, x + dx * reach));
              const ny = Math.min(rows - 1, Math.max(0, y + dy * reach));
              const n = ny * columns + nx;
              const s = samples[n] as number;
              const qn = q(disparity, s);
              if (
                qn < jump * qHere &&
                travelled <= cellsPerDisparity * (qHere - qn) &&
                (best < 0 || s > (samples[best] as number))
              )
                best = n;
            }
        if (best >= 0) {
          next[here] = samples[best] as number;
          nextFrom[here] = from[best] as number;
          nextFilled[here] = 1;
        }
      }
    samples = next;
    from = nextFrom;
    filled.set(nextFilled);
  }
  return { samples, from };
}
