import type * as THREE from 'three';

/**
 * three.js deletes a shader program when the last material that uses it is disposed. The depth
 * view's materials live as long as the item shown, so every opened photo compiled and linked the
 * view's five programs again (on software rendering 45–65 ms each, most of an opened photo's
 * first frame; in a headset a stall of several frames), and the viewer's warm-up compiled them for
 * nothing. So each renderer keeps the last drawn material of each of its depth-view shaders
 * (by `material.name`): its program, and the driver's pipelines for it, last as long as the
 * renderer. The owner of a kept material's uniforms lets go of their textures (`forgetTextures`).
 */
const kept = new WeakMap<THREE.WebGLRenderer, Map<string, THREE.ShaderMaterial>>();

/** Disposes a depth-view material, or keeps it (see above) if it is the newest drawn of its name. */
export function releaseDepthMaterial(
  renderer: THREE.WebGLRenderer,
  material: THREE.ShaderMaterial,
): void {
  const { programs } = renderer.properties.get(material) as { programs?: Map<string, unknown> };
  if (!material.name || !programs?.size) {
    material.dispose();
    return;
  }
  const byName = kept.get(renderer) ?? new Map<string, THREE.ShaderMaterial>();
  kept.set(renderer, byName);
  const before = byName.get(material.name);
  byName.set(material.name, material);
  // After the newer one holds the program: disposing the older one deletes nothing it uses.
  if (before && before !== material) before.dispose();
}

/** Sets every texture uniform to null: a kept material holds no picture, map or target alive. */
export function forgetTextures(uniforms: Record<string, THREE.IUniform>): void {
  for (const uniform of Object.values(uniforms))
    if ((uniform.value as { isTexture?: boolean } | null)?.isTexture) uniform.value = null;
}
