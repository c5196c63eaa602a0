import * as THREE from 'three';
import { FAR_SIDE_GATHER, FAR_SIDE_STEPS } from '../lib/depth/depth-edges';
import { DEPTH_VIEW } from '../lib/depth/depth-view-config';
import type { GridSize } from '../lib/depth/surface-grid';
import { COLOUR_COMMON, DEPTH_COMMON, type DepthSurfaceUniforms } from './depth-surface-material';
import { forgetTextures, releaseDepthMaterial } from './kept-programs';

const FULLSCREEN_VERTEX = /* glsl */ `
varying vec2 vUv;
void main() {
  vUv = uv;
  gl_Position = vec4(position.xy, 0.0, 1.0);
}
`;

/** One texel per surface vertex: its samples (depth-edges.ts surfaceSamples). */
const VERTEX_SAMPLES_FRAGMENT = /* glsl */ `
${DEPTH_COMMON}
varying vec2 vUv;
void main() {
  vec2 cells = 1.0 / uSurfaceCell;
  // Texel (i, k) (k from the bottom) holds the vertex at picture coordinate (i, k) × one cell.
  vec2 ik = floor(vUv * (cells + 1.0));
  vec2 p = ik * uSurfaceCell;
  gl_FragColor = vec4(surfaceSamplesAt(p), 0.0, 1.0);
}
`;

/** Each background cell: the farthest point of its block, with that point's colour. */
const GATHER_FRAGMENT = /* glsl */ `
${DEPTH_COMMON}
${COLOUR_COMMON}
uniform vec2 uTexel;
varying vec2 vUv;
void main() {
  vec2 corner = vUv - 0.5 * uTexel;
  float farthest = 2.0;
  vec2 at = vUv;
  for (int j = 0; j < ${FAR_SIDE_GATHER}; j++)
    for (int i = 0; i < ${FAR_SIDE_GATHER}; i++) {
      vec2 p = corner + (vec2(float(i), float(j)) + 0.5) / ${FAR_SIDE_GATHER}.0 * uTexel;
      float s = depthAt(p);
      if (s < farthest) { farthest = s; at = p; }
    }
  gl_FragColor = vec4(colourAt(at), farthest);
}
`;

/**
 * One spreading pass (depth-edges.ts farSide): a cell not yet filled takes the nearest clearly
 * farther neighbour. Filled cells carry their sample + 2 in alpha; the last pass writes it plain.
 */
const SPREAD_FRAGMENT = /* glsl */ `
uniform sampler2D uSource;
uniform float uLast;
uniform vec2 uCell;
uniform vec2 uDisparityOf;
uniform float uJump;
// The pass's reach in cells, how far a value taken in it may have come, and the cells a gap
// opens per unit of disparity.
uniform float uReach;
uniform float uTravelled;
uniform float uCellsPerDisparity;
varying vec2 vUv;
vec4 plain(vec4 cell) { return cell.a > 1.5 ? vec4(cell.rgb, cell.a - 2.0) : cell; }
void main() {
  vec4 here = textureLod(uSource, vUv, 0.0);
  if (here.a > 1.5) {
    gl_FragColor = uLast > 0.5 ? plain(here) : here;
    return;
  }
  float qHere = uDisparityOf.x + uDisparityOf.y * here.a;
  vec4 best = vec4(0.0, 0.0, 0.0, -1.0);
  // The eight neighbours beside, and (passes after the first) the eight at the pass's reach.
  for (int r = 0; r < 2; r++) {
    float reach = r == 0 ? 1.0 : uReach;
    if (r == 1 && uReach <= 1.0) break;
    for (int j = -1; j <= 1; j++)
      for (int i = -1; i <= 1; i++) {
        vec2 at = clamp(vUv + vec2(float(i), float(j)) * uCell * reach, 0.0, 1.0);
        vec4 n = plain(textureLod(uSource, at, 0.0));
        float qn = uDisparityOf.x + uDisparityOf.y * n.a;
        if (qn < (1.0 - uJump) * qHere && uTravelled <= uCellsPerDisparity * (qHere - qn) && n.a > best.a)
          best = n;
      }
  }
  gl_FragColor = best.a < 0.0 ? here : uLast > 0.5 ? best : vec4(best.rgb, best.a + 2.0);
}
`;

type Pass = (material: THREE.ShaderMaterial, into: THREE.WebGLRenderTarget) => void;

function target(width: number, height: number, filter: THREE.MagnificationTextureFilter) {
  return new THREE.WebGLRenderTarget(width, height, {
    type: THREE.HalfFloatType,
    format: THREE.RGBAFormat,
    minFilter: filter,
    magFilter: filter,
    depthBuffer: false,
    generateMipmaps: false,
  });
}

/**
 * What the depth surface needs from its depth before drawing, computed on the GPU whenever the
 * depth changes (a new map, a new video frame): every surface vertex's sample with occluding
 * edges considered, and the background layer's far side (see `farSide` in depth-edges.ts for the
 * passes, done here on textures).
 */
export class DepthPrepass {
  private readonly vertexTarget: THREE.WebGLRenderTarget;
  private readonly farTargets: [THREE.WebGLRenderTarget, THREE.WebGLRenderTarget];
  private readonly quad: THREE.Mesh<THREE.PlaneGeometry, THREE.ShaderMaterial>;
  private readonly camera = new THREE.OrthographicCamera(-1, 1, 1, -1, 0, 1);
  private readonly vertexSamples: THREE.ShaderMaterial;
  private readonly gather: THREE.ShaderMaterial;
  private readonly spread: THREE.ShaderMaterial;
  private result: THREE.WebGLRenderTarget;

