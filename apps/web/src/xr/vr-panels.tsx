import {
  type Collection,
  type DepthModelStatus,
  describeDepthModel,
  type MediaDetail,
} from '@immichvr/shared';
import { useCallback, useSyncExternalStore } from 'react';
import { describeReprocess, isActive, type ReprocessState } from '../api/use-reprocess';
import { CONTROL_MAP } from '../lib/control-map';
import { DEPTH_VIEW } from '../lib/depth/depth-view-config';
import { formatBytes, formatDateTime, monthTitle } from '../lib/gallery/format';
import {
  collectionFilter,
  FILTER_LABELS,
  GALLERY_FILTERS,
  type GalleryFilter,
} from '../lib/gallery/gallery-filter';
import { statusLook } from '../lib/status-look';
import {
  formatVideoTime,
  SEEK_STEP_SECONDS,
  type VideoPlayerState,
} from '../lib/video/video-player';
import type { VrAction } from '../lib/vr-actions';
import { FOVEATION_LABELS, XR_SETTING_CHOICES, xrSettings } from '../lib/xr-settings';
import { CanvasPanel } from './ui/canvas-panel';
import { PANEL_COLORS, type PanelPainter } from './ui/panel-painter';
import { VR_LAYOUT } from './vr-layout';

export type SidePanel = 'help' | 'settings' | 'library' | null;

/** Under the wall: filters, scrolling and month jumps, help, settings, exit. */
export function GalleryToolbar(props: {
  filter: GalleryFilter;
  month: string | undefined;
  side: SidePanel;
  /** An Immich library is there: favourites, albums and people (the library panel). */
  hasLibraryFilters: boolean;
  /** The name of an Immich filter in use (shown on its button). */
  libraryFilterLabel: string | null;
  onPress: (action: VrAction) => void;
}) {
  const { filter, month, side, hasLibraryFilters, libraryFilterLabel } = props;
  const paint = useCallback(
    (p: PanelPainter) => {
      for (const [i, f] of GALLERY_FILTERS.entries())
        p.button({ kind: 'filter', filter: f }, FILTER_LABELS[f], 24 + i * 272, 24, 256, 84, {
          active: f === filter,
        });
      p.button({ kind: 'page', direction: -1 }, '▲', 24, 132, 120, 84, { size: 36 });
      p.button({ kind: 'month', direction: -1 }, '◀ Newer', 160, 132, 220, 84);
      p.text(month ? monthTitle(month) : '', 390 + 170, 174, {
        size: 34,
        bold: true,
        align: 'center',
        maxWidth: 330,
      });
      p.button({ kind: 'month', direction: 1 }, 'Older ▶', 740, 132, 220, 84);
      p.button({ kind: 'page', direction: 1 }, '▼', 976, 132, 120, 84, { size: 36 });
      p.button({ kind: 'side-panel', panel: 'help' }, 'Help', 1130, 132, 110, 84, {
        active: side === 'help',
      });
      p.button({ kind: 'side-panel', panel: 'settings' }, '⚙', 1256, 132, 120, 84, {
        active: side === 'settings',
        size: 36,
      });
      if (hasLibraryFilters) {
        p.button(
          { kind: 'side-panel', panel: 'library' },
          libraryFilterLabel ? `Showing: ${libraryFilterLabel}` : 'Favourites, albums, people',
          24,
          240,
          820,
          76,
          { active: side === 'library' || libraryFilterLabel !== null },
        );
        p.button({ kind: 'exit-vr' }, 'Exit VR', 860, 240, 516, 76);
      } else p.button({ kind: 'exit-vr' }, 'Exit VR', 24, 240, 1352, 76);
    },
    [filter, month, side, hasLibraryFilters, libraryFilterLabel],
  );
  const { position, tilt, width } = VR_LAYOUT.toolbar;
  return (
    <CanvasPanel
      name="toolbar"
      widthMeters={width}
      pixels={[1400, 340]}
      paint={paint}
      onPress={props.onPress}
      position={position}
      rotation={[tilt, 0, 0]}
    />
  );
}

