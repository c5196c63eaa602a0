import * as THREE from 'three';
import { VERTEX_LATTICE_STEPS } from '../lib/depth/depth-edges';
import { DEPTH_VIEW } from '../lib/depth/depth-view-config';
import type { Relief, RestRect } from '../lib/depth/placement';

/**
 * Where a picture's colour or depth lies in its texture: the texture coordinate of the picture's
 * bottom-left (offset) and the step to its top-right (scale; negative flips). A photo's depth map
 * is its own texture; a video frame stacks colour over depth in one texture.
 */
export interface TextureRegion {
  offset: [number, number];
  scale: [number, number];
  /** The region's size in texels (to keep samples half a texel inside it). */
  texels: [number, number];
}

export const WHOLE_TEXTURE = (width: number, height: number): TextureRegion => ({
  offset: [0, 0],
  scale: [1, 1],
  texels: [width, height],
});

/** Uniforms shared by the surface, its background layer and the far-side passes. */
export interface DepthSurfaceUniforms {
  [name: string]: THREE.IUniform;
  uColour: THREE.IUniform<THREE.Texture | null>;
  uColourRegion: THREE.IUniform<THREE.Vector4>;
  uColourClamp: THREE.IUniform<THREE.Vector4>;
  /** 1 when the colour texture holds sRGB values the shader must decode (video), 0 when the GPU does. */
  uDecodeColour: THREE.IUniform<number>;
  uDepth: THREE.IUniform<THREE.Texture | null>;
  uDepthRegion: THREE.IUniform<THREE.Vector4>;
  uDepthClamp: THREE.IUniform<THREE.Vector4>;
  /** Each surface vertex's sample (r), edges considered, from `DepthPrepass`. */
  uSurfaceSamples: THREE.IUniform<THREE.Texture | null>;
  /** The background layer's far side (rgb: colour, linear; a: sample), from `DepthPrepass`. */
  uFarSide: THREE.IUniform<THREE.Texture | null>;
  /** shift, scale, qReference (see `Relief`). */
  uDisparity: THREE.IUniform<THREE.Vector3>;
  /** Relief × how far it has grown in. */
  uKappa: THREE.IUniform<number>;
  uDisparityRange: THREE.IUniform<THREE.Vector2>;
  /** halfWidth, halfHeight, distance (see `RestRect`). */
  uRest: THREE.IUniform<THREE.Vector3>;
  /** One surface cell in picture coordinates. */
  uSurfaceCell: THREE.IUniform<THREE.Vector2>;
}

const { relativeJump, stepContrast } = DEPTH_VIEW.edges;

/** Sampling and shaping, shared by every pass: the GLSL twin of placement.ts and depth-edges.ts. */
export const DEPTH_COMMON = /* glsl */ `
uniform sampler2D uDepth;
uniform vec4 uDepthRegion;
uniform vec4 uDepthClamp;
uniform vec3 uDisparity;
uniform float uKappa;
uniform vec2 uDisparityRange;
uniform vec3 uRest;
uniform vec2 uSurfaceCell;

#define RELATIVE_JUMP ${relativeJump.toFixed(6)}
#define STEP_CONTRAST ${stepContrast.toFixed(6)}

// The depth map's normalised sample at picture coordinate p (bilinear, kept inside its region).
float depthAt(vec2 p) {
  vec2 t = clamp(uDepthRegion.xy + p * uDepthRegion.zw, uDepthClamp.xy, uDepthClamp.zw);
  return textureLod(uDepth, t, 0.0).r;
}

float disparityOf(float s) { return uDisparity.x + uDisparity.y * s; }

// depth-edges.ts surfaceSamples: a vertex with a nearer point within a cell, across an outsized
// step, takes the near side's sample (the nearest such point), and remembers the far side's.
// Computed once per depth change for every vertex by DepthPrepass: (surface, far).
#define LATTICE ${2 * VERTEX_LATTICE_STEPS + 1}
#define LATTICE_POINTS ${(2 * VERTEX_LATTICE_STEPS + 1) ** 2}
vec2 surfaceSamplesAt(vec2 p) {
  float s[LATTICE_POINTS];
  for (int j = 0; j < LATTICE; j++)
    for (int i = 0; i < LATTICE; i++)
      s[j * LATTICE + i] = depthAt(p + (vec2(float(i), float(j)) / ${VERTEX_LATTICE_STEPS}.0 - 1.0) * uSurfaceCell);
  float own = s[LATTICE_POINTS / 2];
  float q0 = disparityOf(own);
  vec2 result = vec2(own);
  for (int k = 0; k < LATTICE_POINTS; k++) {
    if (k == LATTICE_POINTS / 2) continue;
    float near = s[k];
    float step = disparityOf(near) - q0;
    if (!(near > result.x && step > RELATIVE_JUMP * disparityOf(near))) continue;
    // The other way: a point as far, and one a lattice step beyond (none beside the border).
    vec2 d = vec2(float(k % LATTICE), float(k / LATTICE)) / ${VERTEX_LATTICE_STEPS}.0 - 1.0;
    float reach = max(abs(d.x), abs(d.y)) * ${VERTEX_LATTICE_STEPS}.0;
    vec2 beyond = p - d * (1.0 + 1.0 / reach) * uSurfaceCell;
    vec2 t = uDepthRegion.xy + beyond * uDepthRegion.zw;
    if (any(lessThan(t, uDepthClamp.xy)) || any(greaterThan(t, uDepthClamp.zw))) continue;
    float opposite = s[LATTICE_POINTS - 1 - k];
    float q1 = disparityOf(opposite);
    float q2 = disparityOf(depthAt(beyond));
    if (step > STEP_CONTRAST * min(abs(q0 - q1), reach * abs(q1 - q2)))
      result = vec2(near, min(own, opposite));
  }
  return result;
}

// The surface's vertex (i, j) (j from the top) reads its samples from DepthPrepass' grid texture:
// r its depth, g the far side's.
uniform sampler2D uSurfaceSamples;
vec2 vertexSamples(vec2 ij) {
  vec2 cells = 1.0 / uSurfaceCell;
  return textureLod(uSurfaceSamples, (vec2(ij.x, cells.y - ij.y) + 0.5) / (cells + 1.0), 0.0).rg;
}

// depth-edges.ts surfaceKeeps: where the surface was lifted to an edge's near side, a pixel clearly
// farther than the surface and nearer the far side is the far side's: cut.
bool surfaceKeeps(float pixelSample, vec2 samples) {
  float pixel = disparityOf(pixelSample);
  float surface = disparityOf(samples.x);
  float far = disparityOf(samples.y);
  return !(surface - far > RELATIVE_JUMP * surface && pixel < (1.0 - RELATIVE_JUMP) * surface &&
    pixel < 0.5 * (surface + far));
}

// placement.ts displayDisparity and surfacePoint.
float displayDisparity(float s) {
  float relative = disparityOf(s) / uDisparity.z - 1.0;
  return clamp(1.0 / uRest.z + uKappa * relative, uDisparityRange.x, uDisparityRange.y);
}
vec3 pointOnRay(vec2 p, float disparity) {
  float along = 1.0 / (uRest.z * disparity);
  return vec3((2.0 * p.x - 1.0) * uRest.x * along, (2.0 * p.y - 1.0) * uRest.y * along, -uRest.z * along);
}
`;

