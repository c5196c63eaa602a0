import type { MediaItem } from '@immichvr/shared';
import { useThree } from '@react-three/fiber';
import { useXR } from '@react-three/xr';
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useLibrarySources } from '../api/use-library-sources';
import { filterCollectionId, filterLabel, type GalleryFilter } from '../lib/gallery/gallery-filter';
import type { GalleryStore } from '../lib/gallery/gallery-store';
import type { TimelineLayout } from '../lib/gallery/timeline-layout';
import { useGalleryVersion } from '../lib/gallery/use-gallery-store';
import { SEEK_STEP_SECONDS, type VideoPlayer } from '../lib/video/video-player';
import type { VrAction } from '../lib/vr-actions';
import { foveationFor, xrSettings } from '../lib/xr-settings';
import { useDepthProgramsCompiled } from '../scene/compile-depth-programs';
import { useVrControls, type VrActions } from './vr-controls';
import { type GalleryScroll, VrGallery, wallLayout } from './vr-gallery';
import { VR_LAYOUT } from './vr-layout';
import {
  GalleryToolbar,
  HelpPanel,
  LibraryPanel,
  MonthScrubber,
  SettingsPanel,
  type SidePanel,
} from './vr-panels';
import { VrPhoto } from './vr-photo';
import { VrStats } from './vr-stats';
import { xrMirror } from './xr-mirror';

const G = VR_LAYOUT.gallery;

export interface VrSceneProps {
  gallery: GalleryStore;
  openId: string | null;
  onOpen: (item: MediaItem) => void;
  onClose: () => void;
  onStep: (direction: -1 | 1) => void;
  onFilter: (filter: GalleryFilter) => void;
}

/** Moves the wall to the start of the next (+1, older) or previous (−1) month. */
function jumpMonth(l: TimelineLayout | null, scroll: GalleryScroll, direction: -1 | 1) {
  if (!l) return;
  const index = l.blocks.findLastIndex((b) => b.top <= scroll.target + 0.01);
  const block = l.blocks[Math.max(0, Math.min(l.blocks.length - 1, index + direction))];
  if (block) scroll.target = block.top;
}

/** Moves the wall to a month (`first`, `last` or YYYY-MM). */
function scrubTo(l: TimelineLayout | null, scroll: GalleryScroll, target: string) {
  if (!l) return;
  const block =
    target === 'first'
      ? l.blocks[0]
      : target === 'last'
        ? l.blocks.at(-1)
        : l.blocks.find((b) => b.month === target);
  if (block) scroll.target = block.top;
}

