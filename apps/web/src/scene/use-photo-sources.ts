import type { MediaDetail } from '@immichvr/shared';
import { useThree } from '@react-three/fiber';
import { useEffect, useState } from 'react';
import * as THREE from 'three';
import { loadDepthMap, loadPicture } from '../api/media-loads';
import { cameraHalfTanX } from '../lib/depth/camera-intrinsics';
import { interpretDepth } from '../lib/depth/depth-conversion';
import type { ColourSource, DepthSource } from './depth-sources';
import { WHOLE_TEXTURE } from './depth-surface-material';

interface Loaded<T> {
  source: T | null;
  error: string | null;
}

/** A photo's colour: its EXIF-oriented 2048 px preview, sRGB, mipmapped; disposed when unused. */
export function usePictureColour(url: string): Loaded<ColourSource> {
  const gl = useThree((s) => s.gl);
  const [loaded, setLoaded] = useState<Loaded<ColourSource>>({ source: null, error: null });
  useEffect(() => {
    let live = true;
    let texture: THREE.Texture | undefined;
    setLoaded({ source: null, error: null });
    loadPicture(url).then(
      (bitmap) => {
        if (!live) return;
        texture = new THREE.Texture(bitmap);
        texture.flipY = false; // the bitmap is decoded bottom row first
        texture.colorSpace = THREE.SRGBColorSpace;
        texture.anisotropy = Math.min(8, gl.capabilities.getMaxAnisotropy());
        texture.generateMipmaps = true;
        texture.minFilter = THREE.LinearMipmapLinearFilter;
        texture.needsUpdate = true;
        performance.mark('depth-media:colour-ready');
        setLoaded({
          source: {
            texture,
            region: WHOLE_TEXTURE(bitmap.width, bitmap.height),
            decode: false,
            aspect: bitmap.width / bitmap.height,
          },
          error: null,
        });
      },
      (error: Error) => live && setLoaded({ source: null, error: error.message }),
    );
    return () => {
      live = false;
      texture?.dispose();
    };
  }, [url, gl]);
  return loaded;
}

/**
 * A photo's depth map as a half-float texture (16 bits decoded in a worker), with how to read it:
 * the encoding it records (parsed once, by the API client) or the default for relative maps, and
 * the camera's field of view. The URL carries the map's id, so a new map is a new URL. The depth
 * surface owns the texture from here: it disposes it once it no longer shows it.
 */
export function usePhotoDepth(item: MediaDetail): Loaded<DepthSource> {
  // A depth image (a video's depth is a video: see use-video-sources.ts).
  const facts = item.depthMap?.format === 'png' ? item.depthMap : null;
  const url = facts ? item.urls.depth : null;
  const [loaded, setLoaded] = useState<Loaded<DepthSource>>({ source: null, error: null });
  useEffect(() => {
    if (!url || !facts) return;
    let live = true;
    loadDepthMap(url).then(
      (map) => {
        if (!live) return;
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
        performance.mark('depth-media:depth-ready');
        setLoaded({
          source: {
            id: facts.id,
            texture,
            // Rows are top first: picture v = 1 (top) is the texture's first row.
            region: { offset: [0, 1], scale: [1, -1], texels: [map.width, map.height] },
            stats: map.stats,
            encoding: interpretDepth(facts.encoding).encoding,
            cameraHalfTanX: cameraHalfTanX(map.width, map.height, facts),
          },
          error: null,
        });
      },
      (error: Error) => live && setLoaded((l) => ({ source: l.source, error: error.message })),
    );
    return () => {
      live = false;
    };
  }, [url, facts]);
  return loaded;
}
