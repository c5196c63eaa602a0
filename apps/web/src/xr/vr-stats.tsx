import { addAfterEffect, addEffect, useThree } from '@react-three/fiber';
import { useEffect } from 'react';
import type * as THREE from 'three';
import { RollingSamples } from '../lib/frame-timing';
import { programsCompiledCounter } from '../scene/programs-compiled';
import { ATLAS_TEXTURE_NAME } from './thumbnail-atlas';
import { xrMirror } from './xr-mirror';

/** Bytes a texture takes on the GPU (RGBA8, plus a third for mipmaps). */
function textureBytes(texture: THREE.Texture): number {
  const image = texture.image as { width?: number; height?: number } | undefined;
  const pixels = (image?.width ?? 0) * (image?.height ?? 0);
  return pixels * 4 * (texture.generateMipmaps ? 4 / 3 : 1);
}

function texturesIn(scene: THREE.Scene): Set<THREE.Texture> {
  const found = new Set<THREE.Texture>();
  scene.traverse((object) => {
    const material = (object as THREE.Mesh).material as
      | THREE.Material
      | THREE.Material[]
      | undefined;
    for (const m of Array.isArray(material) ? material : material ? [material] : []) {
      for (const value of Object.values(m))
        if ((value as THREE.Texture)?.isTexture) found.add(value);
      const uniforms = (m as THREE.ShaderMaterial).uniforms ?? {};
      for (const u of Object.values(uniforms))
        if ((u.value as THREE.Texture)?.isTexture) found.add(u.value);
    }
  });
  return found;
}

/**
 * What the headset is asked to do, in the DOM mirror: draw calls, triangles, live geometries and
 * textures, shader programs compiled, texture memory, and JS time per frame (median and p95 of the
 * last frames).
 */
export function VrStats() {
  const gl = useThree((s) => s.gl) as THREE.WebGLRenderer;
  const scene = useThree((s) => s.scene);
  useEffect(() => {
    const js = new RollingSamples();
    let started = 0;
    let frame = 0;
    const programsCompiled = programsCompiledCounter(gl);
    const before = addEffect(() => {
      started = performance.now();
    });
    const after = addAfterEffect(() => {
      js.push(performance.now() - started);
      if (++frame % 15 !== 0) return;
      const textures = [...texturesIn(scene)];
      const sum = (list: THREE.Texture[]) =>
        (list.reduce((total, t) => total + textureBytes(t), 0) / 2 ** 20).toFixed(1);
      const atlas = textures.filter((t) => t.name === ATLAS_TEXTURE_NAME);
      const ui = textures.filter(
        (t) => (t as THREE.CanvasTexture).isCanvasTexture && !atlas.includes(t),
      );
      xrMirror.setState({
        'draw-calls': gl.info.render.calls,
        triangles: gl.info.render.triangles,
        geometries: gl.info.memory.geometries,
        textures: gl.info.memory.textures,
        'programs-compiled': programsCompiled(),
        'texture-mb': sum(textures),
        'atlas-mb': sum(atlas),
        'ui-texture-mb': sum(ui),
        'model-texture-mb': sum(textures.filter((t) => !atlas.includes(t) && !ui.includes(t))),
        'frame-js-ms': js.percentile(50).toFixed(2),
        'frame-js-p95-ms': js.percentile(95).toFixed(2),
        frames: frame,
      });
    });
    return () => {
      before();
      after();
    };
  }, [gl, scene]);
  return null;
}
