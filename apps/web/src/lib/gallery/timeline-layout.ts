import type { TimelineMonth } from '@immichvr/shared';

/** Sizes in any unit (CSS pixels on a page, metres on a wall in VR). */
export interface LayoutOptions {
  columns: number;
  /** Height of a month's title above its rows. */
  headerHeight: number;
  /** Height of one row of tiles, gap included. */
  rowHeight: number;
}

/** One month of the timeline: its title at `top`, then `rows` rows of tiles. */
export interface MonthBlock {
  month: string;
  count: number;
  /** Position of the month's first item in the whole (filtered) library. */
  firstIndex: number;
  top: number;
  rows: number;
  height: number;
}

export interface TimelineLayout extends LayoutOptions {
  blocks: MonthBlock[];
  height: number;
  total: number;
}

/** One tile in view. */
export interface LayoutCell {
  block: MonthBlock;
  /** Index within its month and within the whole library. */
  indexInMonth: number;
  index: number;
  column: number;
  /** Top edge of its row. */
  y: number;
}

/**
 * Lays out the whole library from its month counts alone, so the gallery knows its full height
 * (and where each month starts) before it has loaded a single item.
 */
export function layoutTimeline(months: TimelineMonth[], options: LayoutOptions): TimelineLayout {
  const columns = Math.max(1, Math.floor(options.columns));
  const blocks: MonthBlock[] = [];
  let top = 0;
  let firstIndex = 0;
  for (const { month, count } of months) {
    const rows = Math.ceil(count / columns);
    const height = options.headerHeight + rows * options.rowHeight;
    blocks.push({ month, count, firstIndex, top, rows, height });
    top += height;
    firstIndex += count;
  }
  return { ...options, columns, blocks, height: top, total: firstIndex };
}

/** The block under a position (the first or last when outside). Binary search: O(log months). */
export function blockAt(layout: TimelineLayout, y: number): MonthBlock | undefined {
  const { blocks } = layout;
  let low = 0;
  let high = blocks.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((blocks[mid] as MonthBlock).top <= y) low = mid;
    else high = mid - 1;
  }
  return blocks[low];
}

/** The block holding an item, by its index in the whole library. */
export function blockOfIndex(layout: TimelineLayout, index: number): MonthBlock | undefined {
  const { blocks } = layout;
  let low = 0;
  let high = blocks.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((blocks[mid] as MonthBlock).firstIndex <= index) low = mid;
    else high = mid - 1;
  }
  const block = blocks[low];
  return block && index >= block.firstIndex && index < block.firstIndex + block.count
    ? block
    : undefined;
}

/** Top edge of an item's row. */
export function rowTopOf(layout: TimelineLayout, index: number): number | undefined {
  const block = blockOfIndex(layout, index);
  if (!block) return undefined;
  const row = Math.floor((index - block.firstIndex) / layout.columns);
  return block.top + layout.headerHeight + row * layout.rowHeight;
}

/** Month titles and tiles whose rows overlap [top, bottom). */
export function cellsIn(
  layout: TimelineLayout,
  top: number,
  bottom: number,
): { blocks: MonthBlock[]; cells: LayoutCell[] } {
  const blocks: MonthBlock[] = [];
  const cells: LayoutCell[] = [];
  const first = blockAt(layout, top);
  if (!first) return { blocks, cells };
  const { columns, headerHeight, rowHeight } = layout;
  for (let b = layout.blocks.indexOf(first); b < layout.blocks.length; b++) {
    const block = layout.blocks[b] as MonthBlock;
    if (block.top >= bottom) break;
    blocks.push(block);
    const rowsTop = block.top + headerHeight;
    const firstRow = Math.max(0, Math.floor((top - rowsTop) / rowHeight));
    const lastRow = Math.min(block.rows - 1, Math.floor((bottom - rowsTop) / rowHeight));
    for (let row = firstRow; row <= lastRow; row++) {
      const y = rowsTop + row * rowHeight;
      if (y + rowHeight <= top || y >= bottom) continue;
      for (let column = 0; column < columns; column++) {
        const indexInMonth = row * columns + column;
        if (indexInMonth >= block.count) break;
        cells.push({ block, indexInMonth, index: block.firstIndex + indexInMonth, column, y });
      }
    }
  }
  return { blocks, cells };
}
