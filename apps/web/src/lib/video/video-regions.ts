import type { DepthVideo } from '@immichvr/shared';

/** Where a picture lies in its texture (see TextureRegion in depth-surface-material.ts). */
export interface Region {
  offset: [number, number];
  scale: [number, number];
  texels: [number, number];
}

/**
 * Where a video frame's colour and depth lie in its texture (uploaded with flipY, so texture v = 0
 * is the frame's bottom row): for a depth video, the rectangles its layout records; for a plain
 * video, all of it is colour.
 */
export function videoRegions(
  frame: { width: number; height: number },
  layout: DepthVideo | null,
): { colour: Region; depth: Region | null; aspect: number } {
  if (!layout) {
    return {
      colour: { offset: [0, 0], scale: [1, 1], texels: [frame.width, frame.height] },
      depth: null,
      aspect: frame.width / frame.height,
    };
  }
  // The layout is in the frame's own pixels; the decoded frame may be scaled (it is not, in practice).
  const sx = frame.width / layout.frameWidth;
  const sy = frame.height / layout.frameHeight;
  const region = ([x, y, w, h]: DepthVideo['colour']): Region => ({
    offset: [x / layout.frameWidth, 1 - (y + h) / layout.frameHeight],
    scale: [w / layout.frameWidth, h / layout.frameHeight],
    texels: [w * sx, h * sy],
  });
  const [, , w, h] = layout.colour;
  return { colour: region(layout.colour), depth: region(layout.depth), aspect: w / h };
}
