import { coarseDepthUrl, type MediaDetail, type MediaItem } from '@immichvr/shared';
import type { DecodedDepthMap, DepthMapResult } from '../lib/depth/depth-map-message';
import { ApiError, api, fetchFile } from './client';

/**
 * Everything a view of one item loads — its detail, its picture, its depth map — goes through
 * small caches of promises by URL, so selecting an item can start all of it at once
 * (`preloadMedia`) and the view that opens picks up what is already on its way. The most recent
 * are kept, each kind by its size: details are tiny, a decoded depth map ~1–4 MB (its coarse
 * version ~0.1 MB), a 2048 px picture ~11 MB, a 256 px one ~0.2 MB. A failed load is forgotten,
 * so asking again tries again.
 */
class RecentLoads {
  private readonly loads = new Map<string, Promise<unknown>>();
  constructor(private readonly keep: number) {}

  once<T>(key: string, load: () => Promise<T>): Promise<T> {
    const known = this.loads.get(key) as Promise<T> | undefined;
    if (known) {
      this.loads.delete(key);
      this.loads.set(key, known);
      return known;
    }
    const started = load();
    started.catch(() => this.loads.delete(key));
    this.loads.set(key, started);
    while (this.loads.size > this.keep) this.loads.delete(this.loads.keys().next().value as string);
    return started;
  }

  has(key: string): boolean {
    return this.loads.has(key);
  }

  forget(key: string): void {
    this.loads.delete(key);
  }
}

const details = new RecentLoads(64);
const depthMaps = new RecentLoads(16);
const pictures = new RecentLoads(4);
const thumbnails = new RecentLoads(16);

/**
 * Starts loading what opening this item will show, side by side, while its view is created. On a
 * selection (`large: false`) the large picture is left to the view, which asks for it once it has
 * the item's detail: decoded at once, it competed with the depth map's first steps and put the
 * first 3D frame later (A/B, 18 first opens each on software rendering: 201 → 146 ms issued,
 * 530 → 459 ms on screen, medians). A pointer resting on a tile loads it too: the time before the
 * click is free.
 */
export function preloadMedia(item: MediaItem, { large = true }: { large?: boolean } = {}): void {
  const ignore = () => undefined; // the view reports the error when it asks
  loadMediaDetail(item.id).catch(ignore);
  if (large) loadPicture(item.urls.previewLarge).catch(ignore);
  if (item.urls.depth && item.depthMap?.format === 'png') {
    const { coarse, full } = loadPhotoDepthMaps(item.urls.depth);
    coarse?.catch(ignore);
    full.catch(ignore);
  }
}

/** One item's detail; `fresh` asks the server again (a newer depth map was announced). */
export function loadMediaDetail(id: string, fresh = false): Promise<MediaDetail> {
  const key = `detail:${id}`;
  if (fresh) details.forget(key);
  return details.once(key, () => api.mediaDetail(id));
}

/** A picture decoded off the main thread, bottom row first (as WebGL textures are read). */
export function loadPicture(url: string): Promise<ImageBitmap> {
  return pictures.once(url, () => decodePicture(url));
}

/** A 256 px preview, decoded as loadPicture does (kept apart: many, and small). */
export function loadThumbnail(url: string): Promise<ImageBitmap> {
  return thumbnails.once(url, () => decodePicture(url));
}

async function decodePicture(url: string): Promise<ImageBitmap> {
  return createImageBitmap(await fetchFile(url, 'the picture'), {
    imageOrientation: 'flipY',
  }).catch(() => {
    throw new Error('the picture could not be decoded');
  });
}

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, (result: DepthMapResult) => void>();

function depthWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL('../lib/depth/depth-map.worker.ts', import.meta.url), {
      type: 'module',
    });
    worker.onmessage = (event: MessageEvent<DepthMapResult>) => {
      pending.get(event.data.id)?.(event.data);
      pending.delete(event.data.id);
    };
  }
  return worker;
}

/**
 * Starts the depth maps' worker before any is asked for (the idle viewer's warm-up): started by a
 * first photo, its thread and script came ~30 ms after the click on a busy page, and the coarse
 * depth after them.
 */
export function startDepthWorker(): void {
  depthWorker();
}

/**
 * A photo's depth map at `url` in two steps: its coarse version (null when the map is loaded, or
 * on its way, without one), then the map, fetched once the coarse one is in so the two never
 * compete for the network, the server or the worker.
 */
export function loadPhotoDepthMaps(url: string): {
  coarse: Promise<DecodedDepthMap> | null;
  full: Promise<DecodedDepthMap>;
} {
  const coarseUrl = coarseDepthUrl(url);
  if (depthMaps.has(url) && !depthMaps.has(coarseUrl))
    return { coarse: null, full: loadDepthMap(url) };
  const coarse = loadDepthMap(coarseUrl);
  return { coarse, full: loadDepthMap(url, coarse) };
}

/**
 * A depth map fetched and decoded (16 bits kept, as the browser would not) in a Web Worker; not
 * before `after` has settled, when given.
 */
function loadDepthMap(url: string, after?: Promise<unknown>): Promise<DecodedDepthMap> {
  return depthMaps.once(url, async () => {
    await after?.catch(() => undefined);
    const id = nextId++;
    const result = await new Promise<DepthMapResult>((resolve) => {
      pending.set(id, resolve);
      depthWorker().postMessage({ id, url: new URL(url, location.href).href });
    });
    if (!result.ok)
      throw result.status === null
        ? new Error(`the depth map could not be read: ${result.error}`)
        : new ApiError(result.status, `the depth map could not be loaded: ${result.error}`);
    // `pnpm bench web` reads when and how long the worker decoded it.
    performance.measure('depth-map:decode', {
      end: result.map.decodedAtEpochMs - performance.timeOrigin,
      duration: result.map.decodeMs,
    });
    return result.map;
  });
}
