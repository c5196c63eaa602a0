import type { DepthMapFacts } from './depth-mesh-from-png';
import { takePrefetchedDepth } from './depth-prefetch';

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

async function fetchDepth(url: string, signal: AbortSignal): Promise<ArrayBuffer> {
  const response = await fetch(url, { signal });
  if (!response.ok) throw new Error(`the depth map could not be loaded (HTTP ${response.status})`);
  return response.arrayBuffer();
}

/** Meshes being built ahead of being shown (a photo just selected), by depth map URL. */
const prepared = new Map<string, Promise<ReadyDepthMesh>>();

/**
 * Starts building a depth map's mesh now, before a view asks for it: selecting a photo then
 * overlaps the meshing with creating the 3D view. The next `loadDepthMesh` of the URL takes it.
 */
export function prepareDepthMesh(url: string, facts: DepthMapFacts): void {
  if (prepared.has(url)) return;
  const mesh = buildDepthMesh(url, facts, new AbortController().signal);
  mesh.catch(() => prepared.delete(url));
  prepared.set(url, mesh);
  while (prepared.size > 2) prepared.delete(prepared.keys().next().value as string);
}

/** A depth map's mesh: the one prepared ahead, or fetched (or prefetched) and built in a Web Worker. */
export function loadDepthMesh(
  url: string,
  facts: DepthMapFacts,
  signal: AbortSignal,
): Promise<ReadyDepthMesh> {
  const ready = prepared.get(url);
  prepared.delete(url);
  return ready ?? buildDepthMesh(url, facts, signal);
}

async function buildDepthMesh(
  url: string,
  facts: DepthMapFacts,
  signal: AbortSignal,
): Promise<ReadyDepthMesh> {
  const bytes = await (takePrefetchedDepth(url) ?? fetchDepth(url, signal));
  signal.throwIfAborted();
  const id = nextId++;
  const result = await new Promise<DepthMeshResult>((resolve) => {
    pending.set(id, resolve);
    meshWorker().postMessage({ id, bytes, facts } satisfies DepthMeshRequest, [bytes]);
  });
  if (!result.ok) throw new Error(result.error);
  return result;
}
