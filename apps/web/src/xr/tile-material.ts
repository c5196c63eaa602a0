import * as THREE from 'three';
import { TILE_FRAME_COLOURS } from '../lib/status-look';
import { ATLAS } from './thumbnail-atlas';

/**
 * One material for every gallery tile (one draw call): each instance picks its thumbnail from
 * the atlas and draws its own badges — video (play sign), depth (a dot) and processing state (a
 * coloured frame, pulsing while processing) — and its hover highlight.
 * Per instance: aSlot (u, v, ready, thumbnail failed), aBadges (video, depth, status, hover), aAlpha.
 */
export function createTileMaterial(atlas: THREE.Texture): THREE.ShaderMaterial {
  return new THREE.ShaderMaterial({
    uniforms: {
      uAtlas: { value: atlas },
      uSlotSize: { value: 1 / ATLAS.slotsPerSide },
      uTime: { value: 0 },
      uFrameColours: { value: TILE_FRAME_COLOURS.map((c) => new THREE.Color(c)) },
    },
    transparent: true,
    vertexShader: /* glsl */ `
      attribute vec4 aSlot;
      attribute vec4 aBadges;
      attribute float aAlpha;
      varying vec2 vUv;
      varying vec4 vSlot;
      varying vec4 vBadges;
      varying float vAlpha;
      void main() {
        vUv = uv;
        vSlot = aSlot;
        vBadges = aBadges;
        vAlpha = aAlpha;
        gl_Position = projectionMatrix * modelViewMatrix * instanceMatrix * vec4(position, 1.0);
      }
    `,
    fragmentShader: /* glsl */ `
      uniform sampler2D uAtlas;
      uniform float uSlotSize;
      uniform float uTime;
      uniform vec3 uFrameColours[3];
      varying vec2 vUv;
      varying vec4 vSlot;
      varying vec4 vBadges;
      varying float vAlpha;
      void main() {
        // Half a texel in from the slot edge, so mipmaps do not bleed in the neighbours.
        vec2 inset = clamp(vUv, 0.004, 0.996);
        vec3 color = vSlot.z > 0.5
          ? texture2D(uAtlas, vSlot.xy + inset * uSlotSize).rgb
          : vec3(0.16, 0.165, 0.19);
        if (vSlot.w > 0.5) {
          // The picture could not be loaded: a red cross.
          vec2 d = abs(vUv - 0.5);
          if (d.x < 0.2 && d.y < 0.2 && abs(d.x - d.y) < 0.02) color = vec3(0.9, 0.3, 0.3);
        }
        color *= 1.0 + 0.3 * vBadges.w;
        float edge = min(min(vUv.x, 1.0 - vUv.x), min(vUv.y, 1.0 - vUv.y));
        float status = vBadges.z;
        if (status > 0.5 && edge < 0.035) {
          // status-look.ts: queued, processing (pulsing), failed.
          vec3 frame = status < 1.5 ? uFrameColours[0]
            : status < 2.5 ? uFrameColours[1] * (0.65 + 0.35 * sin(uTime * 6.0))
            : uFrameColours[2];
          color = frame;
        }
        if (vBadges.w > 0.5 && edge < 0.02) color = vec3(0.44, 0.88, 0.78);
        if (vBadges.y > 0.5) {
          float d = distance(vUv, vec2(0.87, 0.87));
          if (d < 0.075) color = d > 0.055 ? vec3(0.05) : vec3(0.44, 0.88, 0.78);
        }
        if (vBadges.x > 0.5) {
          vec2 p = vUv - vec2(0.14, 0.14);
          if (length(p) < 0.09) {
            color = vec3(0.05);
            if (p.x > -0.03 && p.x < 0.045 && abs(p.y) < (0.045 - p.x) * 0.62) color = vec3(1.0);
          }
        }
        gl_FragColor = vec4(color, vAlpha);
        #include <colorspace_fragment>
      }
    `,
  });
}
