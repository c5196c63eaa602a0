import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { depthMeshFromPng } from './depth-mesh-from-png';

const run = promisify(execFile);
const REPO = path.resolve(import.meta.dirname, '../../../../..');

interface GroundTruthPhoto {
  mediaFile: string;
  depthFile: string;
  surfaceIdsFile: string;
  width: number;
  height: number;
  encoding: { kind: 'inverse-depth'; scale: number; shift: number };
  focalLength35mm: number;
  focalLengthPixels: number;
}

/**
 * The yardstick: the demo library, rendered by the app's own `pnpm demo` into a fresh folder, with
 * the exact depth and surface of every pixel. Ground truth is read with a different decoder (sharp)
 * and unprojected with the manifest's camera here, independently of the code under test.
 */
describe('depth photos against the demo ground truth', { timeout: 60_000 }, () => {
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

  it('puts every vertex where the scene is: AbsRel ≤ 0.5% off the edges, for every demo photo', async () => {
    expect(photos.length).toBeGreaterThanOrEqual(12);
    for (const photo of photos) {
      const prepared = depthMeshFromPng(
        new Uint8Array(await readFile(path.join(truthDir, photo.depthFile))),
        photo,
      );
      const truth = await readGrey(photo.depthFile, true);
      // The depth map is upright and at the photo's aspect as displayed (EXIF applied).
      const shown = await sharp(path.join(dataDir, 'demo', 'media', photo.mediaFile)).metadata();
      const shownWidth = shown.autoOrient?.width ?? shown.width ?? 0;
      const shownHeight = shown.autoOrient?.height ?? shown.height ?? 0;
      expect(
        Math.abs(truth.width / truth.height - shownWidth / shownHeight),
        photo.mediaFile,
      ).toBeLessThan(0.01);
      expect([prepared.intrinsics.width, prepared.intrinsics.height]).toEqual([
        truth.width,
        truth.height,
      ]);

      const { positions } = prepared.mesh.foreground;
      const { vertexPixels, vertexOnEdge } = prepared.mesh;
      const f = photo.focalLengthPixels;
      let sum = 0;
      let count = 0;
      for (let v = 0; v < vertexOnEdge.length; v++) {
        if (vertexOnEdge[v]) continue;
        const px = vertexPixels[v * 2] as number;
        const py = vertexPixels[v * 2 + 1] as number;
        const sample = truth.values[py * truth.width + px] as number;
        const z = 1 / (photo.encoding.shift + (photo.encoding.scale * sample) / 65535);
        const expected = [
          ((px + 0.5 - truth.width / 2) / f) * z,
          -((py + 0.5 - truth.height / 2) / f) * z,
          -z,
        ];
        const got = [positions[v * 3], positions[v * 3 + 1], positions[v * 3 + 2]] as number[];
        const error = Math.hypot(...got.map((g, c) => g - (expected[c] as number)));
        sum += error / Math.hypot(...expected);
        count++;
      }
      const absRel = sum / count;
      report.push(
        `${photo.mediaFile}: ${truth.width}×${truth.height}, stride ${prepared.mesh.stride}, ${prepared.mesh.triangles} triangles, AbsRel ${(absRel * 100).toFixed(4)}%`,
      );
      expect(absRel, photo.mediaFile).toBeLessThanOrEqual(0.005);
    }
  });

  it('keeps no triangle across a true depth edge and ≥ 98% of those on smooth surfaces', async () => {
    for (const photo of photos) {
      const prepared = depthMeshFromPng(
        new Uint8Array(await readFile(path.join(truthDir, photo.depthFile))),
        photo,
      );
      const ids = await readGrey(photo.surfaceIdsFile, false);
      const truth = await readGrey(photo.depthFile, true);
      const { columns, rows, vertexPixels } = prepared.mesh;
      const kept = new Set<string>();
      const { indices } = prepared.mesh.foreground;
      for (let t = 0; t < indices.length; t += 3)
        kept.add(`${indices[t]},${indices[t + 1]},${indices[t + 2]}`);
      const at = (v: number) =>
        (vertexPixels[v * 2 + 1] as number) * ids.width + (vertexPixels[v * 2] as number);
      const surface = (v: number) => ids.values[at(v)] as number;
      const disparityAt = (x: number, y: number) =>
        photo.encoding.shift +
        (photo.encoding.scale * (truth.values[y * truth.width + x] as number)) / 65535;
      const occludes = (a: number, b: number) => {
        const [ax, ay, bx, by] = [
          vertexPixels[a * 2],
          vertexPixels[a * 2 + 1],
          vertexPixels[b * 2],
          vertexPixels[b * 2 + 1],
        ] as number[];
        const steps = Math.max(Math.abs((bx ?? 0) - (ax ?? 0)), Math.abs((by ?? 0) - (ay ?? 0)));
        let px = ax as number;
        let py = ay as number;
        for (let s = 1; s <= steps; s++) {
          const x = Math.round((ax as number) + (((bx as number) - (ax as number)) * s) / steps);
          const y = Math.round((ay as number) + (((by as number) - (ay as number)) * s) / steps);
          if (ids.values[y * ids.width + x] !== ids.values[py * ids.width + px]) {
            const p = disparityAt(px, py);
            const q = disparityAt(x, y);
            if (Math.max(p, q) / Math.min(p, q) > 1.05 && Math.abs(p - q) * 0.1 >= 0.0005)
              return true;
          }
          px = x;
          py = y;
        }
        return false;
      };
      let spanning = 0;
      let smooth = 0;
      let smoothKept = 0;
      for (let j = 0; j < rows - 1; j++)
        for (let i = 0; i < columns - 1; i++) {
          const tl = j * columns + i;
          for (const tri of [
            [tl, tl + columns, tl + 1],
            [tl + 1, tl + columns, tl + columns + 1],
          ] as const) {
            const isKept = kept.has(tri.join(','));
            const sameSurface =
              surface(tri[0]) === surface(tri[1]) && surface(tri[1]) === surface(tri[2]);
            // A true depth edge: somewhere between two corners, neighbouring pixels on different
            // surfaces whose depths differ by more than 5% (a crease, where surfaces meet, does not)
            // and enough to be seen: ≥ 0.5 mrad of parallax for a 10 cm head movement, about one
            // Quest 3 display pixel (a box 40 m away in front of ground 43 m away is not).
            const edge =
              !sameSurface &&
              [
                [tri[0], tri[1]],
                [tri[1], tri[2]],
                [tri[2], tri[0]],
              ].some(([a, b]) => occludes(a as number, b as number));
            if (edge && isKept) {
              spanning++;
              if (process.env.DEBUG_EDGES)
                console.log(
                  photo.mediaFile,
                  tri.map((v) => [vertexPixels[v * 2], vertexPixels[v * 2 + 1], surface(v)]),
                );
            }
            if (sameSurface) {
              smooth++;
              if (isKept) smoothKept++;
            }
          }
        }
      report.push(
        `${photo.mediaFile}: kept ${((smoothKept / smooth) * 100).toFixed(2)}% of smooth triangles, ${spanning} across true edges, ${prepared.mesh.cutTriangles} cut`,
      );
      expect(spanning, photo.mediaFile).toBe(0);
      expect(smoothKept / smooth, photo.mediaFile).toBeGreaterThanOrEqual(0.98);
    }
  });
});
