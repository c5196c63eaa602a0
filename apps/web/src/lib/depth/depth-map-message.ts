import type { DepthStats } from './placement';

/** A decoded depth map, ready to upload: samples / 65535 as half floats, top row first. */
export interface DecodedDepthMap {
  width: number;
  height: number;
  /** Bits per sample in the file (8-bit maps keep only 256 levels). */
  bitDepth: 8 | 16;
  stats: DepthStats;
  halfFloats: Uint16Array;
  /** How long the worker took to decode it, ms (a User Timing measure on the page). */
  decodeMs: number;
  /** When the worker had decoded it: ms since the epoch (a worker's clock has its own origin). */
  decodedAtEpochMs: number;
}

/** The worker fetches the map itself: the page's main thread, busy drawing, never delays it. */
export interface DepthMapRequest {
  id: number;
  /** Absolute (a worker resolves relative URLs against its own script). */
  url: string;
}

export type DepthMapResult =
  | { id: number; ok: true; map: DecodedDepthMap }
  /** `status`: the HTTP status when loading failed (0: unreachable); null when decoding failed. */
  | { id: number; ok: false; error: string; status: number | null };
