import { decode } from 'fast-png';

export interface DepthSamples {
  width: number;
  height: number;
  /** 16-bit disparity samples (near = 65535), row-major, top row first. */
  samples: Uint16Array;
  /** Bits per sample in the file: 8-bit maps are widened but keep only 256 levels. */
  bitDepth: 8 | 16;
}

export class DepthDecodeError extends Error {
  override name = 'DepthDecodeError';
}

/**
 * Decodes a depth PNG ourselves: the browser would hand WebGL 8 bits of a 16-bit PNG. Grey (or
 * grey+alpha, RGB: the first channel) at 8 or 16 bits.
 */
export function decodeDepthPng(bytes: Uint8Array): DepthSamples {
  let png: ReturnType<typeof decode>;
  try {
    png = decode(bytes);
  } catch (error) {
    throw new DepthDecodeError(`not a PNG depth map: ${(error as Error).message}`);
  }
  const { width, height, channels, depth } = png;
  if (depth !== 8 && depth !== 16) throw new DepthDecodeError(`unsupported bit depth ${depth}`);
  const count = width * height;
  const samples = new Uint16Array(count);
  const data = png.data as Uint8Array | Uint16Array;
  const widen = depth === 8 ? 257 : 1;
  for (let i = 0; i < count; i++) samples[i] = (data[i * channels] as number) * widen;
  return { width, height, samples, bitDepth: depth };
}
