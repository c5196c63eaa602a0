import type { DisparityEncoding } from '@immichvr/shared';
import type * as THREE from 'three';
import type { DepthStats } from '../lib/depth/placement';
import type { TextureRegion } from './depth-surface-material';

/** Where a depth surface's colour comes from: a photo's picture now, a video's frames next. */
export interface ColourSource {
  texture: THREE.Texture;
  region: TextureRegion;
  /** True when the texture holds sRGB values the shader must decode (a video frame). */
  decode: boolean;
  /** Width / height of the picture as shown. */
  aspect: number;
}

/** Where its depth comes from, and how to read it. */
export interface DepthSource {
  /**
   * The depth map's id: a new one is swapped in by flattening and growing again; the same one
   * (the map after its coarse version) in place.
   */
  id: string;
  texture: THREE.Texture;
  region: TextureRegion;
  stats: DepthStats;
  encoding: DisparityEncoding;
  /** tan of half the camera's horizontal field of view. */
  cameraHalfTanX: number;
  /**
   * A depth that changes in place (a video's frames): a number that changes with each new frame,
   * so the surface re-reads it. Absent: the depth never changes.
   */
  version?: () => number;
  /** The texture belongs to someone else (a video's, shared with its colour): not disposed here. */
  shared?: boolean;
  /**
   * A coarse version of the map: the map itself follows under the same id and is swapped in place
   * (no flattening); the view has not settled until it has.
   */
  coarse?: boolean;
}