/** Beside the wall: the months around the one in view, newest first; select one to jump there. */
export function MonthScrubber(props: {
  months: string[];
  current: string | undefined;
  onPress: (action: VrAction) => void;
}) {
  const { months, current } = props;
  const { position, yaw, width } = VR_LAYOUT.scrubber;
  const shown = Math.min(VR_LAYOUT.scrubber.months, months.length);
  const paint = useCallback(
    (p: PanelPainter) => {
      const at = Math.max(0, months.indexOf(current ?? ''));
      const first = Math.max(0, Math.min(months.length - shown, at - Math.floor(shown / 2)));
      p.button({ kind: 'scrub', to: 'first' }, '▲ Newest', 20, 16, 560, 64, {
        disabled: at === 0,
      });
      months.slice(first, first + shown).forEach((month, i) => {
        const title = monthTitle(month);
        const newYear = i === 0 || months[first + i - 1]?.slice(0, 4) !== month.slice(0, 4);
        p.button(
          { kind: 'scrub', to: month },
          newYear ? title : (title.split(' ')[0] ?? title),
          20,
          92 + i * 68,
          560,
          60,
          {
            active: month === current,
            size: 26,
          },
        );
      });
      p.button({ kind: 'scrub', to: 'last' }, '▼ Oldest', 20, 92 + shown * 68 + 8, 560, 64, {
        disabled: at === months.length - 1,
      });
    },
    [months, current, shown],
  );
  return (
    <CanvasPanel
      name="scrubber"
      widthMeters={width}
      pixels={[600, 92 + shown * 68 + 88]}
      paint={paint}
      onPress={props.onPress}
      position={position}
      rotation={[0, yaw, 0]}
    />
  );
}

/** The control map, as the help panel. */
export function HelpPanel({ onPress }: { onPress: (action: VrAction) => void }) {
  const paint = useCallback((p: PanelPainter) => {
    p.text('Controls', 32, 50, { size: 40, bold: true });
    p.button({ kind: 'close-side-panel' }, 'Close', 800, 18, 190, 68);
    let y = 120;
    for (const row of CONTROL_MAP) {
      p.text(row.action, 32, y, { size: 27, bold: true });
      p.text(`Controller: ${row.controller}   ·   Hand: ${row.hand}`, 32, y + 36, {
        size: 24,
        color: PANEL_COLORS.muted,
      });
      y += 88;
    }
  }, []);
  return (
    <SidePanelMesh
      name="help"
      paint={paint}
      onPress={onPress}
      height={120 + CONTROL_MAP.length * 88}
    />
  );
}

/** Rows of albums or people the library panel shows. */
const LIBRARY_ROWS = 7;

/**
 * Immich's favourites, albums and people as gallery filters: two columns of buttons, the most
 * filled albums and people first (the page's menu has them all).
 */
export function LibraryPanel(props: {
  filter: GalleryFilter;
  collections: readonly Collection[];
  onPress: (action: VrAction) => void;
}) {
  const { filter, collections, onPress } = props;
  const paint = useCallback(
    (p: PanelPainter) => {
      p.text('Your Immich library', 32, 50, { size: 40, bold: true });
      p.button({ kind: 'close-side-panel' }, 'Close', 800, 18, 190, 68);
      p.button({ kind: 'filter', filter: 'favorites' }, 'Favourites', 32, 100, 470, 72, {
        active: filter === 'favorites',
      });
      p.button({ kind: 'filter', filter: 'all' }, 'Everything', 522, 100, 470, 72, {
        active: filter === 'all',
      });
      const column = (kind: Collection['kind'], title: string, x: number) => {
        p.text(title, x, 222, { size: 28, bold: true });
        const shown = collections
          .filter((c) => c.kind === kind)
          .sort((a, b) => b.itemCount - a.itemCount)
          .slice(0, LIBRARY_ROWS);
        if (shown.length === 0)
          p.text(kind === 'album' ? 'No albums' : 'No named people', x, 276, {
            size: 24,
            color: PANEL_COLORS.muted,
          });
        shown.forEach((c, i) => {
          const f = collectionFilter(c.id);
          p.button(
            { kind: 'filter', filter: f },
            `${c.name} (${c.itemCount})`,
            x,
            246 + i * 80,
            470,
            68,
            {
              active: filter === f,
              size: 26,
            },
          );
        });
      };
      column('album', 'Albums', 32);
      column('person', 'People', 522);
    },
    [filter, collections],
  );
  return (
    <SidePanelMesh
      name="library"
      paint={paint}
      onPress={onPress}
      height={260 + LIBRARY_ROWS * 80}
    />
  );
}

const useSettings = () => useSyncExternalStore(xrSettings.subscribe, xrSettings.get);

