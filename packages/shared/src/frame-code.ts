/**
 * A frame number drawn into the demo videos as a row of squares (white/near = 1, black/far = 0,
 * least significant bit first), in the colour frame and in its depth, so a test can read which
 * frame each half shows and prove they match.
 */
export const FRAME_CODE_BITS = 10;

export interface FrameCodeCell {
  x: number;
  y: number;
  size: number;
}

/** Where bit i's square is in a picture of this size (bottom-left corner, rows from the top). */
export function frameCodeCells(width: number, height: number): FrameCodeCell[] {
  const size = Math.max(4, Math.round(width / 60));
  const margin = Math.round(size / 2);
  return Array.from({ length: FRAME_CODE_BITS }, (_, i) => ({
    x: margin + i * size,
    y: height - margin - size,
    size,
  }));
}

/** Paints the code of `frame` into a picture through `fill(x, y, on)`, cell by cell. */
export function drawFrameCode(
  frame: number,
  width: number,
  height: number,
  fill: (x: number, y: number, on: boolean) => void,
): void {
  frameCodeCells(width, height).forEach((cell, bit) => {
    const on = ((frame >> bit) & 1) === 1;
    for (let y = cell.y; y < cell.y + cell.size; y++)
      for (let x = cell.x; x < cell.x + cell.size; x++) fill(x, y, on);
  });
}

/**
 * Reads a frame code through `brightness(x, y)` (0…255) at the middle of each square of a picture
 * of this size (the middle half of each square, averaged: codec blur at its edges does not matter).
 */
export function readFrameCode(
  width: number,
  height: number,
  brightness: (x: number, y: number) => number,
): number {
  let frame = 0;
  frameCodeCells(width, height).forEach((cell, bit) => {
    const inset = Math.floor(cell.size / 4);
    let sum = 0;
    let n = 0;
    for (let y = cell.y + inset; y < cell.y + cell.size - inset; y++)
      for (let x = cell.x + inset; x < cell.x + cell.size - inset; x++) {
        sum += brightness(x, y);
        n++;
      }
    if (sum / n >= 128) frame |= 1 << bit;
  });
  return frame;
}
