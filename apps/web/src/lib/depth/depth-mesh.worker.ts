/// <reference lib="webworker" />

import { depthMeshFromPng } from './depth-mesh-from-png';
import type { DepthMeshRequest, DepthMeshResult } from './load-depth-mesh';
import { flatPositions, referenceDepth } from './reference-depth';

/** Decodes and meshes depth maps off the main thread; buffers go back without copying. */
self.onmessage = (event: MessageEvent<DepthMeshRequest>) => {
  const { id, bytes, facts } = event.data;
  try {
    const prepared = depthMeshFromPng(new Uint8Array(bytes), facts);
    const zReference = referenceDepth(prepared.depth);
    const { foreground, background } = prepared.mesh;
    const result: DepthMeshResult = {
      id,
      ok: true,
      zReference,
      focalPixels: prepared.intrinsics.focalPixels,
      width: prepared.intrinsics.width,
      height: prepared.intrinsics.height,
      bitDepth: prepared.bitDepth,
      triangles: prepared.mesh.triangles,
      foreground: { ...foreground, flat: flatPositions(foreground.positions, zReference) },
      background: { ...background, flat: flatPositions(background.positions, zReference) },
    };
    const buffers = [foreground, background].flatMap((layer) => [
      layer.positions.buffer,
      layer.uvs.buffer,
      layer.indices.buffer,
    ]);
    (self as unknown as Worker).postMessage(result, [
      ...buffers,
      result.foreground.flat.buffer,
      result.background.flat.buffer,
    ] as Transferable[]);
  } catch (error) {
    (self as unknown as Worker).postMessage({ id, ok: false, error: (error as Error).message });
  }
};
