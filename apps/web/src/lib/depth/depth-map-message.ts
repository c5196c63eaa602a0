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
}

export interface DepthMapRequest {
  id: number;
  bytes: ArrayBuffer;
}

export type DepthMapResult =
  | { id: number; ok: true; map: DecodedDepthMap }
  | { id: number; ok: false; error: string };
