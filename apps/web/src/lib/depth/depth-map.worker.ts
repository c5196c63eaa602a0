/// <reference lib="webworker" />

import { decodeDepthPng } from './decode-depth-png';
import type { DepthMapRequest, DepthMapResult } from './depth-map-message';
import { depthStats } from './depth-stats';
import { samplesToHalfFloats } from './half-float';

/** Decodes depth PNGs off the main thread: 16 bits kept, as half floats ready for the GPU. */
self.onmessage = async (event: MessageEvent<DepthMapRequest>) => {
  const { id, bytes } = event.data;
  const post = (result: DepthMapResult, transfer: Transferable[] = []) =>
    (self as unknown as Worker).postMessage(result, transfer);
  try {
    const started = performance.now();
    const decoded = await decodeDepthPng(new Uint8Array(bytes));
    const halfFloats = samplesToHalfFloats(decoded.samples);
    post(
      {
        id,
        ok: true,
        map: {
          width: decoded.width,
          height: decoded.height,
          bitDepth: decoded.bitDepth,
          stats: depthStats(decoded.samples, 65535),
          halfFloats,
          decodeMs: performance.now() - started,
        },
      },
      [halfFloats.buffer],
    );
  } catch (error) {
    post({ id, ok: false, error: (error as Error).message });
  }
};
