import { describe, expect, it } from 'vitest';
import { layoutTimeline } from './timeline-layout';
import { easeScroll, type WallShape, wallWindow } from './wall-window';

const shape: WallShape = {
  columns: 6,
  pitch: 0.27,
  header: 0.14,
  viewHeight: 1.15,
  center: [0, 1.38, -2],
  maxTiles: 36,
  prefetchRows: 4,
};
const layout = layoutTimeline(
  [
    { month: '2026-10', count: 7 },
    { month: '2026-09', count: 30 },
    { month: '2026-08', count: 2 },
  ],
  { columns: shape.columns, headerHeight: shape.header, rowHeight: shape.pitch },
);

describe('the VR wall window', () => {
  it('shows the rows in view from the top, placed in the room, and asks for what they need', () => {
    const at = wallWindow(layout, 0, shape);
    expect(at.month).toBe('2026-10');
    // October's two rows, then September's rows down to the window's bottom edge.
    expect(at.tiles[0]?.cell.block.month).toBe('2026-10');
    expect(at.tiles[0]?.position).toEqual([
      -2.5 * shape.pitch,
      1.38 + 1.15 / 2 - shape.header - shape.pitch / 2,
      -2,
    ]);
    expect(at.tiles.every((t) => t.alpha >= 0 && t.alpha <= 1)).toBe(true);
    expect(at.tiles.filter((t) => t.alpha === 1).length).toBeGreaterThan(12);
    // Each month in view is wanted as far as its rows in view plus four rows ahead (the store
    // stops at the month's count).
    expect(at.wanted.get('2026-10')).toBe(7 + 24);
    const lastSeptember = Math.max(
      ...at.tiles.filter((t) => t.cell.block.month === '2026-09').map((t) => t.cell.indexInMonth),
    );
    expect(at.wanted.get('2026-09')).toBe(lastSeptember + 1 + 24);
    expect(at.titles.map((t) => t.month)).toEqual(['2026-10', '2026-09']);
  });

  it('moves with the scroll: rows leaving the window fade, months come and go', () => {
    const september = layout.blocks[1]?.top as number;
    const at = wallWindow(layout, september + 0.1, shape);
    expect(at.month).toBe('2026-09');
    expect(at.titles.map((t) => t.month)).toEqual(['2026-09']);
    const leaving = at.tiles.filter((t) => t.alpha < 1);
    expect(leaving.length).toBeGreaterThan(0);
    expect(at.tiles.length).toBeLessThanOrEqual(shape.maxTiles);
    const end = wallWindow(layout, layout.height - shape.viewHeight, shape);
    expect(end.titles.map((t) => t.month)).toContain('2026-08');
    expect(end.wanted.get('2026-08')).toBe(2 + 24);
  });

  it('eases the scroll to its target, clamped to the timeline', () => {
    let scroll = { position: 0, target: 100 };
    for (let i = 0; i < 120; i++) scroll = easeScroll(scroll, layout, shape, 1 / 60);
    expect(scroll.target).toBeCloseTo(layout.height - shape.viewHeight, 12);
    expect(scroll.position).toBe(scroll.target);
    expect(easeScroll({ position: 0.5, target: -3 }, layout, shape, 1 / 60).target).toBe(0);
  });
});