/** Everything shown in the headset: the gallery wall and its toolbar, or an open photo. */
export function VrScene({ gallery, openId, onOpen, onClose, onStep, onFilter }: VrSceneProps) {
  useGalleryVersion(gallery);
  const sources = useLibrarySources();
  const session = useXR((s) => s.session);
  const gl = useThree((s) => s.gl);
  const scroll = useRef<GalleryScroll>({ position: 0, target: 0 });
  const [side, setSide] = useState<SidePanel>(null);
  const [month, setMonth] = useState<string | undefined>();
  const settings = useSyncExternalStore(xrSettings.subscribe, xrSettings.get);
  const timelineMonths = gallery.timeline.state === 'ready' ? gallery.timeline.months : null;
  const monthKeys = useMemo(() => timelineMonths?.map((m) => m.month) ?? [], [timelineMonths]);
  const layout = useMemo(() => timelineMonths && wallLayout(timelineMonths), [timelineMonths]);

  // The depth view's programs, compiled as the session starts without holding its frames: the
  // first photo opened does not stall the headset compiling them (the renderer keeps them).
  useDepthProgramsCompiled();

  // Frame rate and foveation follow the settings (and whether a photo is open) live.
  useEffect(() => {
    if (
      session?.supportedFrameRates &&
      Array.from(session.supportedFrameRates).includes(settings.frameRate)
    )
      void session.updateTargetFrameRate?.(settings.frameRate).catch(() => undefined);
  }, [session, settings.frameRate]);
  useEffect(() => {
    try {
      gl.xr.setFoveation(foveationFor(settings, openId !== null));
    } catch {
      // Not every runtime has fixed foveation.
    }
    xrMirror.setState({ foveation: foveationFor(settings, openId !== null) });
  }, [gl, settings, openId]);
  useEffect(() => {
    xrMirror.setState({ mode: openId ? 'photo' : 'gallery', filter: gallery.filter, side });
  }, [openId, gallery.filter, side]);

  const act = useCallback(
    (action: VrAction) => {
      switch (action.kind) {
        case 'filter':
          scroll.current = { position: 0, target: 0 };
          onFilter(action.filter);
          break;
        case 'page':
          scroll.current.target += action.direction * G.viewHeight * 0.75;
          break;
        case 'month':
          jumpMonth(layout, scroll.current, action.direction);
          break;
        case 'scrub':
          scrubTo(layout, scroll.current, action.to);
          break;
        case 'side-panel':
          setSide((s) => (s === action.panel ? null : action.panel));
          break;
        case 'close-side-panel':
          setSide(null);
          break;
        case 'setting':
          xrSettings.set({ [action.key]: action.value });
          break;
        case 'back':
          onClose();
          break;
        case 'step':
          onStep(action.direction);
          break;
        case 'exit-vr':
          void session?.end();
          break;
        // The open item's own actions (depth strength, reprocessing) are handled by its view.
        case 'strength':
        case 'strength-step':
        case 'reprocess':
        case 'cancel-reprocess':
        case 'get-real-depth':
        case 'video-toggle':
        case 'video-seek':
        case 'video-seek-by':
        case 'video-loop':
          break;
      }
    },
    [layout, onClose, onStep, onFilter, session],
  );

  const openVideo = useRef<VideoPlayer | null>(null);
  const actions = useRef<VrActions>({
    scroll: () => {},
    step: () => {},
    back: () => {},
    help: () => {},
  });
  actions.current = {
    scroll: (amount, delta) => {
      if (!openId) scroll.current.target += amount * G.scrollSpeed * delta;
    },
    // In an open video the thumbstick seeks; elsewhere it steps to the next or previous item.
    step: (direction) =>
      openVideo.current
        ? openVideo.current.seekBy(direction * SEEK_STEP_SECONDS)
        : openId && onStep(direction),
    back: () => (side ? setSide(null) : openId && onClose()),
    help: () => setSide((s) => (s === 'help' ? null : 'help')),
  };
  useVrControls(actions);

  return (
    <>
      <color attach="background" args={['#101014']} />
      <ambientLight intensity={1} />
      <VrStats />
      {openId ? (
        <VrPhoto key={openId} id={openId} onAction={act} openVideo={openVideo} />
      ) : (
        <>
          <VrGallery
            store={gallery}
            layout={layout}
            scroll={scroll}
            onOpen={onOpen}
            onMonth={setMonth}
          />
          <GalleryToolbar
            filter={gallery.filter}
            month={month}
            side={side}
            hasLibraryFilters={sources.immich !== null || sources.collections.length > 0}
            libraryFilterLabel={
              gallery.filter === 'favorites' || filterCollectionId(gallery.filter)
                ? filterLabel(gallery.filter, sources.collections)
                : null
            }
            onPress={act}
          />
          {gallery.timeline.state === 'ready' && gallery.timeline.months.length > 1 && (
            <MonthScrubber months={monthKeys} current={month} onPress={act} />
          )}
        </>
      )}
      {side === 'help' && <HelpPanel onPress={act} />}
      {side === 'settings' && !openId && <SettingsPanel onPress={act} />}
      {side === 'library' && !openId && (
        <LibraryPanel filter={gallery.filter} collections={sources.collections} onPress={act} />
      )}
    </>
  );
}
