import { type Intrinsics, unproject } from './camera-intrinsics';
import { DEPTH_PHOTO } from './depth-photo-config';

export interface MeshLayer {
  /** x, y, z per vertex, camera space in metres. */
  positions: Float32Array;
  /** u, v per vertex (v = 0 at the bottom, as three.js textures). */
  uvs: Float32Array;
  indices: Uint32Array;
}

export interface DepthMesh {
  /** The photo's surface, cut where depth jumps. */
  foreground: MeshLayer;
  /** Fills what the cuts reveal: a coarser grid at depth dilated from the far side (none without cuts). */
  background: MeshLayer;
  /** Depth-map pixel (x, y) of each foreground vertex. */
  vertexPixels: Uint32Array;
  /** 1 where a foreground vertex touches a cut triangle. */
  vertexOnEdge: Uint8Array;
  stride: number;
  columns: number;
  rows: number;
  cutTriangles: number;
  triangles: number;
}

export interface MeshOptions {
  /** A link can be cut when its disparity step exceeds this fraction of the nearer side's. */
  relativeDisparityJump?: number;
  /** …and is this many times the steps before and after it. */
  stepContrast?: number;
  dilationCells?: number;
  /** Foreground triangles at most (the grid stride grows until it fits). */
  foregroundTriangles?: number;
}

/** Smallest grid stride (pixels between vertices) whose triangles fit the budget. */
export function strideFor(width: number, height: number, maxTriangles: number): number {
  let stride = 1;
  while (2 * Math.ceil((width - 1) / stride) * Math.ceil((height - 1) / stride) > maxTriangles)
    stride++;
  return stride;
}

interface Grid {
  stride: number;
  columns: number;
  rows: number;
  /** Depth-map pixel of grid vertex (i, j). */
  px(i: number): number;
  py(j: number): number;
}

function gridFor(width: number, height: number, stride: number): Grid {
  return {
    stride,
    columns: Math.ceil((width - 1) / stride) + 1,
    rows: Math.ceil((height - 1) / stride) + 1,
    px: (i) => Math.min(i * stride, width - 1),
    py: (j) => Math.min(j * stride, height - 1),
  };
}

function layerVertices(grid: Grid, k: Intrinsics, depthAt: (i: number, j: number) => number) {
  const count = grid.columns * grid.rows;
  const positions = new Float32Array(count * 3);
  const uvs = new Float32Array(count * 2);
  for (let j = 0; j < grid.rows; j++)
    for (let i = 0; i < grid.columns; i++) {
      const v = j * grid.columns + i;
      const px = grid.px(i);
      const py = grid.py(j);
      const [x, y, z] = unproject(k, px, py, depthAt(i, j));
      positions[v * 3] = x;
      positions[v * 3 + 1] = y;
      positions[v * 3 + 2] = z;
      uvs[v * 2] = (px + 0.5) / k.width;
      uvs[v * 2 + 1] = 1 - (py + 0.5) / k.height;
    }
  return { positions, uvs };
}

/**
 * A depth map (metric depth per pixel, row-major, top row first) as triangle meshes: a grid whose
 * resolution follows the map within the triangle budget, unprojected through the camera so
 * straight walls stay straight; triangles across a depth discontinuity are dropped instead of
 * stretched, and a background layer made from far-side-dilated depth fills the gaps.
 */