  constructor(
    readonly surface: GridSize,
    readonly background: GridSize,
    private readonly uniforms: DepthSurfaceUniforms,
  ) {
    this.vertexTarget = target(surface.columns + 1, surface.rows + 1, THREE.NearestFilter);
    this.farTargets = [
      target(background.columns, background.rows, THREE.LinearFilter),
      target(background.columns, background.rows, THREE.LinearFilter),
    ];
    this.result = this.farTargets[0];
    const cell = { value: new THREE.Vector2(1 / surface.columns, 1 / surface.rows) };
    this.vertexSamples = new THREE.ShaderMaterial({
      uniforms: { ...uniforms, uSurfaceCell: cell },
      name: 'depth-prepass-vertex-samples',
      vertexShader: FULLSCREEN_VERTEX,
      fragmentShader: VERTEX_SAMPLES_FRAGMENT,
    });
    this.gather = new THREE.ShaderMaterial({
      uniforms: {
        ...uniforms,
        uTexel: { value: new THREE.Vector2(1 / background.columns, 1 / background.rows) },
      },
      name: 'depth-prepass-gather',
      vertexShader: FULLSCREEN_VERTEX,
      fragmentShader: GATHER_FRAGMENT,
    });
    this.spread = new THREE.ShaderMaterial({
      uniforms: {
        uSource: { value: null },
        uCell: { value: new THREE.Vector2(1 / background.columns, 1 / background.rows) },
        uDisparityOf: { value: new THREE.Vector2() },
        uJump: { value: 0 },
        uReach: { value: 1 },
        uLast: { value: 0 },
        uTravelled: { value: 1 },
        uCellsPerDisparity: { value: 0 },
      },
      name: 'depth-prepass-spread',
      vertexShader: FULLSCREEN_VERTEX,
      fragmentShader: SPREAD_FRAGMENT,
    });
    this.quad = new THREE.Mesh(new THREE.PlaneGeometry(2, 2), this.gather);
    this.quad.frustumCulled = false;
  }

  /** Each surface vertex's sample. */
  get surfaceSamples(): THREE.Texture {
    return this.vertexTarget.texture;
  }

  /** The background layer's far side. */
  get farSide(): THREE.Texture {
    return this.result.texture;
  }

  /** Renders passes outside any XR projection, then restores the renderer's target. */
  private passes(renderer: THREE.WebGLRenderer, run: (pass: Pass) => void): void {
    const previousTarget = renderer.getRenderTarget();
    const xrEnabled = renderer.xr.enabled;
    renderer.xr.enabled = false;
    run((material, into) => {
      this.quad.material = material;
      renderer.setRenderTarget(into);
      renderer.render(this.quad, this.camera);
    });
    renderer.xr.enabled = xrEnabled;
    renderer.setRenderTarget(previousTarget);
  }

  /**
   * Compiles its three programs as its passes will use them (into a half-float target, outside
   * XR), without waiting for the GPU: resolves once they are linked (see `compileDepthPrograms`).
   */
  compileAsync(renderer: THREE.WebGLRenderer): Promise<unknown> {
    let compiling: Promise<unknown>[] = [];
    this.passes(renderer, () => {
      renderer.setRenderTarget(this.vertexTarget);
      compiling = [this.vertexSamples, this.gather, this.spread].map((material) =>
        renderer.compileAsync(new THREE.Mesh(this.quad.geometry, material), this.camera),
      );
    });
    return Promise.all(compiling);
  }

  /** Every surface vertex's samples: again whenever the depth changes. */
  updateSurface(renderer: THREE.WebGLRenderer): void {
    this.passes(renderer, (pass) => pass(this.vertexSamples, this.vertexTarget));
  }

  /**
   * The far side, spread as far as gaps open (`cellsPerDisparity`, see `revealCellsPerDisparity`):
   * again whenever the depth or the relief changes.
   */
  updateFarSide(renderer: THREE.WebGLRenderer, cellsPerDisparity: number): void {
    this.passes(renderer, (pass) => this.spreadFarSide(pass, cellsPerDisparity));
  }

  private spreadFarSide(pass: Pass, cellsPerDisparity: number): void {
    const [a, b] = this.farTargets;
    pass(this.gather, a);
    const u = this.spread.uniforms as {
      uSource: THREE.IUniform<THREE.Texture>;
      uDisparityOf: THREE.IUniform<THREE.Vector2>;
      uJump: THREE.IUniform<number>;
      uReach: THREE.IUniform<number>;
      uLast: THREE.IUniform<number>;
      uTravelled: THREE.IUniform<number>;
      uCellsPerDisparity: THREE.IUniform<number>;
    };
    const disparity = this.uniforms.uDisparity.value;
    u.uDisparityOf.value.set(disparity.x, disparity.y);
    u.uJump.value = DEPTH_VIEW.edges.relativeJump;
    u.uCellsPerDisparity.value = cellsPerDisparity;
    let from = a;
    let into = b;
    u.uTravelled.value = 0;
    for (const step of FAR_SIDE_STEPS) {
      u.uTravelled.value += step;
      u.uSource.value = from.texture;
      u.uReach.value = step;
      u.uLast.value = step === FAR_SIDE_STEPS.at(-1) ? 1 : 0;
      pass(this.spread, into);
      [from, into] = [into, from];
    }
    this.result = from;
  }

  /** Frees its targets; its materials are released (see kept-programs.ts). */
  dispose(renderer: THREE.WebGLRenderer): void {
    this.vertexTarget.dispose();
    for (const t of this.farTargets) t.dispose();
    forgetTextures(this.spread.uniforms);
    for (const material of [this.vertexSamples, this.gather, this.spread])
      releaseDepthMaterial(renderer, material);
    this.quad.geometry.dispose();
  }
}
