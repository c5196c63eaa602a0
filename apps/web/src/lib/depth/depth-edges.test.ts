import { encodingForRange } from '@immichvr/shared';
import { describe, expect, it } from 'vitest';
import { farSide, sampleField, surfaceKeeps, surfaceSamples } from './depth-edges';
import { gridFor, interpolateOnGrid } from './surface-grid';

const WIDTH = 240;
const HEIGHT = 160;
const grid = gridFor(WIDTH / HEIGHT, 60); // 4 texels a cell
const disparity = encodingForRange(0.5, 20);

/** A map of samples from a function of the texel. */
const fieldOf = (f: (x: number, y: number) => number) =>
  sampleField(
    Float32Array.from({ length: WIDTH * HEIGHT }, (_, i) => f(i % WIDTH, Math.floor(i / WIDTH))),
    WIDTH,
    HEIGHT,
  );

/** Sample for a depth in metres under the encoding. */
const sampleFor = (z: number) => (1 / z - disparity.shift) / disparity.scale;

/** Each texel: the surface's interpolated samples there, and whether it keeps the texel. */
function surfaceOver(field: ReturnType<typeof fieldOf>) {
  const vertex = (i: number, j: number) =>
    surfaceSamples(
      field,
      disparity,
      i / grid.columns,
      1 - j / grid.rows,
      1 / grid.columns,
      1 / grid.rows,
    );
  return (x: number, y: number) => {
    const u = (x + 0.5) / WIDTH;
    const v = 1 - (y + 0.5) / HEIGHT;
    const here = {
      surface: interpolateOnGrid(grid, u, v, (i, j) => vertex(i, j).surface),
      far: interpolateOnGrid(grid, u, v, (i, j) => vertex(i, j).far),
    };
    const pixel = field(u, v);
    return { sheet: here.surface, pixel, kept: surfaceKeeps(disparity, pixel, here) };
  };
}

describe('occluding edges', () => {
  it('leaves smooth surfaces alone: a tilted wall, a floor to the horizon, an inside corner', () => {
    const scenes = {
      // Disparity linear across the image, as a plane's is.
      wall: (x: number, y: number) => sampleFor(1 / (0.5 - 0.001 * x - 0.0005 * y)),
      floor: (_: number, y: number) => sampleFor(1 / (0.06 + 0.012 * y)),
      corner: (x: number) => sampleFor(1 / (x < 120 ? 0.2 + 0.002 * x : 0.68 - 0.002 * x)),
    };
    for (const [name, f] of Object.entries(scenes)) {
      const field = fieldOf(f);
      const at = surfaceOver(field);
      for (let j = 0; j <= grid.rows; j++)
        for (let i = 0; i <= grid.columns; i++) {
          const u = i / grid.columns;
          const v = 1 - j / grid.rows;
          expect(
            surfaceSamples(field, disparity, u, v, 1 / grid.columns, 1 / grid.rows),
            name,
          ).toEqual({ surface: field(u, v), far: field(u, v) });
        }
      for (let y = 0; y < HEIGHT; y += 3)
        for (let x = 0; x < WIDTH; x += 3) expect(at(x, y).kept, `${name} ${x},${y}`).toBe(true);
    }
  });

  it('cuts a far side from a near thing: near pixels at their own depth, every far one on the near surface cut', () => {
    // A disc 1 m away in front of a wall 4 m away, its rim falling away like a ball's.
    const near = (x: number, y: number) => Math.hypot(x - 120, y - 80) < 50.3;
    const field = fieldOf((x, y) =>
      near(x, y) ? sampleFor(1 + 0.3 * (Math.hypot(x - 120, y - 80) / 50.3) ** 4) : sampleFor(4),
    );
    const at = surfaceOver(field);
    let farCut = 0;
    let farKept = 0;
    for (let y = 0; y < HEIGHT; y++)
      for (let x = 0; x < WIDTH; x++) {
        const here = at(x, y);
        const q = (s: number) => disparity.shift + disparity.scale * s;
        const mixed = Math.abs(Math.hypot(x + 0.5 - 120.5, y + 0.5 - 80.5) - 50.3) < 1.5;
        if (mixed) continue; // the texels the edge itself runs through
        if (near(x, y)) {
          // Kept, and never drawn farther than it is (it would lag behind its rim).
          expect(here.kept, `near ${x},${y}`).toBe(true);
          expect(q(here.sheet), `near ${x},${y}`).toBeGreaterThanOrEqual(q(here.pixel) / 1.03);
        } else if (q(here.sheet) > q(here.pixel) * 1.03) {
          // A far texel on a surface lifted towards the disc: cut.
          if (here.kept) farKept++;
          else farCut++;
        }
      }
    expect(farCut).toBeGreaterThan(300);
    expect(farKept).toBe(0);
  });

  it('fills behind a near thing with the next layer back, as far as a gap opens', () => {
    // Wall at 8 m; a box at 2 m over columns 40–199; a ball at 1 m over columns 150–189.
    const field = fieldOf((x) =>
      x >= 150 && x < 190 ? sampleFor(1) : x >= 40 && x < 200 ? sampleFor(2) : sampleFor(8),
    );
    const background = gridFor(WIDTH / HEIGHT, 30); // 8 texels a cell, columns 0–29
    const cellSample = (samples: Float32Array, c: number) =>
      samples[10 * background.columns + c] as number;
    const wide = farSide(field, disparity, background, 1e6);
    // The ball's cells (19–22) take the box behind it, not the wall beyond the box …
    for (let c = 19; c <= 22; c++) expect(cellSample(wide.samples, c)).toBeCloseTo(sampleFor(2), 5);
    // … whose own cells take the wall (a gap opens at its edges too), and the wall stays.
    for (const c of [5, 6, 23, 24])
      expect(cellSample(wide.samples, c)).toBeCloseTo(sampleFor(8), 5);
    for (const c of [0, 3, 26, 29])
      expect(cellSample(wide.samples, c)).toBeCloseTo(sampleFor(8), 5);
    // Colour comes from where the value came from: a box cell for the ball.
    const from = wide.from[10 * background.columns + 21] as number;
    const fromColumn = from % background.columns;
    expect(fromColumn).toBeGreaterThanOrEqual(5);
    expect(fromColumn).toBeLessThanOrEqual(24);
    // When a gap between the ball and the box opens 1.5 cells (3 per unit of disparity, which
    // differs by 0.5 between them), only the ball's cell beside the box fills; its middle stays.
    const narrow = farSide(field, disparity, background, 3);
    expect(cellSample(narrow.samples, 21)).toBeCloseTo(sampleFor(1), 5);
    expect(cellSample(narrow.samples, 22)).toBeCloseTo(sampleFor(2), 5);
  });
});