export const COLOUR_COMMON = /* glsl */ `
uniform sampler2D uColour;
uniform vec4 uColourRegion;
uniform vec4 uColourClamp;
uniform float uDecodeColour;
// The picture's colour at p, linear.
vec3 colourAt(vec2 p) {
  vec2 t = clamp(uColourRegion.xy + p * uColourRegion.zw, uColourClamp.xy, uColourClamp.zw);
  vec4 c = texture(uColour, t);
  return mix(c.rgb, sRGBTransferEOTF(c).rgb, uDecodeColour);
}
`;

const SURFACE_VERTEX = /* glsl */ `
${DEPTH_COMMON}
varying vec2 vUv;
varying vec2 vSamples;
void main() {
  vec2 p = position.xy;
  vSamples = vertexSamples(vec2(p.x, 1.0 - p.y) / uSurfaceCell);
  vUv = p;
  gl_Position = projectionMatrix * modelViewMatrix *
    vec4(pointOnRay(p, displayDisparity(vSamples.x)), 1.0);
}
`;

const SURFACE_FRAGMENT = /* glsl */ `
${DEPTH_COMMON}
${COLOUR_COMMON}
varying vec2 vUv;
varying vec2 vSamples;
float keptAt(vec2 p) { return surfaceKeeps(depthAt(p), vSamples) ? 0.25 : 0.0; }
void main() {
  // Far-side pixels are cut, tested at four points of the pixel (a rotated grid): the coverage
  // antialiases the cut through alpha to coverage. Only triangles lifted to an edge's near side
  // can cut anything; the rest of the surface skips the test.
  vec2 dx = dFdx(vUv);
  vec2 dy = dFdy(vUv);
  float coverage = 1.0;
  if (disparityOf(vSamples.x) - disparityOf(vSamples.y) > RELATIVE_JUMP * disparityOf(vSamples.x)) {
    coverage = keptAt(vUv + 0.125 * dx + 0.375 * dy) + keptAt(vUv - 0.375 * dx + 0.125 * dy) +
      keptAt(vUv + 0.375 * dx - 0.125 * dy) + keptAt(vUv - 0.125 * dx - 0.375 * dy);
  }
  if (coverage == 0.0) discard;
  gl_FragColor = vec4(colourAt(vUv), coverage);
  #include <colorspace_fragment>
}
`;

const BACKGROUND_VERTEX = /* glsl */ `
${DEPTH_COMMON}
uniform sampler2D uFarSide;
uniform float uPushBack;
varying vec2 vUv;
varying float vSample;
void main() {
  vec2 p = position.xy;
  float s = textureLod(uFarSide, p, 0.0).a;
  vUv = p;
  vSample = s;
  gl_Position = projectionMatrix * modelViewMatrix *
    vec4(pointOnRay(p, displayDisparity(s) * (1.0 - uPushBack)), 1.0);
}
`;

