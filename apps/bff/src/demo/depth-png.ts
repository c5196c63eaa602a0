import { type DisparityEncoding, depthToSample, encodingForRange } from '@immichvr/shared';
import sharp from 'sharp';

/** The encoding spanning exactly the depths present (nearest → 65535, farthest → 0). */
export function encodingFor(depthMeters: Float32Array): DisparityEncoding {
  let near = Number.POSITIVE_INFINITY;
  let far = 0;
  for (const z of depthMeters) {
    if (z < near) near = z;
    if (z > far) far = z;
  }
  return encodingForRange(near, far);
}

/** Encodes metric depth as a 16-bit grey disparity PNG. */
export async function depthToPng(
  depthMeters: Float32Array,
  width: number,
  height: number,
  encoding: DisparityEncoding,
): Promise<Buffer> {
  const samples = new Uint16Array(width * height);
  for (let i = 0; i < samples.length; i++) {
    samples[i] = depthToSample(depthMeters[i] as number, encoding);
  }
  // A Uint16Array (not a Buffer view of it) is what sharp reads as 16-bit samples.
  return sharp(samples, { raw: { width, height, channels: 1 } })
    .toColourspace('grey16')
    .png({ compressionLevel: 6 })
    .toBuffer();
}
