import type * as THREE from 'three';

/**
 * Counts the shader programs a renderer has compiled since the counter was made (each program
 * object it has had alive, once): read after a frame, it shows whether opening something compiled
 * anything (kept-programs.ts: opening another photo compiles nothing).
 */
export function programsCompiledCounter(renderer: THREE.WebGLRenderer): () => number {
  const seen = new WeakSet<object>();
  let count = 0;
  return () => {
    for (const program of renderer.info.programs ?? [])
      if (!seen.has(program)) {
        seen.add(program);
        count++;
      }
    return count;
  };
}
