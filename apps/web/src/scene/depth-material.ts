import * as THREE from 'three';

/** Uniforms shared by a depth photo's layers: 0 = the flat photo, 1 = the full depth. */
export interface DepthUniforms {
  uMix: { value: number };
}

/**
 * three's unlit material (colour management, mipmaps, fog all as usual) whose vertices blend
 * between the flat photo (`flatPosition`) and the depth surface (`position`) by `uMix`.
 */
export function createDepthMaterial(
  map: THREE.Texture,
  uniforms: DepthUniforms,
): THREE.MeshBasicMaterial {
  const material = new THREE.MeshBasicMaterial({ map, side: THREE.FrontSide });
  material.onBeforeCompile = (shader) => {
    shader.uniforms.uMix = uniforms.uMix;
    shader.vertexShader = shader.vertexShader
      .replace(
        '#include <common>',
        '#include <common>\nattribute vec3 flatPosition;\nuniform float uMix;',
      )
      .replace('#include <begin_vertex>', 'vec3 transformed = mix(flatPosition, position, uMix);');
  };
  material.customProgramCacheKey = () => 'immichvr-depth-photo';
  return material;
}
