import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cameraHalfTanX } from './camera-intrinsics';
import { decodeDepthPng } from './decode-depth-png';
import { sampleField, surfaceKeeps, surfaceSamples, type VertexSamples } from './depth-edges';
import { depthStats } from './depth-stats';
import { reliefFor, surfacePoint } from './placement';
import { interpolateOnGrid, surfaceGrids } from './surface-grid';

const run = promisify(execFile);
const REPO = path.resolve(import.meta.dirname, '../../../../..');

interface GroundTruthPhoto {
  mediaFile: string;
  depthFile: string;
  surfaceIdsFile: string;
  encoding: { kind: 'inverse-depth'; scale: number; shift: number };
  focalLengthPixels: number;
}

/**
 * The yardstick: the demo library, rendered by the app's own `pnpm demo` into a fresh folder, with
 * the exact depth and surface of every pixel. Ground truth is read with a different decoder (sharp)
 * and unprojected with the manifest's camera here, independently of the code under test, which
 * decodes the maps itself (as the browser's worker does) and runs the depth surface's arithmetic
 * (the same the shaders do).
 */
describe('the depth surface against the demo ground truth', { timeout: 120_000 }, () => {
  let dataDir: string;
  let photos: GroundTruthPhoto[];
  let truthDir: string;
  const report: string[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'immichvr-fidelity-'));
    await run('pnpm', ['--filter', '@immichvr/bff', 'demo'], {
      cwd: REPO,
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn' },
      maxBuffer: 16 << 20,
    });
    truthDir = path.join(dataDir, 'demo', 'ground-truth');
    photos = (
      JSON.parse(await readFile(path.join(truthDir, 'manifest.json'), 'utf8')) as {
        photos: GroundTruthPhoto[];
      }
    ).photos;
  }, 180_000);
  afterAll(async () => {
    if (report.length) console.log(report.join('\n'));
    await rm(dataDir, { recursive: true, force: true });
  });

  const readGrey = async (file: string, sixteen: boolean) => {
    const { data, info } = await sharp(path.join(truthDir, file))
      .toColourspace(sixteen ? 'grey16' : 'b-w')
      .raw(sixteen ? { depth: 'ushort' } : {})
      .toBuffer({ resolveWithObject: true });
    const values = sixteen
      ? new Uint16Array(data.buffer, data.byteOffset, data.length / 2)
      : new Uint8Array(data.buffer, data.byteOffset, data.length);
    return { values, width: info.width, height: info.height };
  };

  /** The map as the app reads it: its own PNG decoder, samples 0…1. */
  const loadMap = async (photo: GroundTruthPhoto) => {
    const decoded = await decodeDepthPng(
      new Uint8Array(await readFile(path.join(truthDir, photo.depthFile))),
    );
    const samples = Float32Array.from(decoded.samples, (s) => s / 65535);
    return { decoded, field: sampleField(samples, decoded.width, decoded.height) };
  };

  it('puts every vertex where the scene is, about the eye: AbsRel ≤ 0.5% at the scene’s own relief, off the edges', async () => {
    expect(photos.length).toBeGreaterThanOrEqual(12);
    for (const photo of photos) {
      const { decoded, field } = await loadMap(photo);
      const { width, height } = decoded;
      // The upright map has the photo's aspect as displayed (EXIF applied).
      const shown = await sharp(path.join(dataDir, 'demo', 'media', photo.mediaFile)).metadata();
      const shownAspect =
        (shown.autoOrient?.width ?? shown.width ?? 0) /
        (shown.autoOrient?.height ?? shown.height ?? 1);
      expect(Math.abs(width / height - shownAspect), photo.mediaFile).toBeLessThan(0.01);

      // Shown with the camera's own field of view and no comfort limit, the surface is the scene
      // scaled about the eye so that its median depth stands at the rest distance.
      const tanX = cameraHalfTanX(width, height, { focalLengthPixels: photo.focalLengthPixels });
      const distance = 1.75;
      const rect = {
        halfWidth: tanX * distance,
        halfHeight: (tanX * distance * height) / width,
        distance,
      };
      const stats = depthStats(decoded.samples, 65535);
      const relief = {
        ...reliefFor({
          encoding: photo.encoding,
          stats: { ...stats, low: stats.reference, high: stats.reference },
          cameraHalfTanX: tanX,
          rect,
          strength: 1,
        }),
        minDisparity: 0,
        maxDisparity: Number.POSITIVE_INFINITY,
      };
      const truth = await readGrey(photo.depthFile, true);
      const zOf = (sample: number) =>
        1 / (photo.encoding.shift + (photo.encoding.scale * sample) / 65535);
      const zReference = 1 / relief.qReference;
      const f = photo.focalLengthPixels;
      const grid = surfaceGrids(width / height).full.surface;
      let sum = 0;
      let count = 0;
      for (let j = 0; j <= grid.rows; j++)
        for (let i = 0; i <= grid.columns; i++) {
          const u = i / grid.columns;
          const v = 1 - j / grid.rows;
          const samples = surfaceSamples(
            field,
            photo.encoding,
            u,
            v,
            1 / grid.columns,
            1 / grid.rows,
          );
          if (samples.surface !== samples.far) continue; // lifted to an edge's near side (next test)
          // The truth at the vertex's point of the image, between texels as a texture reads it.
          const x = Math.min(width - 1, Math.max(0, u * width - 0.5));
          const y = Math.min(height - 1, Math.max(0, (1 - v) * height - 0.5));
          const [x0, y0] = [Math.floor(x), Math.floor(y)];
          const [x1, y1] = [Math.min(width - 1, x0 + 1), Math.min(height - 1, y0 + 1)];
          const d = (px: number, py: number) => 1 / zOf(truth.values[py * width + px] as number);
          const [fx, fy] = [x - x0, y - y0];
          const disparity =
            (d(x0, y0) * (1 - fx) + d(x1, y0) * fx) * (1 - fy) +
            (d(x0, y1) * (1 - fx) + d(x1, y1) * fx) * fy;
          const z = (1 / disparity) * (distance / zReference);
          const expected = [
            ((u * width - width / 2) / f) * z,
            -(((1 - v) * height - height / 2) / f) * z,
            -z,
          ];
          const got = surfacePoint(u, v, samples.surface, rect, relief);
          sum +=
            Math.hypot(...got.map((g, c) => g - (expected[c] as number))) / Math.hypot(...expected);
          count++;
        }
      const absRel = sum / count;
      report.push(
        `${photo.mediaFile}: ${width}×${height}, ${count} vertices, AbsRel ${(absRel * 100).toFixed(4)}%`,
      );
      expect(count, photo.mediaFile).toBeGreaterThan(100);
      expect(absRel, photo.mediaFile).toBeLessThanOrEqual(0.005);
    }
  });

  it('cuts at true depth edges and nowhere else: every pixel drawn at its depth, none stretched across an edge', async () => {
    for (const photo of photos) {
      const { decoded, field } = await loadMap(photo);
      const { width, height } = decoded;
      const ids = await readGrey(photo.surfaceIdsFile, false);
      const truth = await readGrey(photo.depthFile, true);
      const grid = surfaceGrids(width / height).full.surface;
      const cellPx = width / grid.columns;
      const vertices = new Map<number, VertexSamples>();
      const vertex = (i: number, j: number) => {
        const key = j * 100_000 + i;
        let known = vertices.get(key);
        if (!known) {
          known = surfaceSamples(
            field,
            photo.encoding,
            i / grid.columns,
            1 - j / grid.rows,
            1 / grid.columns,
            1 / grid.rows,
          );
          vertices.set(key, known);
        }
        return known;
      };
      const q = (sample: number) => photo.encoding.shift + photo.encoding.scale * sample;
      const qTruth = (x: number, y: number) => q((truth.values[y * width + x] as number) / 65535);
      // A pixel near a true occluding edge: within two cells (a vertex lifted to the near side
      // stands up to a cell from the edge, its triangles reach a cell further) of a pixel on
      // another surface whose depth differs by more than 5% (a crease, where surfaces meet, does not).
      const reach = 2 * Math.ceil(cellPx) + 1;
      const ownSurfaceAround = surfacePixelCounter(ids.values, width, height);
      const nearEdge = (x: number, y: number) => {
        const id = ids.values[y * width + x] as number;
        // Most pixels have only their own surface within reach: no edge, without looking at each.
        const [x0, x1] = [Math.max(0, x - reach), Math.min(width - 1, x + reach)];
        const [y0, y1] = [Math.max(0, y - reach), Math.min(height - 1, y + reach)];
        if (ownSurfaceAround(id, x0, y0, x1, y1) === (x1 - x0 + 1) * (y1 - y0 + 1)) return false;
        const here = qTruth(x, y);
        for (let dy = -reach; dy <= reach; dy++)
          for (let dx = -reach; dx <= reach; dx++) {
            const nx = Math.min(width - 1, Math.max(0, x + dx));
            const ny = Math.min(height - 1, Math.max(0, y + dy));
            if (ids.values[ny * width + nx] === id) continue;
            const there = qTruth(nx, ny);
            if (Math.max(here, there) / Math.min(here, there) > 1.05) return true;
          }
        return false;
      };
      let smooth = 0;
      let smoothKept = 0;
      let smoothError = 0;
      let edgePixels = 0;
      let stretched = 0;
      for (let y = 1; y < height - 1; y += 2)
        for (let x = 1; x < width - 1; x += 2) {
          const u = (x + 0.5) / width;
          const v = 1 - (y + 0.5) / height;
          const here = {
            surface: interpolateOnGrid(grid, u, v, (i, j) => vertex(i, j).surface),
            far: interpolateOnGrid(grid, u, v, (i, j) => vertex(i, j).far),
          };
          const kept = surfaceKeeps(photo.encoding, field(u, v), here);
          const error = Math.abs(q(here.surface) / qTruth(x, y) - 1);
          if (nearEdge(x, y)) {
            edgePixels++;
            // Drawn, but at a depth between the two sides: a rubber sheet across the edge.
            if (kept && error > 0.1) stretched++;
          } else {
            smooth++;
            if (kept) {
              smoothKept++;
              smoothError += error;
            }
          }
        }
      report.push(
        `${photo.mediaFile}: smooth pixels kept ${((smoothKept / smooth) * 100).toFixed(2)}% (AbsRel ${((smoothError / smoothKept) * 100).toFixed(3)}%), ${edgePixels} near edges of which ${stretched} drawn > 10% off`,
      );
      expect(smoothKept / smooth, photo.mediaFile).toBeGreaterThanOrEqual(0.995);
      expect(smoothError / smoothKept, photo.mediaFile).toBeLessThanOrEqual(0.005);
      expect(stretched / Math.max(1, edgePixels), photo.mediaFile).toBeLessThanOrEqual(0.01);
    }
  });
});

/**
 * How many pixels of a surface lie in a rectangle (inclusive), in constant time: one summed-area
 * table per surface id, made when that id is first asked about.
 */
function surfacePixelCounter(ids: Uint8Array | Uint16Array, width: number, height: number) {
  const tables = new Map<number, Uint32Array>();
  const stride = width + 1;
  const table = (id: number) => {
    let sums = tables.get(id);
    if (!sums) {
      sums = new Uint32Array(stride * (height + 1));
      for (let y = 0; y < height; y++) {
        let row = 0;
        for (let x = 0; x < width; x++) {
          if (ids[y * width + x] === id) row++;
          sums[(y + 1) * stride + x + 1] = (sums[y * stride + x + 1] as number) + row;
        }
      }
      tables.set(id, sums);
    }
    return sums;
  };
  return (id: number, x0: number, y0: number, x1: number, y1: number) => {
    const sums = table(id);
    return (
      (sums[(y1 + 1) * stride + x1 + 1] as number) -
      (sums[y0 * stride + x1 + 1] as number) -
      (sums[(y1 + 1) * stride + x0] as number) +
      (sums[y0 * stride + x0] as number)
    );
  };
}
