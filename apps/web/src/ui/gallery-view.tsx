import type { MediaItem } from '@immichvr/shared';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { dayLabel, monthTitle } from '../lib/gallery/format';
import type { GalleryStore } from '../lib/gallery/gallery-store';
import { cellsIn, layoutTimeline, type TimelineLayout } from '../lib/gallery/timeline-layout';
import { useGalleryVersion } from '../lib/gallery/use-gallery-store';
import { statusLook } from '../lib/status-look';

const MIN_TILE_PX = 150;
const GAP_PX = 6;
const HEADER_PX = 44;
/** Rows loaded beyond the view, above and below. */
const OVERSCAN_ROWS = 3;

/** How long the pointer rests on a tile before what opening it needs starts loading. */
const INTENT_MS = 80;

interface Props {
  store: GalleryStore;
  onOpen: (item: MediaItem) => void;
  /** The pointer rests on (or the keyboard focuses) a tile: it is likely to be opened next. */
  onIntent?: (item: MediaItem) => void;
  /** The item to bring into view (the photo just closed), when it is not already. */
  reveal: string | null;
}

/**
 * The desktop/phone gallery: the whole library laid out from its month counts, only the rows
 * near the view in the DOM, items loaded month by month as they come into view. The scroll
 * position survives opening a photo (the viewer is drawn over it).
 */
export function GalleryView({ store, onOpen, onIntent, reveal }: Props) {
  useGalleryVersion(store);
  const scroller = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, width: 0, height: 0 });

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () =>
      setView({ top: el.scrollTop, width: el.clientWidth, height: el.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    let frame = 0;
    const onScroll = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(measure);
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      observer.disconnect();
      el.removeEventListener('scroll', onScroll);
      cancelAnimationFrame(frame);
    };
  }, []);

  const timeline = store.timeline;
  const months = timeline.state === 'ready' ? timeline.months : null;
  const columns = Math.max(2, Math.floor((view.width + GAP_PX) / (MIN_TILE_PX + GAP_PX)));
  const tile = view.width ? (view.width - GAP_PX * (columns - 1)) / columns : MIN_TILE_PX;
  const layout = useMemo(
    () =>
      months &&
      layoutTimeline(months, { columns, headerHeight: HEADER_PX, rowHeight: tile + GAP_PX }),
    [months, columns, tile],
  );
  const overscan = OVERSCAN_ROWS * (tile + GAP_PX);
  const visible = layout
    ? cellsIn(layout, view.top - overscan, view.top + view.height + overscan)
    : null;

  // Ask for what is in view (and a little beyond).
  useEffect(() => {
    if (!visible) return;
    const upTo = new Map<string, number>();
    for (const cell of visible.cells)
      upTo.set(cell.block.month, Math.max(upTo.get(cell.block.month) ?? 0, cell.indexInMonth + 1));
    for (const [month, n] of upTo) store.wantMonth(month, n);
  });

  // Back from a photo that is no longer in view (stepped away): bring it into view.
  useEffect(() => {
    const el = scroller.current;
    if (!reveal || !el || !layout) return;
    const at = store.locate(reveal);
    if (!at) return;
    const block = layout.blocks.find((b) => b.month === at.month);
    if (!block) return;
    const y = block.top + HEADER_PX + Math.floor(at.indexInMonth / columns) * (tile + GAP_PX);
    if (y < el.scrollTop || y + tile > el.scrollTop + el.clientHeight)
      el.scrollTop = y - (el.clientHeight - tile) / 2;
  }, [reveal, layout, store, columns, tile]);

  return (
    <div className="gallery">
      <div className="gallery-scroller" ref={scroller} data-testid="gallery-scroller" tabIndex={-1}>
        {timeline.state === 'loading' && <p data-testid="library-loading">Loading the library…</p>}
        {timeline.state === 'error' && (
          <div role="alert" data-testid="library-error">
            The library could not be loaded: {timeline.message}{' '}
            <button type="button" onClick={() => void store.reload()}>
              Try again
            </button>
          </div>
        )}
        {layout && layout.total === 0 && (
          <p data-testid="library-empty">
            {store.filter === 'all'
              ? 'The library is empty. Add a folder with `pnpm library:import <folder>`.'
              : 'Nothing matches this filter.'}
          </p>
        )}
        {layout && visible && (
          <div
            className="gallery-canvas"
            data-testid="library"
            data-total={layout.total}
            style={{ height: layout.height }}
          >
            {visible.blocks.map((block) => (
              <h2
                key={block.month}
                className="month-title"
                data-testid="month"
                data-month={block.month}
                style={{ top: block.top, height: HEADER_PX }}
              >
                {monthTitle(block.month)}
                <span className="month-count">{block.count.toLocaleString()}</span>
                {store.monthError(block.month) && (
                  <span role="alert">
                    {' '}
                    Could not load: {store.monthError(block.month)}{' '}
                    <button type="button" onClick={() => store.wantMonth(block.month, 1)}>
                      Retry
                    </button>
                  </span>
                )}
              </h2>
            ))}
            {visible.cells.map((cell) => {
              const item = store.itemAt(cell.block.month, cell.indexInMonth);
              const previous =
                cell.indexInMonth > 0 && store.itemAt(cell.block.month, cell.indexInMonth - 1);
              const style = {
                top: cell.y,
                left: cell.column * (tile + GAP_PX),
                width: tile,
                height: tile,
              };
              if (!item)
                return (
                  <div
                    key={`${cell.block.month}/${cell.indexInMonth}`}
                    className="tile placeholder"
                    style={style}
                    aria-busy="true"
                  />
                );
              const day = dayLabel(item.capturedAt ?? item.uploadedAt);
              const newDay =
                !previous || dayLabel(previous.capturedAt ?? previous.uploadedAt) !== day;
              return (
                <MediaTile
                  key={item.id}
                  item={item}
                  style={style}
                  day={newDay ? day : null}
                  onOpen={onOpen}
                  onIntent={onIntent}
                />
              );
            })}
          </div>
        )}
      </div>
      {layout && <Scrubber layout={layout} top={view.top} scroller={scroller} />}
    </div>
  );
}

