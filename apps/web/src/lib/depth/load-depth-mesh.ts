import type { DepthMapFacts } from './depth-mesh-from-png';

export interface LayerBuffers {
  positions: Float32Array;
  flat: Float32Array;
  uvs: Float32Array;
  indices: Uint32Array;
}

export interface DepthMeshRequest {
  id: number;
  bytes: ArrayBuffer;
  facts: DepthMapFacts;
}

export type DepthMeshResult =
  | {
      id: number;
      ok: true;
      zReference: number;
      focalPixels: number;
      width: number;
      height: number;
      bitDepth: 8 | 16;
      triangles: number;
      foreground: LayerBuffers;
      background: LayerBuffers;
    }
  | { id: number; ok: false; error: string };

export type ReadyDepthMesh = Extract<DepthMeshResult, { ok: true }>;

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, (result: DepthMeshResult) => void>();

function meshWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL('./depth-mesh.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<DepthMeshResult>) => {
      pending.get(event.data.id)?.(event.data);
      pending.delete(event.data.id);
    };
  }
  return worker;
}

/** Fetches a depth map and builds its mesh in a Web Worker. */
export async function loadDepthMesh(
  url: string,
  facts: DepthMapFacts,
  signal: AbortSignal,
): Promise<ReadyDepthMesh> {
  const response = await fetch(url, { signal });
  if (!response.ok) throw new Error(`the depth map could not be loaded (HTTP ${response.status})`);
  const bytes = await response.arrayBuffer();
  const id = nextId++;
  const result = await new Promise<DepthMeshResult>((resolve) => {
    pending.set(id, resolve);
    meshWorker().postMessage({ id, bytes, facts } satisfies DepthMeshRequest, [bytes]);
  });
  if (!result.ok) throw new Error(result.error);
  return result;
}
