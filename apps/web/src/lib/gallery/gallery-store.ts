import {
  type MediaItem,
  type MediaPage,
  type MediaStatusEvent,
  mediaUrls,
  monthOf,
  type Timeline,
  type TimelineMonth,
} from '@immichvr/shared';
import type { GalleryFilter } from './gallery-filter';

/** Where the store gets the library from (the API in the app, tables in tests). */
export interface GallerySource {
  timeline(filter: GalleryFilter): Promise<Timeline>;
  /** A page of one month, newest first; `cursor` continues a previous page. */
  monthPage(filter: GalleryFilter, month: string, cursor: string | null): Promise<MediaPage>;
}

export type TimelineState =
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | { state: 'ready'; months: TimelineMonth[]; total: number };

interface MonthItems {
  items: MediaItem[];
  nextCursor: string | null;
  complete: boolean;
  loading: boolean;
  /** How far this month is wanted (index within the month, exclusive). */
  wanted: number;
  error?: string;
}

/** Items fetched per request: one screenful or so. */
const PAGE_SIZE = 120;
/** Live status events remembered for pages still on their way (see `withEventsSince`). */
const RECENT_EVENTS = 2000;

/**
 * The gallery's data: the timeline (items per month) at once, then only the months — and only
 * as far into a month — as the view needs, in pages. Live status events update items in place.
 * React reads it through `subscribe`/`version` (useSyncExternalStore).
 */
export class GalleryStore {
  filter: GalleryFilter = 'all';
  timeline: TimelineState = { state: 'loading' };
  version = 0;
  private months = new Map<string, MonthItems>();
  private firstIndex = new Map<string, number>();
  private listeners = new Set<() => void>();
  private generation = 0;
  /** The latest live status events, in arrival order; `eventCount` numbers them. */
  private recentEvents: MediaStatusEvent[] = [];
  private eventCount = 0;
  /**
   * Months as shown before a reload whose item count did not change, shown until their pages
   * come again: a library change elsewhere does not blank every tile for a moment.
   */
  private shownBefore = new Map<string, MonthItems>();

  constructor(private readonly source: GallerySource) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  getVersion = (): number => this.version;

  private changed(): void {
    this.version++;
    for (const listener of this.listeners) listener();
  }

  setFilter(filter: GalleryFilter): Promise<void> {
    this.filter = filter;
    this.timeline = { state: 'loading' };
    return this.reload();
  }

  /** Loads the timeline again (new or deleted items, a missed event); loaded months are refetched as they are wanted. */
  async reload(): Promise<void> {
    const generation = ++this.generation;
    const wanted = [...this.months].map(([month, m]) => [month, m.wanted] as const);
    this.changed();
    try {
      const timeline = await this.source.timeline(this.filter);
      if (generation !== this.generation) return;
      const counts = (t: TimelineState) =>
        new Map(t.state === 'ready' ? t.months.map((m) => [m.month, m.count]) : []);
      const before = counts(this.timeline);
      this.timeline = { state: 'ready', months: timeline.months, total: timeline.total };
      const after = counts(this.timeline);
      this.shownBefore = new Map(
        [...this.months].filter(
          ([month]) => after.has(month) && before.get(month) === after.get(month),
        ),
      );
      this.months.clear();
      this.firstIndex.clear();
      let index = 0;
      for (const { month, count } of timeline.months) {
        this.firstIndex.set(month, index);
        index += count;
      }
      this.changed();
      for (const [month, upTo] of wanted) this.wantMonth(month, upTo);
    } catch (error) {
      if (generation !== this.generation) return;
      this.shownBefore.clear();
      this.timeline = { state: 'error', message: (error as Error).message };
      this.changed();
    }
  }

  /** The item at a position of the whole (filtered) library, when loaded. */
  itemAt(month: string, indexInMonth: number): MediaItem | undefined {
    return (
      this.months.get(month)?.items[indexInMonth] ??
      this.shownBefore.get(month)?.items[indexInMonth]
    );
  }

  monthError(month: string): string | undefined {
    return this.months.get(month)?.error;
  }

  /** Asks for a month's items up to `upTo` (exclusive); loads pages until they are there. */
  wantMonth(month: string, upTo: number): void {
    if (this.timeline.state !== 'ready' || !this.firstIndex.has(month)) return;
    let entry = this.months.get(month);
    if (!entry) {
      entry = { items: [], nextCursor: null, complete: false, loading: false, wanted: 0 };
      this.months.set(month, entry);
    }
    entry.wanted = Math.max(entry.wanted, upTo);
    if (entry.loading || entry.complete || entry.items.length >= entry.wanted) return;
    if (entry.error) entry.error = undefined;
    void this.loadMore(month, entry, this.generation);
  }

  private async loadMore(month: string, entry: MonthItems, generation: number): Promise<void> {
    entry.loading = true;
    try {
      while (!entry.complete && entry.items.length < entry.wanted) {
        const asked = this.eventCount;
        const page = await this.source.monthPage(this.filter, month, entry.nextCursor);
        if (generation !== this.generation) return;
        // A page may run into the next month: this month ends there.
        const own = this.withEventsSince(
          page.items.filter((i) => monthOf(i.capturedAt ?? i.uploadedAt) === month),
          asked,
        );
        entry.items.push(...own);
        entry.nextCursor = page.nextCursor;
        entry.complete = !page.nextCursor || own.length < page.items.length;
        const shown = this.shownBefore.get(month);
        if (shown && (entry.complete || entry.items.length >= shown.items.length))
          this.shownBefore.delete(month);
        this.changed();
      }
    } catch (error) {
      if (generation !== this.generation) return;
      this.shownBefore.delete(month);
      entry.error = (error as Error).message;
      this.changed();
    } finally {
      entry.loading = false;
    }
  }