export function buildDepthMesh(
  depth: Float32Array,
  k: Intrinsics,
  options: MeshOptions = {},
): DepthMesh {
  const jump = options.relativeDisparityJump ?? DEPTH_PHOTO.edges.relativeDisparityJump;
  const contrast = options.stepContrast ?? DEPTH_PHOTO.edges.stepContrast;
  const dilation = options.dilationCells ?? DEPTH_PHOTO.edges.dilationCells;
  const budget = options.foregroundTriangles ?? DEPTH_PHOTO.budget.foregroundTriangles;
  const { width, height } = k;
  if (depth.length !== width * height)
    throw new RangeError('depth does not match the intrinsics size');

  const grid = gridFor(width, height, strideFor(width, height, budget));
  const zAt = (i: number, j: number) => depth[grid.py(j) * width + grid.px(i)] as number;
  const { positions, uvs } = layerVertices(grid, k, zAt);
  const vertexPixels = new Uint32Array(grid.columns * grid.rows * 2);
  for (let j = 0; j < grid.rows; j++)
    for (let i = 0; i < grid.columns; i++) {
      vertexPixels[(j * grid.columns + i) * 2] = grid.px(i);
      vertexPixels[(j * grid.columns + i) * 2 + 1] = grid.py(j);
    }

  // Two triangles per cell; drop those with a link across a depth discontinuity.
  const indices = new Uint32Array((grid.columns - 1) * (grid.rows - 1) * 6);
  const vertexOnEdge = new Uint8Array(grid.columns * grid.rows);
  let n = 0;
  let cut = 0;
  const disparity = new Float32Array(grid.columns * grid.rows);
  for (let v = 0; v < disparity.length; v++) disparity[v] = -1 / (positions[v * 3 + 2] as number);
  const d = (i: number, j: number) => disparity[j * grid.columns + i] as number;
  const inside = (i: number, j: number) => i >= 0 && j >= 0 && i < grid.columns && j < grid.rows;
  /**
   * A link between neighbouring vertices crosses a discontinuity when its disparity step is large
   * (relative to the nearer side) and stands out against the steps just before and after it in the
   * same direction: a plane seen at a grazing angle has large but even steps (disparity is linear
   * across a plane's image), an occluding edge one step far larger than its neighbours.
   */
  const crosses = (i0: number, j0: number, i1: number, j1: number) => {
    const p = d(i0, j0);
    const q = d(i1, j1);
    const step = Math.abs(q - p);
    if (step <= jump * Math.max(p, q)) return false;
    const di = i1 - i0;
    const dj = j1 - j0;
    const before = inside(i0 - di, j0 - dj)
      ? Math.abs(p - d(i0 - di, j0 - dj))
      : Number.POSITIVE_INFINITY;
    const after = inside(i1 + di, j1 + dj)
      ? Math.abs(d(i1 + di, j1 + dj) - q)
      : Number.POSITIVE_INFINITY;
    const context = Math.min(before, after);
    // A link with no neighbour either way (a grid corner's diagonal) has nothing to stand out from.
    return Number.isFinite(context) && step > contrast * context;
  };
  const emit = (a: number, b: number, c: number, links: boolean) => {
    if (links) {
      indices[n++] = a;
      indices[n++] = b;
      indices[n++] = c;
    } else {
      cut++;
      vertexOnEdge[a] = 1;
      vertexOnEdge[b] = 1;
      vertexOnEdge[c] = 1;
    }
  };
  for (let j = 0; j < grid.rows - 1; j++)
    for (let i = 0; i < grid.columns - 1; i++) {
      const tl = j * grid.columns + i;
      const tr = tl + 1;
      const bl = tl + grid.columns;
      const br = bl + 1;
      const top = crosses(i, j, i + 1, j);
      const left = crosses(i, j, i, j + 1);
      const diagonal = crosses(i + 1, j, i, j + 1);
      const right = crosses(i + 1, j, i + 1, j + 1);
      const bottom = crosses(i, j + 1, i + 1, j + 1);
      // Counter-clockwise seen from the viewer (+z towards the camera).
      emit(tl, bl, tr, !(top || left || diagonal));
      emit(tr, bl, br, !(diagonal || right || bottom));
    }
  const background = buildBackground(depth, k, grid, vertexOnEdge, dilation);
  return {
    foreground: { positions, uvs, indices: indices.slice(0, n) },
    background,
    vertexPixels,
    vertexOnEdge,
    stride: grid.stride,
    columns: grid.columns,
    rows: grid.rows,
    cutTriangles: cut,
    triangles: n / 3 + background.indices.length / 3,
  };
}

/**
 * The layer behind the cuts: twice the stride, depth = the farthest within `dilation` cells, over
 * the whole photo (a viewer leaning sideways looks through a cut at a different part of it; a layer
 * only near the cuts would show the void there). A quarter of the foreground's triangles.
 */
function buildBackground(
  depth: Float32Array,
  k: Intrinsics,
  fine: Grid,
  vertexOnEdge: Uint8Array,
  dilation: number,
): MeshLayer {
  if (!vertexOnEdge.includes(1))
    return {
      positions: new Float32Array(0),
      uvs: new Float32Array(0),
      indices: new Uint32Array(0),
    };
  const coarse = gridFor(k.width, k.height, fine.stride * 2);
  const farthest = (i: number, j: number) => {
    let z = 0;
    for (let dj = -dilation; dj <= dilation; dj++)
      for (let di = -dilation; di <= dilation; di++) {
        const x = Math.min(coarse.columns - 1, Math.max(0, i + di));
        const y = Math.min(coarse.rows - 1, Math.max(0, j + dj));
        z = Math.max(z, depth[coarse.py(y) * k.width + coarse.px(x)] as number);
      }
    return z;
  };
  const { positions, uvs } = layerVertices(coarse, k, farthest);
  const indices: number[] = [];
  for (let j = 0; j < coarse.rows - 1; j++)
    for (let i = 0; i < coarse.columns - 1; i++) {
      const tl = j * coarse.columns + i;
      const tr = tl + 1;
      const bl = tl + coarse.columns;
      const br = bl + 1;
      indices.push(tl, bl, tr, tr, bl, br);
    }
  return { positions, uvs, indices: Uint32Array.from(indices) };
}
