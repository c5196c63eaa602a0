import { describe, expect, it } from 'vitest';
import { planDepthVideo } from './video-plan';

describe('planDepthVideo', () => {
  it('caps the long side at 1280 and the rate at 30 fps, keeping the aspect, halves on macroblock rows', () => {
    const plan = planDepthVideo({
      width: 3840,
      height: 2160,
      framesPerSecond: 59.94,
      durationSeconds: 10,
    });
    expect(plan).toMatchObject({ width: 1280, height: 720, paddedHeight: 720, frameRate: 30 });
    expect(plan).toMatchObject({ frameWidth: 1280, frameHeight: 1440, expectedFrames: 300 });
  });

  it('keeps small and slow videos as they are, padding odd row counts to whole macroblocks', () => {
    const plan = planDepthVideo({
      width: 480,
      height: 270,
      framesPerSecond: 24,
      durationSeconds: 3,
    });
    expect(plan).toMatchObject({ width: 480, height: 270, paddedHeight: 272, frameHeight: 544 });
    expect(plan).toMatchObject({ frameRate: 24, expectedFrames: 72 });
  });

  it('portrait phone video: the long side is the height', () => {
    const plan = planDepthVideo({
      width: 1080,
      height: 1920,
      framesPerSecond: 30,
      durationSeconds: 1,
    });
    expect(plan).toMatchObject({ width: 720, height: 1280, paddedHeight: 1280, frameHeight: 2560 });
  });

  it('refuses a video without a picture size', () => {
    expect(() =>
      planDepthVideo({ width: 0, height: 0, framesPerSecond: 30, durationSeconds: 1 }),
    ).toThrow(/no picture size/);
  });
});
