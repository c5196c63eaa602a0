import type * as THREE from 'three';

/**
 * three.js deletes a shader program when the last material that uses it is disposed. The depth
 * view's materials live as long as the item shown, so every opened photo compiled and linked the
 * view's five programs again (on software rendering 45–65 ms each, most of an opened photo's
 * first frame; in a headset a stall of several frames), and the viewer's warm-up compiled them for
 * nothing. So each renderer keeps the last drawn material of each of its depth-view shaders
 * (by `material.name`), and an older one as long as it holds a variant of the program the newer
 * one has not been drawn with (the variant for a multisampled target, settled-antialiasing.ts,
 * compiled before any photo settles): their programs, and the driver's pipelines for them, last
 * as long as the renderer. The owner of a kept material's uniforms lets go of their textures
 * (`forgetTextures`).
 */
const kept = new WeakMap<THREE.WebGLRenderer, Map<string, THREE.ShaderMaterial[]>>();

/** The cache keys of the programs a material has been compiled or drawn with, on this renderer. */
function programKeys(renderer: THREE.WebGLRenderer, material: THREE.ShaderMaterial): Set<string> {
  const { programs } = renderer.properties.get(material) as { programs?: Map<string, unknown> };
  return new Set(programs?.keys() ?? []);
}

/** Disposes a depth-view material, or keeps it (see above) if it is the newest drawn of its name. */
export function releaseDepthMaterial(
  renderer: THREE.WebGLRenderer,
  material: THREE.ShaderMaterial,
): void {
  const keys = programKeys(renderer, material);
  if (!material.name || keys.size === 0) {
    material.dispose();
    return;
  }
  const byName = kept.get(renderer) ?? new Map<string, THREE.ShaderMaterial[]>();
  kept.set(renderer, byName);
  const older = (byName.get(material.name) ?? []).filter((other) => other !== material);
  const stillNeeded = older.filter((other) =>
    [...programKeys(renderer, other)].some((key) => !keys.has(key)),
  );
  byName.set(material.name, [...stillNeeded, material]);
  // After the newer one holds its programs: disposing an older one deletes nothing they use.
  for (const other of older) if (!stillNeeded.includes(other)) other.dispose();
}

/** Sets every texture uniform to null: a kept material holds no picture, map or target alive. */
export function forgetTextures(uniforms: Record<string, THREE.IUniform>): void {
  for (const uniform of Object.values(uniforms))
    if ((uniform.value as { isTexture?: boolean } | null)?.isTexture) uniform.value = null;
}
