import type { MediaItem } from '@immichvr/shared';
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { apiGallerySource } from './api/gallery-source';
import { preloadMedia } from './api/media-loads';
import { useLibrarySources } from './api/use-library-sources';
import { useMediaEvents } from './api/use-media-events';
import { FILTER_LABELS, GALLERY_FILTERS, type GalleryFilter } from './lib/gallery/gallery-filter';
import { GalleryStore } from './lib/gallery/gallery-store';
import { useGalleryVersion } from './lib/gallery/use-gallery-store';
import { DepthModelBanner } from './ui/depth-model-banner';
import { GalleryView } from './ui/gallery-view';
import { ImmichStatus } from './ui/immich-status';
import { LibraryFilters } from './ui/library-filters';
import { SettingsDialog } from './ui/settings-dialog';
import { useVrSupport, VrButton } from './ui/vr-entry';
import { getXrStoreLazy } from './xr/xr-store-lazy';

// three.js, the 3D view and the headset scene load only when needed.
const PhotoViewer = lazy(() =>
  import('./ui/photo-viewer').then((m) => ({ default: m.PhotoViewer })),
);
const VrStage = lazy(() => import('./xr/vr-stage'));

/** How long the page may stay busy before the viewer is prepared anyway. */
const VIEWER_PREPARE_TIMEOUT_MS = 3_000;

/**
 * True once the page has had an idle moment after loading: the photo viewer is then loaded and
 * prepared (hidden), so the first photo opens without creating it.
 */
function useWhenIdle(): boolean {
  const [idle, setIdle] = useState(false);
  useEffect(() => {
    if (typeof requestIdleCallback === 'function') {
      const handle = requestIdleCallback(() => setIdle(true), {
        timeout: VIEWER_PREPARE_TIMEOUT_MS,
      });
      return () => cancelIdleCallback(handle);
    }
    const timer = setTimeout(() => setIdle(true), 500);
    return () => clearTimeout(timer);
  }, []);
  return idle;
}

/** Library changes (uploads, deletes) arriving together reload the timeline once. */
const RELOAD_DEBOUNCE_MS = 400;

export function App() {
  const gallery = useMemo(() => new GalleryStore(apiGallerySource), []);
  useGalleryVersion(gallery);
  const [openId, setOpenId] = useState<string | null>(null);
  const [lastOpen, setLastOpen] = useState<string | null>(null);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [presenting, setPresenting] = useState(false);
  const [vrReady, setVrReady] = useState(false);
  const support = useVrSupport();
  const sources = useLibrarySources();
  const markVrReady = useCallback(() => setVrReady(true), []);
  const viewerReady = useWhenIdle();

  useEffect(() => {
    void gallery.reload();
  }, [gallery]);
  const reloadTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const reloadSoon = useCallback(() => {
    clearTimeout(reloadTimer.current);
    reloadTimer.current = setTimeout(() => void gallery.reload(), RELOAD_DEBOUNCE_MS);
  }, [gallery]);
  useMediaEvents({
    onStatus: (event) => gallery.applyStatus(event),
    onLibraryChange: reloadSoon,
    onResync: reloadSoon,
    // Tiles loaded before the live events were connected: their states, in place.
    onConnected: () => void gallery.refreshStatuses(),
  });

  const open = useCallback((item: MediaItem) => {
    performance.mark('gallery:select');
    // What the 3D view needs first starts now, side by side — the detail and the depth map (decoded
    // in a worker) — while the view itself is being created.
    preloadMedia(item, { large: false });
    setOpenId(item.id);
  }, []);
  const close = useCallback(() => {
    setLastOpen(openId);
    setOpenId(null);
  }, [openId]);
  const step = useCallback(
    (direction: -1 | 1) => {
      if (!openId) return;
      void gallery.neighbour(openId, direction).then((next) => next && setOpenId(next.id));
    },
    [gallery, openId],
  );
  const setFilter = useCallback(
    (filter: GalleryFilter) => void gallery.setFilter(filter),
    [gallery],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === '?' && !openId) setSettingsOpen((s) => !s);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [openId]);

  return (
    <main className="app">
      <header className="app-header">
        <div>
          <h1>ImmichVR</h1>
          <p>Your photo library in depth.</p>
        </div>
        <nav className="filters" aria-label="Filter">
          {GALLERY_FILTERS.map((f) => (
            <button
              key={f}
              type="button"
              aria-pressed={gallery.filter === f}
              onClick={() => setFilter(f)}
              data-testid={`filter-${f}`}
            >
              {FILTER_LABELS[f]}
            </button>
          ))}
          {(sources.immich || sources.collections.length > 0) && (
            <LibraryFilters
              filter={gallery.filter}
              collections={sources.collections}
              onFilter={setFilter}
            />
          )}
        </nav>
        <div className="header-actions">
          <VrButton
            support={support}
            ready={vrReady}
            presenting={presenting}
            onEnter={() => void getXrStoreLazy().then((s) => s.enterVR())}
          />
          <button
            type="button"
            onClick={() => setSettingsOpen((s) => !s)}
            data-testid="open-settings"
          >
            Settings &amp; controls
          </button>
        </div>
      </header>
      {sources.immich && <ImmichStatus immich={sources.immich} />}
      <DepthModelBanner />
      {settingsOpen && <SettingsDialog onClose={() => setSettingsOpen(false)} />}
      {presenting && (
        <div className="in-vr" data-testid="in-vr">
          In VR: the gallery is in the headset.{' '}
          <button
            type="button"
            onClick={() => void getXrStoreLazy().then((s) => s.getState().session?.end())}
            data-testid="exit-vr"
          >
            Exit VR
          </button>
        </div>
      )}
      <GalleryView
        store={gallery}
        onOpen={open}
        onIntent={preloadMedia}
        reveal={openId ? null : lastOpen}
      />
      {(openId || viewerReady) && !presenting && (
        <Suspense fallback={openId && <p data-testid="viewer-loading">Opening…</p>}>
          <PhotoViewer id={openId} onClose={close} onStep={step} />
        </Suspense>
      )}
      {support.state === 'supported' && (
        <Suspense fallback={null}>
          <VrStage
            gallery={gallery}
            openId={openId}
            onOpen={open}
            onClose={close}
            onStep={step}
            onFilter={setFilter}
            onPresenting={setPresenting}
            onReady={markVrReady}
          />
        </Suspense>
      )}
    </main>
  );
}
