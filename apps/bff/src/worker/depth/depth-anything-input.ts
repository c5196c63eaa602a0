import sharp from 'sharp';
import type { RgbImage } from './estimator';

/** Depth Anything V2's input transform: short edge ≥ 518, both sides multiples of 14, ImageNet normalisation. */
export const DEPTH_ANYTHING_INPUT = {
  shortEdge: 518,
  multipleOf: 14,
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
} as const;

/** Input size for an image: aspect kept, each side a multiple of 14, the short one at least 518. */
export function modelInputSize(width: number, height: number): { width: number; height: number } {
  const { shortEdge, multipleOf } = DEPTH_ANYTHING_INPUT;
  const scale = shortEdge / Math.min(width, height);
  const roundUp = (v: number) =>
    Math.max(multipleOf, Math.ceil((v * scale) / multipleOf - 1e-9) * multipleOf);
  return { width: roundUp(width), height: roundUp(height) };
}

/**
 * The image as the model takes it: resized (to `fixed` when the model has a fixed size), planar
 * RGB floats normalised with ImageNet's mean and deviation, shape [1, 3, height, width].
 */
export async function depthAnythingTensor(
  image: RgbImage,
  fixed: { width: number; height: number } | null = null,
): Promise<{ pixels: Float32Array; width: number; height: number }> {
  const size = fixed ?? modelInputSize(image.width, image.height);
  const data = await sharp(image.data, {
    raw: { width: image.width, height: image.height, channels: 3 },
  })
    .resize(size.width, size.height, { fit: 'fill', kernel: 'cubic' })
    .raw()
    .toBuffer();
  const plane = size.width * size.height;
  const pixels = new Float32Array(3 * plane);
  const { mean, std } = DEPTH_ANYTHING_INPUT;
  for (let i = 0; i < plane; i++)
    for (let c = 0; c < 3; c++)
      pixels[c * plane + i] =
        ((data[i * 3 + c] as number) / 255 - (mean[c] as number)) / (std[c] as number);
  return { pixels, width: size.width, height: size.height };
}