function MediaTile({
  item,
  style,
  day,
  onOpen,
  onIntent,
}: {
  item: MediaItem;
  style: React.CSSProperties;
  day: string | null;
  onOpen: (item: MediaItem) => void;
  onIntent?: (item: MediaItem) => void;
}) {
  const look = statusLook(item.processingStatus);
  // A pointer resting on the tile (not one sweeping across the grid) starts its loads early.
  const intent = useRef<ReturnType<typeof setTimeout>>(undefined);
  const endIntent = () => clearTimeout(intent.current);
  useEffect(() => () => clearTimeout(intent.current), []);
  // A preview that cannot be made (a format or file that cannot be decoded) is a card that says so.
  const [noPreview, setNoPreview] = useState(false);
  return (
    <button
      type="button"
      className="tile"
      style={style}
      onClick={() => onOpen(item)}
      onPointerEnter={() => {
        endIntent();
        if (onIntent) intent.current = setTimeout(() => onIntent(item), INTENT_MS);
      }}
      onPointerLeave={endIntent}
      onFocus={() => onIntent?.(item)}
      data-testid="media-card"
      data-id={item.id}
      data-media-type={item.mediaType}
      data-status={item.processingStatus ?? 'none'}
      data-has-depth={item.depthMap ? 'true' : 'false'}
      title={item.lastError ? `${item.originalFilename}: ${item.lastError}` : item.originalFilename}
    >
      {noPreview ? (
        <span className="tile-missing" data-testid="tile-no-preview">
          <strong>No preview</strong>
          <span>{item.lastError ?? item.originalFilename}</span>
        </span>
      ) : (
        <img
          src={item.urls.preview}
          alt={item.originalFilename}
          loading="lazy"
          decoding="async"
          onError={() => setNoPreview(true)}
        />
      )}
      {item.mediaType === 'video' && (
        <span className="chip video" data-testid="video-badge">
          ▶ video
        </span>
      )}
      {item.depthMap && (
        <span className="chip depth" data-testid="depth-badge">
          3D
        </span>
      )}
      {look.badge && (
        <span className="chip status" style={{ color: look.colour }} data-testid="status-badge">
          {look.badge}
        </span>
      )}
      {day && <span className="day">{day}</span>}
    </button>
  );
}

/** Jump by month: every month of the timeline, the one in view marked. */
function Scrubber({
  layout,
  top,
  scroller,
}: {
  layout: TimelineLayout;
  top: number;
  scroller: React.RefObject<HTMLDivElement | null>;
}) {
  const current = layout.blocks.findLast((b) => b.top <= top + 1)?.month;
  return (
    <nav className="scrubber" aria-label="Jump to month" data-testid="scrubber">
      {layout.blocks.map((block, i) => {
        const year = block.month.slice(0, 4);
        const newYear = i === 0 || layout.blocks[i - 1]?.month.slice(0, 4) !== year;
        return (
          <button
            key={block.month}
            type="button"
            className="scrubber-month"
            aria-current={block.month === current ? 'true' : undefined}
            data-testid="scrubber-month"
            data-month={block.month}
            title={monthTitle(block.month)}
            onClick={() => {
              if (scroller.current) scroller.current.scrollTop = block.top;
            }}
          >
            {newYear ? year : ''} {monthTitle(block.month).slice(0, 3)}
          </button>
        );
      })}
    </nav>
  );
}
