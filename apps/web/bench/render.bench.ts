/**
 * pnpm bench render: depth bytes → ready mesh (decode + convert + build) for the two depth-map
 * sizes the app meets (518×690 from the worker, 1036×1380 from a larger model), with the
 * triangles and draw calls of the photo view. Node's V8 stands in for the browser's here; the
 * per-frame figure in Chromium comes with the 3D view.
 */
import { encode } from 'fast-png';
import { depthMeshFromPng } from '../src/lib/depth/depth-mesh-from-png';

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
  depthMeshFromPng(png, {}); // warm-up
  const samples: number[] = [];
  let triangles = 0;
  let layers = 0;
  for (let i = 0; i < 10; i++) {
    const started = performance.now();
    const prepared = depthMeshFromPng(png, {});
    samples.push(performance.now() - started);
    triangles = prepared.mesh.triangles;
    layers = prepared.mesh.background.indices.length > 0 ? 2 : 1;
  }
  samples.sort((a, b) => a - b);
  console.log(
    `depth ${width}×${height} → mesh: median ${(samples[5] as number).toFixed(0)} ms, worst ${(samples[9] as number).toFixed(0)} ms | ` +
      `${triangles} triangles (budget 300000), ${layers} draw calls for the photo (budget 20)`,
  );
}
