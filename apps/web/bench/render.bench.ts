/**
 * pnpm bench render: depth bytes → a texture's data (decode, half floats, percentiles: what the
 * web worker does) for the two depth-map sizes the app meets (518×690 from the worker, 1036×1380
 * from a larger model), with the triangles and draw calls of the view. The surface itself is
 * shaped on the GPU from then on (no mesh is built per photo). Node's V8 stands in for the
 * browser's here; select → 3D in Chromium is `pnpm bench web`.
 */
import { decode, encode } from 'fast-png';
import { decodeDepthPng } from '../src/lib/depth/decode-depth-png';
import { depthStats } from '../src/lib/depth/depth-stats';
import { DEPTH_VIEW } from '../src/lib/depth/depth-view-config';
import { samplesToHalfFloats } from '../src/lib/depth/half-float';
import { gridTriangles, surfaceGrids } from '../src/lib/depth/surface-grid';

/** What the depth-map worker does with a PNG's bytes. */
async function prepare(png: Uint8Array) {
  const decoded = await decodeDepthPng(png);
  return { stats: depthStats(decoded.samples, 65535), half: samplesToHalfFloats(decoded.samples) };
}

/** The reference: the same with fast-png (inflate in JavaScript) instead of the platform's. */
async function prepareWithFastPng(png: Uint8Array) {
  const decoded = decode(png);
  const samples = Uint16Array.from(decoded.data as Uint16Array);
  return { stats: depthStats(samples, 65535), half: samplesToHalfFloats(samples) };
}

/** The first run (cold: what a freshly started worker does) and the median of 10 after it. */
async function time(run: () => Promise<unknown>): Promise<{ first: number; median: number }> {
  let started = performance.now();
  await run();
  const first = performance.now() - started;
  const samples: number[] = [];
  for (let i = 0; i < 10; i++) {
    started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { first, median: samples[5] as number };
}

/** A scene-like map: a floor, a back wall and a box in front, with noise, as 16-bit disparity. */
function syntheticDepthPng(width: number, height: number): Uint8Array {
  const data = new Uint16Array(width * height);
  let seed = 7;
  const noise = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff - 0.5;
  };
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const floor = y > height * 0.55 ? 0.3 + (0.7 * (y - height * 0.55)) / (height * 0.45) : 0.3;
      const box =
        x > width * 0.3 && x < width * 0.6 && y > height * 0.4 && y < height * 0.8 ? 0.85 : 0;
      data[y * width + x] = Math.round(Math.min(1, Math.max(floor, box) + noise() * 0.002) * 65535);
    }
  return encode({ width, height, depth: 16, channels: 1, data });
}

for (const [width, height] of [
  [518, 690],
  [1036, 1380],
] as const) {
  const png = syntheticDepthPng(width, height);
  // Alternating which goes first would not make either cold again: each is timed in turn.
  const ours = await time(() => prepare(png));
  const reference = await time(() => prepareWithFastPng(png));
  const { full } = surfaceGrids(width / height);
  const { maxTriangles, maxDrawCalls } = DEPTH_VIEW.budget;
  console.log(
    `depth ${width}×${height} → texture data: first ${ours.first.toFixed(1)} ms, then median ${ours.median.toFixed(1)} ms | ` +
      `fast-png (JS inflate) first ${reference.first.toFixed(1)} ms, median ${reference.median.toFixed(1)} ms | ` +
      `${gridTriangles(full.surface, full.background)} triangles (budget ${maxTriangles}), 2 draw calls for the picture (budget ${maxDrawCalls})`,
  );
}
