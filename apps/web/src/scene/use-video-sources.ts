import type { MediaDetail } from '@immichvr/shared';
import { useEffect, useMemo } from 'react';
import * as THREE from 'three';
import { cameraHalfTanX } from '../lib/depth/camera-intrinsics';
import { interpretDepth } from '../lib/depth/depth-conversion';
import type { VideoPlayer } from '../lib/video/video-player';
import { videoRegions } from '../lib/video/video-regions';
import type { ColourSource, DepthSource } from './depth-sources';
import { usePictureColour } from './use-photo-sources';
import { depthVideoOf, useVideoState } from './use-video-player';

interface Loaded<T> {
  source: T | null;
  error: string | null;
}

/**
 * A video's colour and depth, both from the one texture of its one element: the depth video's
 * frame holds colour over depth, so they are always the same frame. Its poster (the preview) is
 * shown until the first frame is decoded; while the depth video is not made yet the original plays
 * flat, and when it is, the same element switches to it in place.
 */
export function useVideoSources(
  item: MediaDetail,
  player: VideoPlayer,
): { colour: Loaded<ColourSource>; depth: Loaded<DepthSource> } {
  const poster = usePictureColour(item.urls.previewLarge);
  const state = useVideoState(player);
  const texture = useMemo(() => {
    const t = new THREE.VideoTexture(player.element);
    // Raw bytes: the shader decodes the colour half (sRGB) and reads the depth half as it is.
    t.colorSpace = THREE.NoColorSpace;
    t.minFilter = THREE.LinearFilter;
    t.magFilter = THREE.LinearFilter;
    t.generateMipmaps = false;
    return t;
  }, [player]);
  useEffect(() => () => texture.dispose(), [texture]);

  const layout = depthVideoOf(item);
  const stacked = layout !== null && state.showing === item.urls.depth;
  const element = player.element;
  const frameWidth = state.ready ? element.videoWidth : 0;
  const frameHeight = state.ready ? element.videoHeight : 0;
  const facts = item.depthMap;
  const sources = useMemo(() => {
    if (!frameWidth || !frameHeight) return null;
    const regions = videoRegions(
      { width: frameWidth, height: frameHeight },
      stacked ? layout : null,
    );
    const colour: ColourSource = {
      texture,
      region: regions.colour,
      decode: true,
      aspect: regions.aspect,
    };
    const depth: DepthSource | null =
      stacked && layout && regions.depth && facts
        ? {
            id: facts.id,
            texture,
            region: regions.depth,
            stats: layout.stats,
            encoding: interpretDepth(facts.encoding).encoding,
            cameraHalfTanX: cameraHalfTanX(layout.depth[2], layout.depth[3], facts),
            version: () => player.frame,
            shared: true,
          }
        : null;
    return { colour, depth };
  }, [texture, frameWidth, frameHeight, stacked, layout, facts, player]);

  return {
    colour: sources
      ? { source: sources.colour, error: null }
      : { source: poster.source, error: state.error ?? poster.error },
    depth: { source: sources?.depth ?? null, error: state.error },
  };
}