  /** Where an item is, when loaded: its month and index within the month and the library. */
  locate(id: string): { month: string; indexInMonth: number; index: number } | undefined {
    for (const [month, entry] of this.months) {
      const indexInMonth = entry.items.findIndex((i) => i.id === id);
      if (indexInMonth >= 0)
        return { month, indexInMonth, index: (this.firstIndex.get(month) ?? 0) + indexInMonth };
    }
    return undefined;
  }

  /** The next (+1) or previous (−1) item in the library, loading the next month when needed. */
  async neighbour(id: string, direction: -1 | 1): Promise<MediaItem | undefined> {
    // Just after a reload (a library change: an upload, an Immich sync) the months in view are
    // being fetched again: a step pressed then waits for them instead of being lost.
    const at = this.locate(id) ?? (await this.afterReload(() => this.locate(id)));
    if (!at || this.timeline.state !== 'ready') return undefined;
    const months = this.timeline.months;
    let m = months.findIndex((x) => x.month === at.month);
    let index = at.indexInMonth + direction;
    while (m >= 0 && m < months.length) {
      const { month, count } = months[m] as TimelineMonth;
      if (index >= 0 && index < count) {
        const item = await this.loaded(month, index);
        if (item) return item;
      }
      m += direction;
      const next = months[m];
      index = direction > 0 ? 0 : (next?.count ?? 0) - 1;
    }
    return undefined;
  }

  private async loaded(month: string, index: number): Promise<MediaItem | undefined> {
    this.wantMonth(month, index + 1);
    for (let tries = 0; tries < 200; tries++) {
      const entry = this.months.get(month);
      const item = entry?.items[index];
      if (item || entry?.complete || entry?.error) return item;
      // Cleared by a reload meanwhile: asked for again once the new timeline is there.
      if (!entry) this.wantMonth(month, index + 1);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return undefined;
  }

  /** Waits (up to 5 s) until `find` finds something while months are being loaded again. */
  private async afterReload<T>(find: () => T | undefined): Promise<T | undefined> {
    for (let tries = 0; tries < 200; tries++) {
      const found = find();
      if (found) return found;
      const loading =
        this.timeline.state === 'loading' || [...this.months.values()].some((m) => m.loading);
      if (!loading && tries > 0) return undefined;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return undefined;
  }

  /**
   * A live status event: the item's state, attempts, error and depth map change in place. An item
   * not loaded yet gets it when its page lands (a page asked for before the event may still show
   * the state before it).
   */
  applyStatus(event: MediaStatusEvent): void {
    this.recentEvents.push(event);
    this.eventCount++;
    if (this.recentEvents.length > RECENT_EVENTS) this.recentEvents.shift();
    for (const entry of this.months.values()) {
      const index = entry.items.findIndex((i) => i.id === event.mediaId);
      if (index < 0) continue;
      entry.items[index] = withStatus(entry.items[index] as MediaItem, event);
      this.changed();
      return;
    }
  }

  /**
   * Makes the loaded months' states current again without taking anything off the screen: each
   * loaded page is asked for again and its items replace those shown (the live events that
   * arrived meanwhile on top). For what may have changed before the live events were
   * connected.
   */
  async refreshStatuses(): Promise<void> {
    const generation = this.generation;
    for (const [month, entry] of [...this.months]) {
      let cursor: string | null = null;
      let seen = 0;
      while (seen < entry.items.length) {
        const asked = this.eventCount;
        const page: MediaPage | null = await this.source
          .monthPage(this.filter, month, cursor)
          .catch(() => null);
        if (!page || generation !== this.generation) return;
        const fresh = new Map(this.withEventsSince(page.items, asked).map((i) => [i.id, i]));
        entry.items = entry.items.map((item) => fresh.get(item.id) ?? item);
        seen += page.items.length;
        cursor = page.nextCursor;
        if (!cursor || page.items.length === 0) break;
      }
      this.changed();
    }
  }

  /** Items as a page gave them, with the live events received since the page was asked for. */
  private withEventsSince(items: MediaItem[], asked: number): MediaItem[] {
    const missed = Math.min(this.eventCount - asked, this.recentEvents.length);
    if (missed <= 0) return items;
    const byItem = new Map<string, MediaStatusEvent[]>();
    for (const event of this.recentEvents.slice(-missed)) {
      const events = byItem.get(event.mediaId);
      if (events) events.push(event);
      else byItem.set(event.mediaId, [event]);
    }
    return items.map((item) => (byItem.get(item.id) ?? []).reduce(withStatus, item));
  }
}

function withStatus(item: MediaItem, event: MediaStatusEvent): MediaItem {
  return {
    ...item,
    processingStatus: event.status,
    processingAttempts: event.attempts,
    lastError: event.lastError,
    processingProgress: event.progress,
    queueId: event.queueId,
    depthMap: event.depthMap,
    urls: mediaUrls(item.id, event.depthMap?.id ?? null),
  };
}

export { PAGE_SIZE as GALLERY_PAGE_SIZE };
