import { describe, expect, it } from 'vitest';
import { blockAt, blockOfIndex, cellsIn, layoutTimeline, rowTopOf } from './timeline-layout';

const months = [
  { month: '2026-05', count: 7 },
  { month: '2026-03', count: 3 },
  { month: '2025-12', count: 100_000 },
];
const layout = layoutTimeline(months, { columns: 3, headerHeight: 10, rowHeight: 100 });

describe('the timeline layout', () => {
  it('stacks months: a title, then rows of tiles', () => {
    expect(layout.blocks.map((b) => [b.month, b.top, b.rows, b.firstIndex])).toEqual([
      ['2026-05', 0, 3, 0],
      ['2026-03', 310, 1, 7],
      ['2025-12', 420, 33_334, 10],
    ]);
    expect(layout.height).toBe(420 + 10 + 33_334 * 100);
    expect(layout.total).toBe(100_010);
  });

  it('finds the month at a position and of an item', () => {
    expect(blockAt(layout, -5)?.month).toBe('2026-05');
    expect(blockAt(layout, 309)?.month).toBe('2026-05');
    expect(blockAt(layout, 310)?.month).toBe('2026-03');
    expect(blockAt(layout, 1e9)?.month).toBe('2025-12');
    expect(blockOfIndex(layout, 6)?.month).toBe('2026-05');
    expect(blockOfIndex(layout, 7)?.month).toBe('2026-03');
    expect(blockOfIndex(layout, 100_009)?.month).toBe('2025-12');
    expect(blockOfIndex(layout, 100_010)).toBeUndefined();
    expect(rowTopOf(layout, 8)).toBe(320);
  });

  it('gives only the tiles in view, wherever the view is', () => {
    const top = cellsIn(layout, 0, 250);
    expect(top.cells.map((c) => c.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const across = cellsIn(layout, 200, 450);
    expect(across.blocks.map((b) => b.month)).toEqual(['2026-05', '2026-03', '2025-12']);
    expect(across.cells.map((c) => c.index)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    // Deep in a 100,000-item month: a window's worth of cells, computed without walking the rest.
    const deep = cellsIn(layout, 2_000_000, 2_000_300);
    expect(deep.cells).toHaveLength(12); // 4 partly visible rows of 3
    expect(deep.cells[0]?.index).toBe(10 + Math.floor((2_000_000 - 430) / 100) * 3);
  });

  it('lays out an empty library', () => {
    const empty = layoutTimeline([], { columns: 4, headerHeight: 1, rowHeight: 1 });
    expect(empty.height).toBe(0);
    expect(cellsIn(empty, 0, 100).cells).toEqual([]);
  });
});
