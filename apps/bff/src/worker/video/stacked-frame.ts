import type { DepthVideoPlan } from './video-plan';

/**
 * One frame of a depth video: the colour frame on top, its depth below as grey (255 = nearest),
 * each half padded to whole macroblock rows by repeating its last row (no edge for the codec to
 * smear across).
 */
export function stackFrame(
  colour: Uint8Array,
  depthLevels: Uint8Array,
  plan: DepthVideoPlan,
  into: Buffer = Buffer.alloc(plan.frameWidth * plan.frameHeight * 3),
): Buffer {
  const { width, height, paddedHeight } = plan;
  const rowBytes = width * 3;
  for (let y = 0; y < paddedHeight; y++) {
    const from = Math.min(y, height - 1) * rowBytes;
    into.set(colour.subarray(from, from + rowBytes), y * rowBytes);
  }
  const depthTop = paddedHeight * rowBytes;
  for (let y = 0; y < paddedHeight; y++) {
    const from = Math.min(y, height - 1) * width;
    let o = depthTop + y * rowBytes;
    for (let x = 0; x < width; x++) {
      const level = depthLevels[from + x] as number;
      into[o++] = level;
      into[o++] = level;
      into[o++] = level;
    }
  }
  return into;
}

/** Where each half is in the frame (the `video` of the depth map's processing_params). */
export function stackedLayout(plan: DepthVideoPlan) {
  return {
    layout: 'colour-over-depth' as const,
    colour: [0, 0, plan.width, plan.height] as [number, number, number, number],
    depth: [0, plan.paddedHeight, plan.width, plan.height] as [number, number, number, number],
    frameWidth: plan.frameWidth,
    frameHeight: plan.frameHeight,
    frameRate: plan.frameRate,
  };
}
