import type { MediaDetail } from '@immichvr/shared';
import { useCallback, useLayoutEffect, useMemo, useState } from 'react';
import { DEPTH_VIEW } from '../lib/depth/depth-view-config';
import { type FitBox, restRect } from '../lib/depth/placement';
import type { VideoPlayer } from '../lib/video/video-player';
import type { ColourSource, DepthSource } from './depth-sources';
import { DepthSurface, type DepthSurfaceShown } from './depth-surface';
import { TextLabel } from './text-label';
import { usePhotoDepth, useProgressivePictureColour } from './use-photo-sources';
import { useVideoSources } from './use-video-sources';

export type DepthMediaState = 'loading' | 'flat' | '3d' | 'error';

export interface DepthMediaStatus {
  /** The item this is the status of. */
  mediaId: string;
  state: DepthMediaState;
  /** The depth map shown in 3D (null while flat). */
  depthMapId: string | null;
  triangles: number;
  /** The view has stopped changing: the depth (if any) has grown in on the full grids. */
  settled: boolean;
  /** Why the picture is not shown (state 'error'), or why its depth is not (state 'flat'). */
  error?: string;
}

interface Props {
  item: MediaDetail;
  /** A video's player (its one element); null for a photo. */
  player?: VideoPlayer | null;
  /** The field the picture fits at rest (`screenFitBox` on a screen, `vrFitBox` in the headset). */
  box: FitBox;
  sizeScale?: number;
  distanceMeters?: number;
  strength: number;
  onStatus?: (status: DepthMediaStatus) => void;
}

/**
 * One item in depth, about the eye at the group's origin: its colour source and depth source on
 * the depth surface — a photo's picture and depth map, or a video's frames. The same component on
 * a screen and in the headset. A picture that cannot be loaded is a placeholder card that says
 * why, never an empty view.
 */
export function DepthMedia(props: Props) {
  const { item, player } = props;
  return item.mediaType === 'video' && player ? (
    <VideoDepthMedia {...props} player={player} />
  ) : (
    <PhotoDepthMedia {...props} />
  );
}

function PhotoDepthMedia(props: Props) {
  const { item } = props;
  const depth = usePhotoDepth(item);
  // The first 3D frame comes before the sharp picture: its depth map is on its way until drawn.
  const [depthDrawn, setDepthDrawn] = useState(false);
  const depthComing = item.depthMap?.format === 'png' && !depth.error && !depthDrawn;
  const urls = useMemo(
    () => ({ small: item.urls.preview, large: item.urls.previewLarge }),
    [item.urls.preview, item.urls.previewLarge],
  );
  const colour = useProgressivePictureColour(
    urls,
    item.width && item.height ? item.width / item.height : undefined,
    depthComing,
  );
  const onDepthDrawn = useCallback(() => setDepthDrawn(true), []);
  return (
    <DepthMediaView
      {...props}
      colour={colour}
      depth={depth}
      colourFinal={colour.large}
      onDepthDrawn={onDepthDrawn}
    />
  );
}

function VideoDepthMedia(props: Props & { player: VideoPlayer }) {
  const { colour, depth } = useVideoSources(props.item, props.player);
  return <DepthMediaView {...props} colour={colour} depth={depth} />;
}

interface Loaded<T> {
  source: T | null;
  error: string | null;
}

function DepthMediaView({
  item,
  box,
  sizeScale = DEPTH_VIEW.placement.sizeScale.default,
  distanceMeters = DEPTH_VIEW.placement.distanceMeters,
  strength,
  onStatus,
  colour,
  depth,
  colourFinal = true,
  onDepthDrawn,
}: Props & {
  colour: Loaded<ColourSource>;
  depth: Loaded<DepthSource>;
  /** false while a smaller picture stands in for the one shown at the end (not settled yet). */
  colourFinal?: boolean;
  onDepthDrawn?: () => void;
}) {
  const [shown, setShown] = useState<DepthSurfaceShown>({
    depthId: null,
    triangles: 0,
    settled: false,
  });
  const onShown = useCallback((s: DepthSurfaceShown) => setShown(s), []);

  const state: DepthMediaState = colour.error
    ? 'error'
    : !colour.source
      ? 'loading'
      : shown.depthId
        ? '3d'
        : 'flat';
  const error = colour.error ?? depth.error ?? undefined;
  // A layout effect: the status is reported in the same commit, not a frame later.
  useLayoutEffect(() => {
    // User Timing marks: `pnpm bench web` measures selection → flat picture → 3D with them.
    performance.mark(`depth-media:${state}`);
    onStatus?.({
      mediaId: item.id,
      state,
      depthMapId: shown.depthId,
      triangles: shown.triangles,
      settled: state !== 'loading' && shown.settled && colourFinal,
      ...(error ? { error } : {}),
    });
  }, [item.id, state, shown, error, onStatus, colourFinal]);
  useLayoutEffect(() => {
    if (shown.depthId) onDepthDrawn?.();
  }, [shown.depthId, onDepthDrawn]);

  if (colour.error) {
    const aspect = item.width && item.height ? item.width / item.height : 4 / 3;
    const rect = restRect(aspect, box, sizeScale, distanceMeters);
    return (
      <group>
        <mesh position={[0, 0, -distanceMeters]}>
          <planeGeometry args={[rect.halfWidth * 2, rect.halfHeight * 2]} />
          <meshBasicMaterial color="#2a2a30" />
        </mesh>
        <TextLabel
          text={`${item.originalFilename} cannot be shown: ${colour.error}`}
          position={[0, 0, -distanceMeters + 0.01]}
          widthMeters={rect.halfWidth * 1.8}
          color="#ff9a9a"
        />
      </group>
    );
  }
  if (!colour.source) return null;
  return (
    <DepthSurface
      colour={colour.source}
      depth={depth.source}
      box={box}
      sizeScale={sizeScale}
      distanceMeters={distanceMeters}
      strength={strength}
      onShown={onShown}
    />
  );
}
