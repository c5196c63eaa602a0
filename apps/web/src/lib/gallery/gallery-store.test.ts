import { type MediaItem, mediaUrls } from '@immichvr/shared';
import { describe, expect, it } from 'vitest';
import type { GalleryFilter } from './gallery-filter';
import { type GallerySource, GalleryStore } from './gallery-store';

/** A library in memory: n items per month, newest first, served the way the API pages them. */
function libraryOf(perMonth: Record<string, number>) {
  const items: MediaItem[] = [];
  let n = 0;
  for (const [month, count] of Object.entries(perMonth))
    for (let i = 0; i < count; i++) {
      const id = `00000000-0000-4000-8000-${String(n++).padStart(12, '0')}`;
      const day = String(28 - (i % 27)).padStart(2, '0');
      items.push({
        id,
        originalFilename: `${month}-${i}.jpg`,
        mediaType: 'photo',
        width: 4,
        height: 3,
        capturedAt: `${month}-${day}T12:00:00.000Z`,
        uploadedAt: '2026-01-01T00:00:00.000Z',
        processingStatus: null,
        processingAttempts: null,
        lastError: null,
        queueId: null,
        processingProgress: null,
        depthMap: null,
        urls: mediaUrls(id, null),
      });
    }
  const requests: string[] = [];
  const source: GallerySource = {
    timeline: async (_filter: GalleryFilter) => ({
      total: items.length,
      months: Object.entries(perMonth).map(([month, count]) => ({ month, count })),
    }),
    monthPage: async (_filter, month, cursor) => {
      requests.push(`${month}@${cursor ?? 0}`);
      const start = cursor
        ? Number(cursor)
        : items.findIndex((i) => i.capturedAt?.startsWith(month));
      const page = items.slice(start, start + 120);
      const next = start + 120 < items.length ? String(start + 120) : null;
      return { items: page, nextCursor: next };
    },
  };
  return { items, source, requests };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('the gallery store', () => {
  it('loads only the wanted part of a month, in pages, and stops at the month end', async () => {
    const lib = libraryOf({ '2026-05': 300, '2026-04': 5 });
    const store = new GalleryStore(lib.source);
    await store.reload();
    expect(store.timeline).toMatchObject({ state: 'ready', total: 305 });
    store.wantMonth('2026-05', 10);
    await settle();
    expect(lib.requests).toEqual(['2026-05@0']);
    expect(store.itemAt('2026-05', 119)?.originalFilename).toBe('2026-05-119.jpg');
    expect(store.itemAt('2026-05', 120)).toBeUndefined();
    store.wantMonth('2026-05', 300);
    await settle();
    // The third page runs into April: those items are not May's.
    expect(lib.requests).toEqual(['2026-05@0', '2026-05@120', '2026-05@240']);
    expect(store.itemAt('2026-05', 299)?.originalFilename).toBe('2026-05-299.jpg');
    expect(store.itemAt('2026-05', 300)).toBeUndefined();
  });

  it('steps to the next and previous item across months', async () => {
    const lib = libraryOf({ '2026-05': 2, '2026-04': 2 });
    const store = new GalleryStore(lib.source);
    await store.reload();
    store.wantMonth('2026-05', 2);
    await settle();
    const second = store.itemAt('2026-05', 1) as MediaItem;
    const next = await store.neighbour(second.id, 1);
    expect(next?.originalFilename).toBe('2026-04-0.jpg');
    expect((await store.neighbour(next?.id ?? '', -1))?.id).toBe(second.id);
    const first = store.itemAt('2026-05', 0) as MediaItem;
    expect(await store.neighbour(first.id, -1)).toBeUndefined();
  });

  it('steps from an open item right after a reload, while its month is fetched again', async () => {
    const lib = libraryOf({ '2026-05': 3, '2026-04': 2 });
    // Pages take a while to come, as over the network.
    const store = new GalleryStore({
      ...lib.source,
      monthPage: async (...args) => {
        await new Promise((resolve) => setTimeout(resolve, 30));
        return lib.source.monthPage(...args);
      },
    });
    await store.reload();
    store.wantMonth('2026-05', 3);
    await new Promise((resolve) => setTimeout(resolve, 60));
    const at = lib.items[2]?.id as string;
    // A library change: the timeline and the months in view load again.
    const reloading = store.reload();
    await reloading;
    expect(store.locate(at)).toBeUndefined();
    expect((await store.neighbour(at, 1))?.id).toBe(lib.items[3]?.id);
    expect((await store.neighbour(at, -1))?.id).toBe(lib.items[1]?.id);
  });

  it('applies live status and depth map changes in place', async () => {
    const lib = libraryOf({ '2026-05': 3 });
    const store = new GalleryStore(lib.source);
    await store.reload();
    store.wantMonth('2026-05', 3);
    await settle();
    const item = store.itemAt('2026-05', 2) as MediaItem;
    const before = store.version;
    const depthMap = {
      id: '10000000-0000-4000-8000-000000000000',
      format: 'png' as const,
      width: 518,
      height: 389,
      modelName: 'immichvr-heuristic',
      generatedAt: '2026-05-03T00:00:00.000Z',
    };
    store.applyStatus({
      mediaId: item.id,
      queueId: '20000000-0000-4000-8000-000000000000',
      status: 'completed',
      attempts: 1,
      lastError: null,
      progress: null,
      depthMap,
    });
    expect(store.version).toBeGreaterThan(before);
    expect(store.itemAt('2026-05', 2)).toMatchObject({
      processingStatus: 'completed',
      depthMap,
      urls: { depth: `/api/media/${item.id}/depth?v=${depthMap.id}` },
    });
  });

  it('keeps a status that arrived while the item’s page was on its way, and refreshes shown states in place', async () => {
    const lib = libraryOf({ '2026-05': 3 });
    const failed = (mediaId: string) => ({
      mediaId,
      queueId: '20000000-0000-4000-8000-000000000000',
      status: 'failed' as const,
      attempts: 1,
      lastError: 'the original could not be decoded',
      progress: null,
      depthMap: null,
    });
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let holding = true;
    const store = new GalleryStore({
      ...lib.source,
      // The page is read (the job still processing), then answered after the job has failed.
      monthPage: async (filter, month, cursor) => {
        const page = await lib.source.monthPage(filter, month, cursor);
        const read = structuredClone(page);
        if (holding) await held;
        return read;
      },
    });
    await store.reload();
    const [first, second] = lib.items as [MediaItem, MediaItem];
    first.processingStatus = 'processing';
    store.wantMonth('2026-05', 3);
    await settle();
    first.processingStatus = 'failed'; // the job fails on the server,
    store.applyStatus(failed(first.id)); // and its live event comes before the page
    release();
    await settle();
    expect(store.itemAt('2026-05', 0)).toMatchObject({
      processingStatus: 'failed',
      lastError: 'the original could not be decoded',
    });

    // A change no event told of (before the events were connected): refreshed in place.
    holding = false;
    second.processingStatus = 'completed';
    const shown = store.itemAt('2026-05', 1);
    await store.refreshStatuses();
    expect(store.itemAt('2026-05', 1)).toMatchObject({
      id: shown?.id,
      processingStatus: 'completed',
    });
    expect(store.itemAt('2026-05', 0)).toMatchObject({ processingStatus: 'failed' });
  });

  it('keeps showing a month whose count did not change while it loads again after a library change', async () => {
    const lib = libraryOf({ '2026-05': 3, '2026-04': 2 });
    let slowPages = false;
    let mayGrew = false;
    const store = new GalleryStore({
      ...lib.source,
      monthPage: async (...args) => {
        if (slowPages) await new Promise((resolve) => setTimeout(resolve, 50));
        return lib.source.monthPage(...args);
      },
      // An item added to May elsewhere: May's count changes, April's does not.
      timeline: async (filter) => {
        const timeline = await lib.source.timeline(filter);
        const months = timeline.months.map((m) =>
          mayGrew && m.month === '2026-05' ? { ...m, count: 4 } : m,
        );
        return { ...timeline, months };
      },
    });
    await store.reload();
    store.wantMonth('2026-05', 3);
    store.wantMonth('2026-04', 2);
    await settle();
    const april = store.itemAt('2026-04', 1);
    expect(april).toBeDefined();
    slowPages = true;
    mayGrew = true;
    await store.reload(); // the timeline is in, the pages are on their way
    expect(store.itemAt('2026-04', 1)).toEqual(april); // unchanged month: still shown
    expect(store.itemAt('2026-05', 0)).toBeUndefined(); // changed month: not guessed at
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(store.itemAt('2026-04', 1)).toEqual(april);
    expect(store.itemAt('2026-05', 0)).toEqual(lib.items[0]);
    // Another filter: nothing of the old one is shown while its pages load.
    await store.setFilter('videos');
    expect(store.itemAt('2026-04', 1)).toBeUndefined();
  });

  it('shows a failed timeline as an error, and recovers on reload', async () => {
    const lib = libraryOf({ '2026-05': 1 });
    let fail = true;
    const store = new GalleryStore({
      ...lib.source,
      timeline: async (filter) => {
        if (fail) throw new Error('HTTP 503');
        return lib.source.timeline(filter);
      },
    });
    await store.reload();
    expect(store.timeline).toEqual({ state: 'error', message: 'HTTP 503' });
    fail = false;
    await store.reload();
    expect(store.timeline.state).toBe('ready');
  });
});
