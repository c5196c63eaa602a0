import * as THREE from 'three';

/**
 * Renderer names of WebGL drawn by the CPU: Chromium's SwiftShader (no GPU, or a blocked one),
 * Mesa's llvmpipe and softpipe, Windows' Basic Render Driver (WARP).
 */
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render/i;

/** Whether a WebGL renderer's name is one that draws on the CPU. */
export function isSoftwareRendererName(name: string): boolean {
  return SOFTWARE_RENDERER.test(name);
}

let probed: boolean | undefined;

/**
 * Whether this browser's WebGL draws on the CPU, asked once per page of a throwaway context (the
 * viewer's own context must know before it is made: multisampling is chosen then, for good).
 */
export function webglDrawsInSoftware(): boolean {
  if (probed !== undefined) return probed;
  probed = false;
  try {
    const gl = document.createElement('canvas').getContext('webgl2');
    if (gl) {
      const info = gl.getExtension('WEBGL_debug_renderer_info');
      probed = isSoftwareRendererName(
        String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER)),
      );
      gl.getExtension('WEBGL_lose_context')?.loseContext();
    }
  } catch {
    // No WebGL 2 here: the viewer reports that itself.
  }
  return probed;
}

/**
 * Antialiasing where it costs most, drawn only where it shows: on software rendering a
 * multisampled canvas makes every frame slower (a photo's first 3D frame on screen by a quarter,
 * 414 → 550 ms on a 2-core machine), yet without it the view at rest loses its edges (jagged
 * where near meets far). So the canvas is made without multisampling and frames are drawn straight
 * to it; a view that has settled is drawn once more into a 4× multisampled target and copied to
 * the canvas (resolved on the way; when, settled-frames.tsx). The view at rest is then what a
 * multisampled canvas shows.
 *
 * The target stores sRGB (as the canvas does): the scene's shaders write linear colour into it,
 * the GPU encodes it, and the copy decodes and encodes it back for the canvas, within one level.
 */
export class SettledFrameAntialiasing {
  private readonly target = new THREE.WebGLRenderTarget(1, 1, {
    samples: 4,
    colorSpace: THREE.SRGBColorSpace,
    depthBuffer: true,
  });
  private readonly copy: THREE.Mesh<THREE.BufferGeometry, THREE.ShaderMaterial>;
  private readonly copyCamera = new THREE.OrthographicCamera(-1, 1, 1, -1, 0, 1);
  private readonly size = new THREE.Vector2();

  constructor() {
    // One triangle over the whole view.
    const geometry = new THREE.BufferGeometry();
    geometry.setAttribute(
      'position',
      new THREE.Float32BufferAttribute([-1, 3, 0, -1, -1, 0, 3, -1, 0], 3),
    );
    geometry.setAttribute('uv', new THREE.Float32BufferAttribute([0, 2, 0, 0, 2, 0], 2));
    const material = new THREE.ShaderMaterial({
      name: 'settled-frame-copy',
      uniforms: { uFrame: { value: this.target.texture } },
      vertexShader: /* glsl */ `
        varying vec2 vUv;
        void main() {
          vUv = uv;
          gl_Position = vec4(position.xy, 0.0, 1.0);
        }`,
      fragmentShader: /* glsl */ `
        uniform sampler2D uFrame;
        varying vec2 vUv;
        void main() {
          gl_FragColor = texture2D(uFrame, vUv);
          #include <colorspace_fragment>
        }`,
      depthTest: false,
      depthWrite: false,
    });
    this.copy = new THREE.Mesh(geometry, material);
    this.copy.frustumCulled = false;
  }

  /** Compiles the programs a settled frame of `scene` uses (drawn into the target, and the copy). */
  compileAsync(renderer: THREE.WebGLRenderer, scene: THREE.Object3D, camera: THREE.Camera) {
    const previous = renderer.getRenderTarget();
    renderer.setRenderTarget(this.target);
    const intoTarget = renderer.compileAsync(scene, camera);
    renderer.setRenderTarget(previous);
    return Promise.all([intoTarget, renderer.compileAsync(this.copy, this.copyCamera)]);
  }

  /**
   * Sizes the target to the canvas and clears it once: its memory is allocated before the first
   * view settles (the viewer's warm-up), not while it is drawn.
   */
  prepare(renderer: THREE.WebGLRenderer): void {
    this.fitTarget(renderer);
    const previous = renderer.getRenderTarget();
    renderer.setRenderTarget(this.target);
    renderer.clear();
    renderer.setRenderTarget(previous);
  }

  /**
   * Draws a frame: straight to the canvas, or `multisampled` and copied. What `renderer.info` says
   * of the frame is the scene's draw, as without this (the copy is one triangle more).
   */
  render(
    renderer: THREE.WebGLRenderer,
    scene: THREE.Object3D,
    camera: THREE.Camera,
    multisampled: boolean,
  ): void {
    if (!multisampled) {
      renderer.render(scene, camera);
      return;
    }
    this.fitTarget(renderer);
    const previous = renderer.getRenderTarget();
    renderer.setRenderTarget(this.target);
    renderer.render(scene, camera);
    const drawn = { ...renderer.info.render };
    renderer.setRenderTarget(previous);
    renderer.render(this.copy, this.copyCamera);
    Object.assign(renderer.info.render, drawn);
  }

  private fitTarget(renderer: THREE.WebGLRenderer): void {
    renderer.getDrawingBufferSize(this.size);
    if (this.target.width !== this.size.x || this.target.height !== this.size.y)
      this.target.setSize(this.size.x, this.size.y);
  }

  dispose(): void {
    this.target.dispose();
    this.copy.geometry.dispose();
    this.copy.material.dispose();
  }
}

/**
 * `?antialias=every-frame`: a multisampled canvas even on software rendering, as before settled
 * frames (the reference `pnpm bench web` compares with, in the same run).
 */
function everyFrameRequested(): boolean {
  return new URLSearchParams(window.location.search).get('antialias') === 'every-frame';
}

const settledFrames = new WeakMap<THREE.WebGLRenderer, SettledFrameAntialiasing>();

/**
 * The desktop viewer's renderer: multisampled where WebGL has a GPU; where it draws in software,
 * without, and its settled frames antialiased (`SettledFrameAntialiasing`, `settledFramesOf`).
 */
export function createViewerRenderer(
  parameters: THREE.WebGLRendererParameters,
): THREE.WebGLRenderer {
  const software = webglDrawsInSoftware() && !everyFrameRequested();
  const renderer = new THREE.WebGLRenderer({ ...parameters, antialias: !software });
  if (software) settledFrames.set(renderer, new SettledFrameAntialiasing());
  return renderer;
}

/** This renderer's settled-frame antialiasing, if it was made with it (`createViewerRenderer`). */
export function settledFramesOf(
  renderer: THREE.WebGLRenderer,
): SettledFrameAntialiasing | undefined {
  return settledFrames.get(renderer);
}
