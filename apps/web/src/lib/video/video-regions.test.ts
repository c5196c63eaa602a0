import type { DepthVideo } from '@immichvr/shared';
import { describe, expect, it } from 'vitest';
import { videoRegions } from './video-regions';

const layout: DepthVideo = {
  layout: 'colour-over-depth',
  colour: [0, 0, 480, 270],
  depth: [0, 272, 480, 270],
  frameWidth: 480,
  frameHeight: 544,
  frameRate: 24,
  stats: { low: 0.1, reference: 0.5, high: 0.9 },
};

/** The frame row (from the top) a picture v (0 = bottom … 1 = top) lands on through a region. */
const rowOf = (r: ReturnType<typeof videoRegions>['colour'], v: number) =>
  (1 - (r.offset[1] + v * r.scale[1])) * 544;

describe('videoRegions', () => {
  it('a plain video is all colour', () => {
    const r = videoRegions({ width: 1920, height: 1080 }, null);
    expect(r.colour).toEqual({ offset: [0, 0], scale: [1, 1], texels: [1920, 1080] });
    expect(r.depth).toBeNull();
    expect(r.aspect).toBeCloseTo(16 / 9);
  });

  it('a depth video: colour rows 0…269 on top, depth rows 272…541 below, same picture coordinates', () => {
    const r = videoRegions({ width: 480, height: 544 }, layout);
    expect(r.aspect).toBeCloseTo(480 / 270);
    // Picture top (v = 1) is the first row of each half; picture bottom (v = 0) its last row's edge.
    expect(rowOf(r.colour, 1)).toBeCloseTo(0);
    expect(rowOf(r.colour, 0)).toBeCloseTo(270);
    expect(rowOf(r.depth as never, 1)).toBeCloseTo(272);
    expect(rowOf(r.depth as never, 0)).toBeCloseTo(542);
    expect(r.depth?.texels).toEqual([480, 270]);
    expect(r.colour.offset[0]).toBe(0);
    expect(r.colour.scale[0]).toBe(1);
  });
});
