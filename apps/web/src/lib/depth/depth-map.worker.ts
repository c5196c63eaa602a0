/// <reference lib="webworker" />

import { problemText } from '../problem-text';
import { decodeDepthPng } from './decode-depth-png';
import type { DepthMapRequest, DepthMapResult } from './depth-map-message';
import { depthStats } from './depth-stats';
import { samplesToHalfFloats } from './half-float';

/**
 * Fetches and decodes depth PNGs off the main thread: 16 bits kept, as half floats ready for the
 * GPU. Fetched here too, so a page busy drawing never holds the map back.
 */
self.onmessage = async (event: MessageEvent<DepthMapRequest>) => {
  const { id, url } = event.data;
  const post = (result: DepthMapResult, transfer: Transferable[] = []) =>
    (self as unknown as Worker).postMessage(result, transfer);
  let bytes: ArrayBuffer;
  try {
    const response = await fetch(url);
    if (!response.ok) {
      const body: unknown = await response.json().catch(() => null);
      post({ id, ok: false, status: response.status, error: problemText(body, response.status) });
      return;
    }
    bytes = await response.arrayBuffer();
  } catch {
    post({ id, ok: false, status: 0, error: 'the server could not be reached' });
    return;
  }
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
          decodedAtEpochMs: performance.timeOrigin + performance.now(),
        },
      },
      [halfFloats.buffer],
    );
  } catch (error) {
    post({ id, ok: false, status: null, error: (error as Error).message });
  }
};
