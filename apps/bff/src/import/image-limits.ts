/**
 * The largest image decoded: 200 MP (a 16k × 12k panorama) by default, MAX_IMAGE_PIXELS to change.
 * Checked from the file's header before anything is decoded, so a small file that would inflate
 * to gigabytes (a decompression bomb) is refused cheaply.
 */
export const DEFAULT_MAX_IMAGE_PIXELS = 200_000_000;

/** Why an image of this size is refused, or null when it is within the limit. */
export function tooManyPixels(
  width: number | null,
  height: number | null,
  maxPixels: number,
): string | null {
  if (!width || !height || width * height <= maxPixels) return null;
  const mp = (n: number) => `${Math.round(n / 1e5) / 10} MP`;
  return `the image is ${width} × ${height} (${mp(width * height)}); the limit is ${mp(maxPixels)}`;
}