/** Frame rate, resolution and foveation, in one place (the page's settings edit the same). */
export function SettingsPanel({ onPress }: { onPress: (action: VrAction) => void }) {
  const settings = useSettings();
  const paint = useCallback(
    (p: PanelPainter) => {
      p.text('Headset settings', 32, 50, { size: 40, bold: true });
      p.button({ kind: 'close-side-panel' }, 'Close', 800, 18, 190, 68);
      p.text('Frame rate', 32, 140, { size: 28 });
      for (const [i, r] of XR_SETTING_CHOICES.frameRate.entries())
        p.button(
          { kind: 'setting', key: 'frameRate', value: r },
          `${r} Hz`,
          330 + i * 170,
          104,
          150,
          72,
          {
            active: settings.frameRate === r,
          },
        );
      p.text('Resolution', 32, 250, { size: 28 });
      for (const [i, r] of XR_SETTING_CHOICES.framebufferScale.entries())
        p.button(
          { kind: 'setting', key: 'framebufferScale', value: r },
          `${r}×`,
          330 + i * 165,
          214,
          150,
          72,
          { active: settings.framebufferScale === r },
        );
      p.text('applies when you next enter VR', 330, 312, { size: 22, color: PANEL_COLORS.muted });
      p.text('Foveation', 32, 380, { size: 28 });
      for (const [i, r] of XR_SETTING_CHOICES.galleryFoveation.entries())
        p.button(
          { kind: 'setting', key: 'galleryFoveation', value: r },
          FOVEATION_LABELS[r] ?? String(r),
          330 + i * 165,
          344,
          150,
          72,
          { active: settings.galleryFoveation === r },
        );
      p.text('at most low while a photo is open', 330, 442, {
        size: 22,
        color: PANEL_COLORS.muted,
      });
    },
    [settings],
  );
  return <SidePanelMesh name="settings" paint={paint} onPress={onPress} height={480} />;
}

function SidePanelMesh(props: {
  name: string;
  paint: (p: PanelPainter) => void;
  onPress: (action: VrAction) => void;
  height: number;
}) {
  const { position, yaw, width } = VR_LAYOUT.sidePanel;
  return (
    <CanvasPanel
      name={props.name}
      widthMeters={width}
      pixels={[1024, props.height]}
      paint={props.paint}
      onPress={props.onPress}
      position={position}
      rotation={[0, yaw, 0]}
    />
  );
}

/** After "a stand-in": where real depth stands (downloading, failed, or ready to reprocess). */
function depthModelNote(status: DepthModelStatus | null): string {
  const d = status?.download;
  if (d?.state === 'downloading')
    return d.total
      ? ` · real depth ${Math.floor((100 * d.received) / d.total)}%`
      : ' · downloading';
  if (d?.state === 'failed') return ' · download failed, see the page';
  if (status && !status.offer) return ' · Reprocess for real depth';
  return '';
}

/** How much one − or + press changes the depth strength. */
const STRENGTH_STEP = 0.1;

/** The video row of the panel: the player's state and what its depth is doing. */
export interface PanelVideo {
  state: VideoPlayerState;
  /** e.g. "depth 42%" while it plays flat; null in depth. */
  depthNote: string | null;
}

/**
 * Beside an open photo or video: its facts, depth strength, Reprocess depth with live progress,
 * a video's play/pause, seek and loop, navigation.
 */
