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

/**
 * Resolution of frames in motion on software rendering, per axis: a quarter of the pixels, about
 * half the cost of a frame (see SettledFrameAntialiasing).
 */
export const MOVING_FRAME_SCALE = 0.5;
/**
 * Resolution of a new shape's first frames (drawn on the depth surface's coarse grids, see
 * `drawCoarse`): a sixteenth of the pixels.
 */
export const COARSE_FRAME_SCALE = 0.25;

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
 * Each pixel counted where it costs most, drawn only where it shows. On software rendering a
 * frame's cost grows with its pixels (a photo's 3D view at 1280×720: 183 ms a frame; at 640×360:
 * 83–100 ms, on 2 cores) and a multisampled canvas makes every frame slower again (a photo's first
 * 3D frame on screen by a quarter, 414 → 550 ms), yet a view at rest must keep every pixel and its
 * edges (jagged where near meets far without multisampling). So frames in motion — a photo's
 * first frames as its depth grows in, the camera easing after the pointer, a playing video — are
 * drawn straight to a canvas of `MOVING_FRAME_SCALE` of its resolution, which the page scales up
 * (a new shape's first frames, drawn on coarse grids, coarser still: `COARSE_FRAME_SCALE`); a view
 * that has settled is drawn once more at full resolution into a 4× multisampled target and copied
 * to the canvas (resolved on the way; when, settled-frames.tsx). The view at rest is then what a
 * multisampled canvas shows; the canvas itself is made without multisampling.
 *
 * The canvas is resized rather than frames drawn small into a target and copied up: the copy, a
 * full-resolution pass of its own, cost ~30 ms a frame on SwiftShader (traced: the page's commit
 * waiting on the GPU process 37 ms against 7 ms for the same frame without it).
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
  private readonly viewport = new THREE.Vector4();
  private coarseAsked = false;
  /** The canvas's own pixel ratio (R3F's), and the one last set here (it times a frame scale). */
  private pixelRatio = { own: 1, set: 0 };

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
   * Asks for the frame being made to be drawn at `COARSE_FRAME_SCALE` (the depth surface, drawing
   * a new shape's first frames on its coarse grids), unless it is settled.
   */
  drawCoarse(): void {
    this.coarseAsked = true;
  }

  /**
   * Draws a frame in motion (straight to the canvas, at reduced resolution) or a settled one
   * (`multisampled`: full resolution, into the target, copied); returns the scale it was drawn
   * at. What `renderer.info` says of the frame is the scene's draw, as without this (the copy is
   * one triangle more).
   */
  render(
    renderer: THREE.WebGLRenderer,
    scene: THREE.Object3D,
    camera: THREE.Camera,
    multisampled: boolean,
  ): number {
    const coarse = this.coarseAsked && !multisampled;
    this.coarseAsked = false;
    // A headset draws into its own buffers, whole: the canvas is not resized while it does.
    if (renderer.xr.isPresenting) {
      renderer.render(scene, camera);
      return 1;
    }
    const scale = multisampled ? 1 : coarse ? COARSE_FRAME_SCALE : MOVING_FRAME_SCALE;
    this.scaleCanvas(renderer, scale);
    if (!multisampled) {
      renderer.render(scene, camera);
      return scale;
    }
    this.fitTarget(renderer);
    const previous = renderer.getRenderTarget();
    renderer.setRenderTarget(this.target);
    renderer.render(scene, camera);
    const drawn = { ...renderer.info.render };
    renderer.setRenderTarget(previous);
    renderer.render(this.copy, this.copyCamera);
    Object.assign(renderer.info.render, drawn);
    return scale;
  }

  /**
   * The canvas's drawing buffer at `scale` of its own resolution (its CSS size stays).
   */
  private scaleCanvas(renderer: THREE.WebGLRenderer, scale: number): void {
    const wanted = this.ownPixelRatio(renderer) * scale;
    if (renderer.getPixelRatio() !== wanted) {
      // Resizing resets the viewport to the whole canvas: one set smaller (the viewer's warm-up
      // draws into a corner) stays as it was, in CSS pixels.
      renderer.getViewport(this.viewport);
      renderer.setPixelRatio(wanted);
      renderer.setViewport(this.viewport);
    }
    this.pixelRatio.set = wanted;
  }

  /**
   * The canvas's own pixel ratio, whatever scale it is drawn at now. R3F sets the pixel ratio on a
   * resize: a ratio found other than the one set here is the canvas's own.
   */
  private ownPixelRatio(renderer: THREE.WebGLRenderer): number {
    const current = renderer.getPixelRatio();
    if (current !== this.pixelRatio.set) this.pixelRatio.own = current;
    return this.pixelRatio.own;
  }

  /** The target at the canvas's full resolution, whatever the canvas is drawn at now. */
  private fitTarget(renderer: THREE.WebGLRenderer): void {
    renderer.getSize(this.size).multiplyScalar(this.ownPixelRatio(renderer)).floor();
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
