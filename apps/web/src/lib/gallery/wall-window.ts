import { blockAt, cellsIn, type LayoutCell, type TimelineLayout } from './timeline-layout';

/** The wall's shape (metres): its columns, row pitch, month title height and visible window. */
export interface WallShape {
  columns: number;
  pitch: number;
  header: number;
  viewHeight: number;
  /** Centre of the visible window. */
  center: readonly [number, number, number];
  /** Tiles the wall can draw at once. */
  maxTiles: number;
  /** Items asked for beyond the last one in view, in rows (so scrolling finds them loaded). */
  prefetchRows: number;
}

export interface WallScroll {
  /** Metres from the top of the timeline; eases towards `target`. */
  position: number;
  target: number;
}

/** One tile in view, placed on the wall. */
export interface WallTile {
  cell: LayoutCell;
  position: [number, number, number];
  /** 1 inside the window, fading to 0 as its row leaves it. */
  alpha: number;
}

/** What the wall shows at one scroll position. */
export interface WallWindow {
  tiles: WallTile[];
  /** For each month in view, how many of its items are wanted loaded (from its first). */
  wanted: Map<string, number>;
  /** Month titles in view, with the height their label stands at. */
  titles: Array<{ month: string; y: number }>;
  /** The month at the top of the window. */
  month: string | undefined;
}

/**
 * Moves the scroll towards its target (clamped to the timeline), easing at `rate` per second:
 * a new scroll, the same when settled.
 */
export function easeScroll(
  scroll: WallScroll,
  layout: TimelineLayout,
  shape: WallShape,
  deltaSeconds: number,
  rate = 12,
): WallScroll {
  const maxScroll = Math.max(0, layout.height - shape.viewHeight);
  const target = Math.min(maxScroll, Math.max(0, scroll.target));
  const position =
    scroll.position + (target - scroll.position) * (1 - Math.exp(-deltaSeconds * rate));
  return { target, position: Math.abs(target - position) < 1e-4 ? target : position };
}

/**
 * The wall at a scroll position: the tiles of the rows in view (and one partly in view at each
 * edge) with their room positions and fades, what to load for them, and the month titles in view.
 */
export function wallWindow(layout: TimelineLayout, scroll: number, shape: WallShape): WallWindow {
  const [cx, cy, cz] = shape.center;
  const top = cy + shape.viewHeight / 2;
  const { cells, blocks } = cellsIn(layout, scroll - shape.pitch, scroll + shape.viewHeight);
  const tiles: WallTile[] = [];
  const wanted = new Map<string, number>();
  for (const cell of cells.slice(0, shape.maxTiles)) {
    const rowTop = cell.y - scroll;
    tiles.push({
      cell,
      position: [
        cx + (cell.column - (shape.columns - 1) / 2) * shape.pitch,
        top - rowTop - shape.pitch / 2,
        cz,
      ],
      alpha: Math.max(
        0,
        Math.min(
          1,
          (rowTop + shape.pitch) / shape.pitch,
          (shape.viewHeight - rowTop) / shape.pitch,
        ),
      ),
    });
    const upTo = cell.indexInMonth + 1 + shape.columns * shape.prefetchRows;
    wanted.set(cell.block.month, Math.max(wanted.get(cell.block.month) ?? 0, upTo));
  }
  const titles = blocks
    .filter((b) => b.top + shape.header > scroll && b.top < scroll + shape.viewHeight)
    .map((b) => ({ month: b.month, y: top - (b.top - scroll) - shape.header / 2 }));
  return { tiles, wanted, titles, month: blockAt(layout, scroll + 0.01)?.month };
}
