import type { MediaDetail } from '@immichvr/shared';
import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useMemo, useRef, useState } from 'react';
import * as THREE from 'three';
import { DEPTH_PHOTO } from '../lib/depth/depth-photo-config';
import {
  type LayerBuffers,
  loadDepthMesh,
  type ReadyDepthMesh,
} from '../lib/depth/load-depth-mesh';
import { createDepthMaterial, type DepthUniforms } from './depth-material';

export type DepthPhotoState = 'loading' | 'flat' | '3d' | 'error';

export interface DepthPhotoStatus {
  state: DepthPhotoState;
  triangles: number;
  /** The depth map shown in 3D (null while flat). */
  depthMapId: string | null;
  error?: string;
}

interface Props {
  item: MediaDetail;
  /** 0 = flat … 1 = the map's own relief. */
  depthStrength: number;
  /** Multiplies the default ~50° width. */
  sizeScale?: number;
  /** Where the photo's reference depth sits in front of the viewer. */
  distanceMeters?: number;
  onStatus?: (status: DepthPhotoStatus) => void;
}

/** Seconds for the 3D shape to blend in (or out, when a newer depth map replaces it). */
const BLEND_SECONDS = 0.6;

function layerGeometry(layer: LayerBuffers): THREE.BufferGeometry {
  const geometry = new THREE.BufferGeometry();
  geometry.setAttribute('position', new THREE.BufferAttribute(layer.positions, 3));
  geometry.setAttribute('flatPosition', new THREE.BufferAttribute(layer.flat, 3));
  geometry.setAttribute('uv', new THREE.BufferAttribute(layer.uvs, 2));
  geometry.setIndex(new THREE.BufferAttribute(layer.indices, 1));
  geometry.computeBoundingSphere();
  return geometry;
}

interface Shape {
  depthMapId: string;
  mesh: ReadyDepthMesh;
  foreground: THREE.BufferGeometry;
  background: THREE.BufferGeometry;
}

/**
 * A photo as a depth-displaced mesh, placed in front of the viewer (1.75 m, ~50° wide): the flat
 * 2048 px preview at once, the 3D shape blended in when the depth map arrives (decoded and meshed
 * in a worker), a newer depth map swapped in by flattening and re-growing. Textures and geometry
 * are disposed when the photo closes.
 */
export function DepthPhoto({
  item,
  depthStrength,
  sizeScale = 1,
  distanceMeters = DEPTH_PHOTO.placement.distanceMeters,
  onStatus,
}: Props) {
  const gl = useThree((s) => s.gl);
  const [texture, setTexture] = useState<THREE.Texture | null>(null);
  const [shape, setShape] = useState<Shape | null>(null);
  const [incoming, setIncoming] = useState<Shape | null>(null);
  const [error, setError] = useState<string | null>(null);
  const uniforms = useMemo<DepthUniforms>(() => ({ uMix: { value: 0 } }), []);
  const material = useMemo(
    () => (texture ? createDepthMaterial(texture, uniforms) : null),
    [texture, uniforms],
  );

  // The colour: the EXIF-oriented 2048 px preview, sRGB, mipmapped.
  useEffect(() => {
    let live = true;
    let loaded: THREE.Texture | undefined;
    new THREE.TextureLoader().load(
      item.urls.previewLarge,
      (t) => {
        t.colorSpace = THREE.SRGBColorSpace;
        t.anisotropy = Math.min(8, gl.capabilities.getMaxAnisotropy());
        t.generateMipmaps = true;
        t.minFilter = THREE.LinearMipmapLinearFilter;
        loaded = t;
        if (live) setTexture(t);
        else t.dispose();
      },
      undefined,
      () => live && setError('the photo could not be loaded'),
    );
    return () => {
      live = false;
      loaded?.dispose();
    };
  }, [item.urls.previewLarge, gl]);

  // The shape: fetched, decoded and meshed off the main thread.
  // The URL carries the depth map's id: a new URL is a new map.
  const depthUrl = item.urls.depth;
  const depthFacts = useRef(item.depthMap);
  depthFacts.current = item.depthMap;
  useEffect(() => {
    const facts = depthFacts.current;
    if (!depthUrl || !facts) return;
    const abort = new AbortController();
    loadDepthMesh(depthUrl, facts, abort.signal).then(
      (mesh) => {
        performance.mark('depth-photo:mesh-ready');
        const next = {
          depthMapId: facts.id,
          mesh,
          foreground: layerGeometry(mesh.foreground),
          background: layerGeometry(mesh.background),
        };
        // Nothing to flatten first: show it at once (it blends in from flat).
        if (uniforms.uMix.value === 0) setShape(next);
        else setIncoming(next);
      },
      (e: Error) => !abort.signal.aborted && setError(e.message),
    );
    return () => abort.abort();
  }, [depthUrl, uniforms]);

  // Geometry no longer shown is freed.
  useEffect(
    () => () => {
      shape?.foreground.dispose();
      shape?.background.dispose();
    },
    [shape],
  );
  useEffect(() => () => material?.dispose(), [material]);

  // Blend: flatten the current shape while a new one waits, then grow the new one.
  useFrame((_, delta) => {
    const step = delta / BLEND_SECONDS;
    if (incoming) {
      uniforms.uMix.value = Math.max(0, uniforms.uMix.value - step);
      if (!shape || uniforms.uMix.value === 0) {
        setShape(incoming);
        setIncoming(null);
      }
      return;
    }
    const target = shape ? depthStrength : 0;
    const current = uniforms.uMix.value;
    uniforms.uMix.value =
      current < target ? Math.min(target, current + step) : Math.max(target, current - step);
  });

  const state: DepthPhotoState = error
    ? 'error'
    : !texture
      ? 'loading'
      : shape && !incoming
        ? '3d'
        : 'flat';
  const triangles = shape ? shape.mesh.triangles : 2;
  const depthMapId = state === '3d' && shape ? shape.depthMapId : null;
  useEffect(() => {
    // User Timing marks: `pnpm bench web` measures selection → flat photo → 3D mesh with them.
    performance.mark(`depth-photo:${state}`);
    onStatus?.({ state, triangles, depthMapId, ...(error ? { error } : {}) });
  }, [state, triangles, depthMapId, error, onStatus]);

  // Placement: the reference depth's plane at the viewing distance, ~50° wide.
  const aspect = (item.height ?? 3) / (item.width ?? 4);
  const { widthDegrees } = DEPTH_PHOTO.placement;
  const shownWidth =
    sizeScale * 2 * distanceMeters * Math.tan(((widthDegrees / 2) * Math.PI) / 180);
  if (!texture || !material) return null;
  if (!shape) {
    return (
      <mesh position={[0, 0, -distanceMeters]}>
        <planeGeometry args={[shownWidth, shownWidth * aspect]} />
        <meshBasicMaterial map={texture} />
      </mesh>
    );
  }
  const { zReference, focalPixels, width } = shape.mesh;
  const scale = shownWidth / ((zReference * width) / focalPixels);
  return (
    <group scale={scale} position={[0, 0, scale * zReference - distanceMeters]}>
      <mesh geometry={shape.background} material={material} renderOrder={0} />
      <mesh geometry={shape.foreground} material={material} renderOrder={1} />
    </group>
  );
}
