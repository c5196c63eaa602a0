import { buildDepthMesh, type DepthMesh } from './build-depth-mesh';
import { type Intrinsics, intrinsicsFor } from './camera-intrinsics';
import { decodeDepthPng } from './decode-depth-png';
import { type DepthInterpretation, interpretDepth, samplesToDepth } from './depth-conversion';

export interface DepthMapFacts {
  encoding?: unknown;
  focalLengthPixels?: number | null;
  focalLength35mm?: number | null;
}

export interface PreparedDepth {
  mesh: DepthMesh;
  intrinsics: Intrinsics;
  interpretation: DepthInterpretation;
  /** Metric depth per depth-map pixel. */
  depth: Float32Array;
  bitDepth: 8 | 16;
}

/**
 * Depth PNG bytes → a ready mesh: decode (16-bit kept), convert disparity to metres, pick the
 * camera, build the budgeted, edge-cut mesh. Pure: runs in a Web Worker or in tests alike.
 */
export function depthMeshFromPng(bytes: Uint8Array, facts: DepthMapFacts): PreparedDepth {
  const decoded = decodeDepthPng(bytes);
  const interpretation = interpretDepth({ encoding: facts.encoding });
  const depth = samplesToDepth(decoded.samples, interpretation.encoding);
  const intrinsics = intrinsicsFor(decoded.width, decoded.height, {
    focalLengthPixels: facts.focalLengthPixels ?? null,
    focalLength35mm: facts.focalLength35mm ?? null,
  });
  return {
    mesh: buildDepthMesh(depth, intrinsics),
    intrinsics,
    interpretation,
    depth,
    bitDepth: decoded.bitDepth,
  };
}
