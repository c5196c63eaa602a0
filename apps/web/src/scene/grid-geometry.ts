import * as THREE from 'three';
import { type GridSize, gridBuffers } from '../lib/depth/surface-grid';

/** Grid geometries by size, shared by every surface of that size; the few most recent are kept. */
const geometries = new Map<string, THREE.BufferGeometry>();
const KEEP = 6;

/**
 * A grid whose positions are picture coordinates (u, v, 0): the depth surface's vertex shader puts
 * each vertex on its ray, so the geometry depends on the grid size alone.
 */
export function gridGeometry(grid: GridSize): THREE.BufferGeometry {
  const key = `${grid.columns}x${grid.rows}`;
  const known = geometries.get(key);
  if (known) {
    geometries.delete(key);
    geometries.set(key, known);
    return known;
  }
  const { uvs, indices } = gridBuffers(grid);
  const positions = new Float32Array((uvs.length / 2) * 3);
  for (let v = 0; v < uvs.length / 2; v++) {
    positions[v * 3] = uvs[v * 2] as number;
    positions[v * 3 + 1] = uvs[v * 2 + 1] as number;
  }
  const geometry = new THREE.BufferGeometry();
  geometry.setAttribute('position', new THREE.BufferAttribute(positions, 3));
  geometry.setIndex(new THREE.BufferAttribute(indices, 1));
  // The shader moves every vertex; the surface is never culled, so no bounds are needed.
  geometry.boundingSphere = new THREE.Sphere(new THREE.Vector3(), Number.POSITIVE_INFINITY);
  geometries.set(key, geometry);
  while (geometries.size > KEEP) {
    const oldest = geometries.keys().next().value as string;
    geometries.get(oldest)?.dispose();
    geometries.delete(oldest);
  }
  return geometry;
}