export function PhotoPanel(props: {
  item: MediaDetail | null;
  loadError: string | null;
  depthState: string;
  strength: number;
  reprocess: ReprocessState;
  /** The server's depth model status: offers real depth beside a built-in estimate. */
  depthModel: DepthModelStatus | null;
  video: PanelVideo | null;
  onPress: (action: VrAction) => void;
}) {
  const { item, loadError, depthState, strength, reprocess, depthModel, video } = props;
  const navY = video ? 700 : 580;
  const paint = useCallback(
    (p: PanelPainter) => {
      if (!item) {
        p.text(loadError ? `Could not open: ${loadError}` : 'Opening…', 32, 50, {
          size: 32,
          color: loadError ? PANEL_COLORS.failed : PANEL_COLORS.text,
        });
        p.button({ kind: 'back' }, 'Back', 32, 620, 300, 84);
        return;
      }
      p.text(item.originalFilename, 32, 48, { size: 38, bold: true, maxWidth: 960 });
      p.text(
        `${item.capturedAt ? formatDateTime(item.capturedAt) : 'date unknown'} · ${item.width ?? '?'} × ${item.height ?? '?'} · ${formatBytes(item.fileSizeBytes)}`,
        32,
        98,
        { size: 26, color: PANEL_COLORS.muted },
      );
      const made = item.depthMap ? describeDepthModel(item.depthMap.modelName) : null;
      const stopgap = made?.kind === 'heuristic';
      p.text(
        item.depthMap && made
          ? stopgap
            ? `Depth: ${made.label}, a stand-in${depthModelNote(depthModel)}`
            : `Depth: ${made.label}, ${formatDateTime(item.depthMap.generatedAt)}`
          : 'No depth map yet',
        32,
        140,
        { size: 26, color: stopgap ? PANEL_COLORS.warning : PANEL_COLORS.muted, maxWidth: 960 },
      );
      p.text(
        depthState === '3d' ? 'Depth' : depthState === 'error' ? 'Shown flat' : 'Depth (loading)',
        32,
        206,
        { size: 28 },
      );
      const { max } = DEPTH_VIEW.depthStrength;
      p.button({ kind: 'strength-step', by: -STRENGTH_STEP }, '−', 230, 172, 80, 68, { size: 36 });
      p.slider(
        (fraction) => ({ kind: 'strength', to: fraction * max }),
        'Depth strength',
        326,
        186,
        500,
        40,
        strength / max,
      );
      p.button({ kind: 'strength-step', by: STRENGTH_STEP }, '+', 842, 172, 80, 68, { size: 36 });
      const active = isActive(reprocess.phase);
      p.button({ kind: 'reprocess' }, 'Reprocess depth', 32, 270, 440, 84, { disabled: active });
      p.button({ kind: 'cancel-reprocess' }, 'Cancel', 490, 270, 220, 84, {
        disabled: !active || reprocess.phase === 'requesting',
      });
      if (stopgap && depthModel?.offer)
        p.button({ kind: 'get-real-depth' }, 'Get real depth', 728, 270, 264, 84, {
          disabled: depthModel.download.state === 'downloading',
        });
      p.paragraph(describeReprocess(reprocess) || ' ', 32, 392, 960, {
        size: 28,
        color: statusLook(reprocess.phase).colour,
        maxLines: 3,
      });
      if (reprocess.history.length)
        p.text(reprocess.history.join(' → '), 32, 510, { size: 24, color: PANEL_COLORS.muted });
      if (video) {
        const { state } = video;
        p.button({ kind: 'video-toggle' }, state.paused ? '▶ Play' : '❚❚ Pause', 32, 560, 200, 84);
        p.button({ kind: 'video-seek-by', seconds: -SEEK_STEP_SECONDS }, '−5 s', 246, 560, 120, 84);
        p.slider(
          (fraction) => ({ kind: 'video-seek', to: fraction }),
          'Seek',
          380,
          582,
          330,
          40,
          state.duration ? state.time / state.duration : 0,
        );
        p.button({ kind: 'video-seek-by', seconds: SEEK_STEP_SECONDS }, '+5 s', 724, 560, 120, 84);
        p.button({ kind: 'video-loop' }, 'Loop', 858, 560, 134, 84, { active: state.loop });
        p.text(
          `${formatVideoTime(state.time)} / ${formatVideoTime(state.duration)}${state.muted ? ' · muted: Play for sound' : ''}${video.depthNote ? ` · ${video.depthNote}` : ''}`,
          32,
          676,
          { size: 24, color: video.depthNote ? PANEL_COLORS.failed : PANEL_COLORS.muted },
        );
      }
      p.button({ kind: 'step', direction: -1 }, '◀ Prev', 32, navY, 220, 84);
      p.button({ kind: 'back' }, 'Back', 270, navY, 220, 84);
      p.button({ kind: 'step', direction: 1 }, 'Next ▶', 508, navY, 220, 84);
      p.button({ kind: 'side-panel', panel: 'help' }, 'Help', 746, navY, 220, 84);
    },
    [item, loadError, depthState, strength, reprocess, depthModel, video, navY],
  );
  const { offset, tilt, width } = VR_LAYOUT.photoPanel;
  return (
    <CanvasPanel
      name="photo"
      widthMeters={width}
      pixels={[1024, navY + 110]}
      paint={paint}
      onPress={props.onPress}
      position={offset}
      rotation={[tilt, 0, 0]}
    />
  );
}
