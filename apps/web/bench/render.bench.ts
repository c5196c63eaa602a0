/**
 * pnpm bench render: depth bytes → a texture's data (decode, half floats, percentiles: what the
 * web worker does) for the two depth-map sizes the app meets (518×690 from the worker, 1036×1380
 * from a larger model), with the triangles and draw calls of the view. The surface itself is
 * shaped on the GPU from then on (no mesh is built per photo). Node's V8 stands in for the
 * browser's here; select → 3D in Chromium is `pnpm bench web`.
 */
import { encode } from 'fast-png';
import { decodeDepthPng } from '../src/lib/depth/decode-depth-png';
import { depthStats } from '../src/lib/depth/depth-stats';
import { DEPTH_VIEW } from '../src/lib/depth/depth-view-config';
import { samplesToHalfFloats } from '../src/lib/depth/half-float';
import { gridTriangles, surfaceGrids } from '../src/lib/depth/surface-grid';

/** What the depth-map worker does with a PNG's bytes. */
function prepare(png: Uint8Array) {
  const decoded = decodeDepthPng(png);
  return { stats: depthStats(decoded.samples, 65535), half: samplesToHalfFloats(decoded.samples) };
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
  prepare(png); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < 10; i++) {
    const started = performance.now();
    prepare(png);
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const { full } = surfaceGrids(width / height);
  const { maxTriangles, maxDrawCalls } = DEPTH_VIEW.budget;
  console.log(
    `depth ${width}×${height} → texture data: median ${(samples[5] as number).toFixed(1)} ms, worst ${(samples[9] as number).toFixed(1)} ms | ` +
      `${gridTriangles(full.surface, full.background)} triangles (budget ${maxTriangles}), 2 draw calls for the picture (budget ${maxDrawCalls})`,
  );
}