const BACKGROUND_FRAGMENT = /* glsl */ `
${DEPTH_COMMON}
${COLOUR_COMMON}
uniform sampler2D uFarSide;
varying vec2 vUv;
varying float vSample;

// The samples the surface interpolates at p (surface-grid.ts interpolateOnGrid).
vec2 surfaceSamplesOnGrid(vec2 p) {
  vec2 cells = 1.0 / uSurfaceCell;
  vec2 xy = clamp(vec2(p.x, 1.0 - p.y) * cells, vec2(0.0), cells - 1e-4);
  vec2 ij = floor(xy);
  vec2 f = xy - ij;
  vec2 tr = vertexSamples(ij + vec2(1.0, 0.0));
  vec2 bl = vertexSamples(ij + vec2(0.0, 1.0));
  if (f.x + f.y <= 1.0) return (1.0 - f.x - f.y) * vertexSamples(ij) + f.x * tr + f.y * bl;
  return (f.x + f.y - 1.0) * vertexSamples(ij + 1.0) + (1.0 - f.y) * tr + (1.0 - f.x) * bl;
}

void main() {
  // This layer shows through the gaps that open at edges as the eye moves. Where it shows a point
  // the surface keeps (hidden at rest behind a near thing), it takes the far side's colour instead
  // of repeating the near thing's; where the surface cuts, the pixel keeps its own colour, so at
  // rest the picture is exactly the photo.
  float here = depthAt(vUv);
  vec3 colour = colourAt(vUv);
  vec2 surface = surfaceSamplesOnGrid(vUv);
  if (disparityOf(here) > disparityOf(vSample) * (1.0 + RELATIVE_JUMP) &&
      surfaceKeeps(here, surface))
    colour = textureLod(uFarSide, vUv, 0.0).rgb;
  gl_FragColor = vec4(colour, 1.0);
  #include <colorspace_fragment>
}
`;

export function createDepthSurfaceUniforms(): DepthSurfaceUniforms {
  return {
    uColour: { value: null },
    uColourRegion: { value: new THREE.Vector4(0, 0, 1, 1) },
    uColourClamp: { value: new THREE.Vector4(0, 0, 1, 1) },
    uDecodeColour: { value: 0 },
    uDepth: { value: null },
    uDepthRegion: { value: new THREE.Vector4(0, 0, 1, 1) },
    uDepthClamp: { value: new THREE.Vector4(0, 0, 1, 1) },
    uSurfaceSamples: { value: null },
    uFarSide: { value: null },
    uDisparity: { value: new THREE.Vector3(1, 0, 1) },
    uKappa: { value: 0 },
    uDisparityRange: { value: new THREE.Vector2(1e-3, 1e3) },
    uRest: { value: new THREE.Vector3(1, 1, 1) },
    uSurfaceCell: { value: new THREE.Vector2(1 / 256, 1 / 192) },
  };
}

/** Sets where colour or depth lie in their textures, keeping samples half a texel inside. */
export function setRegion(
  region: THREE.Vector4,
  clampTo: THREE.Vector4,
  { offset, scale, texels }: TextureRegion,
): void {
  region.set(offset[0], offset[1], scale[0], scale[1]);
  const [x0, x1] = [offset[0], offset[0] + scale[0]].sort((a, b) => a - b) as [number, number];
  const [y0, y1] = [offset[1], offset[1] + scale[1]].sort((a, b) => a - b) as [number, number];
  const hx = (0.5 * (x1 - x0)) / texels[0];
  const hy = (0.5 * (y1 - y0)) / texels[1];
  clampTo.set(x0 + hx, y0 + hy, x1 - hx, y1 - hy);
}

/** Sets the placement and relief uniforms; `grown` is how far the shape has grown in (0…1). */
export function setShape(
  uniforms: DepthSurfaceUniforms,
  rect: RestRect,
  relief: Relief | null,
  grown: number,
): void {
  uniforms.uRest.value.set(rect.halfWidth, rect.halfHeight, rect.distance);
  if (!relief) {
    uniforms.uKappa.value = 0;
    return;
  }
  uniforms.uDisparity.value.set(relief.shift, relief.scale, relief.qReference);
  uniforms.uKappa.value = relief.kappa * grown;
  uniforms.uDisparityRange.value.set(relief.minDisparity, relief.maxDisparity);
}

/**
 * The depth surface's two materials over shared uniforms: the surface (cut at occluding edges,
 * antialiased by alpha to coverage) and the background layer behind it.
 */
export function createDepthSurfaceMaterials(uniforms: DepthSurfaceUniforms) {
  const surface = new THREE.ShaderMaterial({
    name: 'depth-surface',
    uniforms,
    vertexShader: SURFACE_VERTEX,
    fragmentShader: SURFACE_FRAGMENT,
    alphaToCoverage: true,
  });
  const background = new THREE.ShaderMaterial({
    name: 'depth-surface-background',
    uniforms: { ...uniforms, uPushBack: { value: DEPTH_VIEW.backgroundPushBack } },
    vertexShader: BACKGROUND_VERTEX,
    fragmentShader: BACKGROUND_FRAGMENT,
  });
  return { surface, background };
}
