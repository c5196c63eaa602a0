import { useThree } from '@react-three/fiber';
import { useEffect, useState } from 'react';
import * as THREE from 'three';
import { surfaceGrids } from '../lib/depth/surface-grid';
import { DepthPrepass } from './depth-prepass';
import { createDepthSurfaceMaterials, createDepthSurfaceUniforms } from './depth-surface-material';
import { gridGeometry } from './grid-geometry';
import { releaseDepthMaterial } from './kept-programs';
import { settledFramesOf } from './settled-antialiasing';

/**
 * Compiles and links the depth view's five programs (surface, background layer, three prepasses)
 * for this renderer without holding the page: three.js' `compileAsync` starts them and polls for
 * them (KHR_parallel_shader_compile) instead of the first draw waiting for them (on software
 * rendering the viewer's warm-up held the page 144–167 ms; 0–67 ms with this). Resolves when they
 * are ready; the renderer keeps them (kept-programs.ts).
 */
export function compileDepthPrograms(
  renderer: THREE.WebGLRenderer,
  camera: THREE.Camera,
): Promise<void> {
  let compiled = compiling.get(renderer);
  if (!compiled) {
    compiled = compile(renderer, camera);
    compiling.set(renderer, compiled);
  }
  return compiled;
}

/**
 * Compiles the depth view's programs for this canvas' renderer (`compileDepthPrograms`); true once
 * they are ready, or could not be made ready (then the first draw compiles them, as without this).
 */
export function useDepthProgramsCompiled(): boolean {
  const gl = useThree((s) => s.gl);
  const camera = useThree((s) => s.camera);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let live = true;
    const done = () => live && setReady(true);
    compileDepthPrograms(gl, camera).then(done, done);
    return () => {
      live = false;
    };
  }, [gl, camera]);
  return ready;
}

/** Once per renderer: a headset session started again, or a second effect, compiles nothing. */
const compiling = new WeakMap<THREE.WebGLRenderer, Promise<void>>();

async function compile(renderer: THREE.WebGLRenderer, camera: THREE.Camera): Promise<void> {
  const uniforms = createDepthSurfaceUniforms();
  const materials = createDepthSurfaceMaterials(uniforms);
  const grids = surfaceGrids(4 / 3).coarse;
  const prepass = new DepthPrepass(grids.surface, grids.background, uniforms);
  const surface = new THREE.Group().add(
    new THREE.Mesh(gridGeometry(grids.surface), materials.surface),
    new THREE.Mesh(gridGeometry(grids.background), materials.background),
  );
  try {
    await Promise.all([
      renderer.compileAsync(surface, camera),
      prepass.compileAsync(renderer),
      // Where settled frames are drawn multisampled into a target: the same, for the target.
      settledFramesOf(renderer)?.compileAsync(renderer, surface, camera),
    ]);
  } finally {
    releaseDepthMaterial(renderer, materials.surface);
    releaseDepthMaterial(renderer, materials.background);
    prepass.dispose(renderer);
  }
}
