import { describe, expect, it } from 'vitest';
import { drawFrameCode, FRAME_CODE_BITS, readFrameCode } from './frame-code';

describe('frame code', () => {
  it('reads back every frame number it draws, at several picture sizes', () => {
    for (const [width, height] of [
      [480, 270],
      [1280, 720],
      [270, 480],
    ] as const) {
      const pixels = new Uint8Array(width * height).fill(77);
      for (const frame of [0, 1, 2, 511, 512, 700, 2 ** FRAME_CODE_BITS - 1]) {
        drawFrameCode(frame, width, height, (x, y, on) => {
          pixels[y * width + x] = on ? 255 : 0;
        });
        expect(readFrameCode(width, height, (x, y) => pixels[y * width + x] as number)).toBe(frame);
      }
    }
  });

  it('survives blur at the squares’ edges', () => {
    const width = 480;
    const height = 270;
    const pixels = new Float32Array(width * height).fill(128);
    drawFrameCode(613, width, height, (x, y, on) => {
      pixels[y * width + x] = on ? 230 : 25;
    });
    const blurred = (x: number, y: number) =>
      ((pixels[y * width + x - 1] as number) +
        (pixels[y * width + x] as number) +
        (pixels[y * width + x + 1] as number)) /
      3;
    expect(readFrameCode(width, height, blurred)).toBe(613);
  });
});
