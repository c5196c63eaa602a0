import type { MediaDetail } from '@immichvr/shared';
import { useThree } from '@react-three/fiber';
import { useEffect, useMemo, useState } from 'react';
import * as THREE from 'three';
import { loadPhotoDepthMaps, loadPicture, loadThumbnail } from '../api/media-loads';
import { cameraHalfTanX } from '../lib/depth/camera-intrinsics';
import { interpretDepth } from '../lib/depth/depth-conversion';
import type { DecodedDepthMap } from '../lib/depth/depth-map-message';
import type { ColourSource, DepthSource } from './depth-sources';
import { WHOLE_TEXTURE } from './depth-surface-material';

interface Loaded<T> {
  source: T | null;
  error: string | null;
}

/** A decoded picture as a colour source: sRGB, mipmapped; its texture disposed when unused. */
function usePictureTexture(bitmap: ImageBitmap | null, aspect?: number): ColourSource | null {
  const gl = useThree((s) => s.gl);
  const source = useMemo(() => {
    if (!bitmap) return null;
    const texture = new THREE.Texture(bitmap);
    texture.flipY = false; // the bitmap is decoded bottom row first
    texture.colorSpace = THREE.SRGBColorSpace;
    texture.anisotropy = Math.min(8, gl.capabilities.getMaxAnisotropy());
    texture.generateMipmaps = true;
    texture.minFilter = THREE.LinearMipmapLinearFilter;
    texture.needsUpdate = true;
    return {
      texture,
      region: WHOLE_TEXTURE(bitmap.width, bitmap.height),
      decode: false,
      aspect: aspect ?? bitmap.width / bitmap.height,
    };
  }, [bitmap, aspect, gl]);
  useEffect(() => () => source?.texture.dispose(), [source]);
  return source;
}

/** A picture's colour: its EXIF-oriented preview at `url` (a video's poster). */
export function usePictureColour(url: string): Loaded<ColourSource> {
  const [bitmap, setBitmap] = useState<ImageBitmap | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setBitmap(null);
    setError(null);
    loadPicture(url).then(
      (loaded) => {
        if (!live) return;
        performance.mark('depth-media:colour-ready');
        setBitmap(loaded);
      },
      (failure: Error) => live && setError(failure.message),
    );
    return () => {
      live = false;
    };
  }, [url]);
  return { source: usePictureTexture(bitmap), error };
}

/**
 * The longest the large picture is held back for a depth map on its way (a slow depth must not
 * keep the sharp picture away).
 */
const HOLD_LARGE_MS = 1_000;

/**
 * A photo's colour, progressively: its 256 px preview at once (the gallery's thumbnail, already in
 * the browser's cache), then the 2048 px one. While `holdLarge` (the depth map is on its way), the
 * large one waits: uploading it is the slowest step of a first frame on software rendering, and
 * would hold the first 3D frame back. Both share the photo's aspect, so the swap moves nothing.
 */
export function useProgressivePictureColour(
  urls: { small: string; large: string },
  aspect: number | undefined,
  holdLarge: boolean,
): Loaded<ColourSource> & { large: boolean } {
  const [small, setSmall] = useState<ImageBitmap | null>(null);
  const [large, setLarge] = useState<ImageBitmap | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [heldLongEnough, setHeldLongEnough] = useState(false);
  useEffect(() => {
    let live = true;
    setSmall(null);
    setLarge(null);
    setError(null);
    setHeldLongEnough(false);
    let marked = false;
    const ready = () => {
      if (marked) return;
      marked = true;
      performance.mark('depth-media:colour-ready');
    };
    loadThumbnail(urls.small).then(
      (loaded) => {
        if (!live) return;
        ready();
        setSmall(loaded);
      },
      () => undefined, // the large one is what counts
    );
    loadPicture(urls.large).then(
      (loaded) => {
        if (!live) return;
        ready();
        setLarge(loaded);
      },
      (failure: Error) => live && setError(failure.message),
    );
    const timer = setTimeout(() => live && setHeldLongEnough(true), HOLD_LARGE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [urls.small, urls.large]);
  const showLarge = large !== null && (!holdLarge || heldLongEnough || small === null);
  const source = usePictureTexture(showLarge ? large : small, aspect);
  return { source, error, large: showLarge };
}

/**
 * A photo's depth map as a half-float texture (16 bits decoded in a worker), with how to read it:
 * the encoding it records (parsed once, by the API client) or the default for relative maps, and
 * the camera's field of view. Progressive: its coarse version first (tens of KB, decoded in
 * milliseconds), marked `coarse`, then the map itself, which the depth surface swaps in place; a
 * map already loaded comes alone, at once. The URL carries the map's id, so a new map is a new
 * URL. The depth surface owns the textures from here: it disposes each once it no longer shows it.
 */
export function usePhotoDepth(item: MediaDetail): Loaded<DepthSource> {
  // A depth image (a video's depth is a video: see use-video-sources.ts).
  const facts = item.depthMap?.format === 'png' ? item.depthMap : null;
  const url = facts ? item.urls.depth : null;
  const [loaded, setLoaded] = useState<Loaded<DepthSource>>({ source: null, error: null });
  useEffect(() => {
    if (!url || !facts) return;
    let live = true;
    let full = false;
    const show = (map: DecodedDepthMap, coarse: boolean) => {
      performance.mark(coarse ? 'depth-media:coarse-depth-ready' : 'depth-media:depth-ready');
      setLoaded({
        source: {
          id: facts.id,
          texture: depthTexture(map),
          // Rows are top first: picture v = 1 (top) is the texture's first row.
          region: { offset: [0, 1], scale: [1, -1], texels: [map.width, map.height] },
          stats: map.stats,
          encoding: interpretDepth(facts.encoding).encoding,
          // From the map's own size as recorded: the same for the coarse version and the map.
          cameraHalfTanX: cameraHalfTanX(facts.width, facts.height, facts),
          ...(coarse ? { coarse } : {}),
        },
        error: null,
      });
    };
    const maps = loadPhotoDepthMaps(url);
    maps.full.then(
      (map) => {
        if (!live) return;
        full = true;
        show(map, false);
      },
      // A coarse version shown stands for a map that cannot be had: flat again, with the reason.
      (error: Error) =>
        live &&
        setLoaded((l) => ({ source: l.source?.coarse ? null : l.source, error: error.message })),
    );
    maps.coarse?.then(
      (map) => live && !full && show(map, true),
      () => undefined, // the map itself is what counts
    );
    return () => {
      live = false;
    };
  }, [url, facts]);
  return loaded;
}

function depthTexture(map: DecodedDepthMap): THREE.DataTexture {
  const texture = new THREE.DataTexture(
    map.halfFloats,
    map.width,
    map.height,
    THREE.RedFormat,
    THREE.HalfFloatType,
  );
  texture.minFilter = THREE.LinearFilter;
  texture.magFilter = THREE.LinearFilter;
  texture.generateMipmaps = false;
  texture.needsUpdate = true;
  return texture;
}
