import { DEPTH_VIEW } from './depth-view-config';

/**
 * The depth surface's grid: `columns` × `rows` cells over the whole picture, vertex (i, j) at
 * texture coordinate (i / columns, 1 − j / rows) (j counts rows from the top). Each cell is two
 * triangles, top-left/bottom-left/top-right and top-right/bottom-left/bottom-right.
 */
export interface GridSize {
  columns: number;
  rows: number;
}

/** The grid for a picture of aspect width/height: `cellsLongSide` cells along its long side. */
export function gridFor(aspect: number, cellsLongSide: number): GridSize {
  const short = (long: number) => Math.max(1, Math.round(long / Math.max(aspect, 1 / aspect)));
  return aspect >= 1
    ? { columns: cellsLongSide, rows: short(cellsLongSide) }
    : { columns: short(cellsLongSide), rows: cellsLongSide };
}

/** A surface grid and its background layer's (`backgroundCellFactor` times coarser). */
export interface SurfaceGrids {
  surface: GridSize;
  background: GridSize;
}

/** The grids of a picture: the full ones, and the coarse ones of the first frames. */
export function surfaceGrids(aspect: number): { full: SurfaceGrids; coarse: SurfaceGrids } {
  const { cellsLongSide, coarseCellsLongSide, backgroundCellFactor } = DEPTH_VIEW.mesh;
  const pair = (cells: number) => ({
    surface: gridFor(aspect, cells),
    background: gridFor(aspect, Math.round(cells / backgroundCellFactor)),
  });
  return { full: pair(cellsLongSide), coarse: pair(coarseCellsLongSide) };
}

/** Triangles the surface and its background layer draw. */
export function gridTriangles(...grids: GridSize[]): number {
  return grids.reduce((sum, g) => sum + 2 * g.columns * g.rows, 0);
}

/** Vertices as texture coordinates and the two-triangles-per-cell index (counter-clockwise seen from the eye). */
export function gridBuffers(grid: GridSize): { uvs: Float32Array; indices: Uint32Array } {
  const { columns, rows } = grid;
  const uvs = new Float32Array((columns + 1) * (rows + 1) * 2);
  for (let j = 0; j <= rows; j++)
    for (let i = 0; i <= columns; i++) {
      const v = j * (columns + 1) + i;
      uvs[v * 2] = i / columns;
      uvs[v * 2 + 1] = 1 - j / rows;
    }
  const indices = new Uint32Array(columns * rows * 6);
  let n = 0;
  for (let j = 0; j < rows; j++)
    for (let i = 0; i < columns; i++) {
      const tl = j * (columns + 1) + i;
      const tr = tl + 1;
      const bl = tl + columns + 1;
      const br = bl + 1;
      indices.set([tl, bl, tr, tr, bl, br], n);
      n += 6;
    }
  return { uvs, indices };
}

/**
 * The value a grid's surface interpolates at (u, v) from its vertices' values: the triangle of the
 * cell holding the point, weighted barycentrically (what the GPU does with a varying).
 */
export function interpolateOnGrid(
  grid: GridSize,
  u: number,
  v: number,
  vertexValue: (i: number, j: number) => number,
): number {
  const x = Math.min(grid.columns - 1e-9, Math.max(0, u * grid.columns));
  const y = Math.min(grid.rows - 1e-9, Math.max(0, (1 - v) * grid.rows));
  const i = Math.floor(x);
  const j = Math.floor(y);
  const fx = x - i;
  const fy = y - j;
  const tr = vertexValue(i + 1, j);
  const bl = vertexValue(i, j + 1);
  if (fx + fy <= 1) return (1 - fx - fy) * vertexValue(i, j) + fx * tr + fy * bl;
  return (fx + fy - 1) * vertexValue(i + 1, j + 1) + (1 - fy) * tr + (1 - fx) * bl;
}
