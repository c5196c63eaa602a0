import * as THREE from 'three';
import { surfaceGrids } from '../lib/depth/surface-grid';
import { DepthPrepass } from './depth-prepass';
import { createDepthSurfaceMaterials, createDepthSurfaceUniforms } from './depth-surface-material';
import { gridGeometry } from './grid-geometry';
import { releaseDepthMaterial } from './kept-programs';

/**
 * Compiles and links the depth view's five programs (surface, background layer, three prepasses)
 * for this renderer without holding the page: three.js' `compileAsync` starts them and polls for
 * them (KHR_parallel_shader_compile) instead of the first draw waiting for them (on software
 * rendering the viewer's warm-up held the page 144–167 ms; 0–67 ms with this). Resolves when they
 * are ready; the renderer keeps them (kept-programs.ts).
 */
export async function compileDepthPrograms(
  renderer: THREE.WebGLRenderer,
  camera: THREE.Camera,
): Promise<void> {
  const uniforms = createDepthSurfaceUniforms();
  const materials = createDepthSurfaceMaterials(uniforms);
  const grids = surfaceGrids(4 / 3).coarse;
  const prepass = new DepthPrepass(grids.surface, grids.background, uniforms);
  const surface = new THREE.Group().add(
    new THREE.Mesh(gridGeometry(grids.surface), materials.surface),
    new THREE.Mesh(gridGeometry(grids.background), materials.background),
  );
  try {
    await Promise.all([renderer.compileAsync(surface, camera), prepass.compileAsync(renderer)]);
  } finally {
    releaseDepthMaterial(renderer, materials.surface);
    releaseDepthMaterial(renderer, materials.background);
    prepass.dispose(renderer);
  }
}
