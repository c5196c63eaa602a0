import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import * as THREE from 'three';
import { startDepthWorker } from '../api/media-loads';
import { interpretDepth } from '../lib/depth/depth-conversion';
import { depthStats } from '../lib/depth/depth-stats';
import { samplesToHalfFloats } from '../lib/depth/half-float';
import { screenFitBox } from '../lib/depth/placement';
import { useDepthProgramsCompiled } from './compile-depth-programs';
import type { ColourSource, DepthSource } from './depth-sources';
import { DepthSurface } from './depth-surface';
import { WHOLE_TEXTURE } from './depth-surface-material';
import { settledFramesOf } from './settled-antialiasing';

/** Frames drawn: the first on the coarse grids, the next on the full ones (see DepthSurface). */
const WARM_FRAMES = 4;
const SIDE = 4;
/** The warm-up draws into 1/WARM_SHRINK of the canvas's width and height. */
const WARM_SHRINK = 8;

/**
 * Readies the depth view in the hidden viewer before anything is opened: its shader programs
 * (surface, far side, prepasses) are compiled without holding the page, then a depth surface of a
 * tiny made-up picture and depth is drawn for a few frames (the GPU's own set-up for them), so the
 * browser has them at hand when a photo opens; the renderer keeps the programs (kept-programs.ts).
 * Then it reports `onWarm` and is taken away (its textures and targets freed).
 */
export function ViewerWarmUp({ onWarm }: { onWarm: () => void }) {
  // Compiled first without holding the page, then drawn (the drawing's own set-up on the GPU).
  const compiled = useDepthProgramsCompiled();
  // The depth maps' worker too: its thread and script are ready when the first photo opens.
  useEffect(startDepthWorker, []);
  const { colour, depth } = useMemo(() => warmUpSources(), []);
  useEffect(() => () => colour.texture.dispose(), [colour]);
  // Drawn into a corner of the canvas: what the GPU sets up for a program does not depend on how
  // many pixels it draws, and software rendering then spends next to nothing on the pixels
  // (1/64 of them; the page held 0.7–1.5 s instead of 1.2–1.6 s when they were shown at once).
  const gl = useThree((s) => s.gl);
  const size = useThree((s) => s.size);
  useLayoutEffect(() => {
    gl.setViewport(0, 0, Math.ceil(size.width / WARM_SHRINK), Math.ceil(size.height / WARM_SHRINK));
    return () => gl.setViewport(0, 0, size.width, size.height);
  }, [gl, size]);
  const frames = useRef(0);
  useFrame(({ gl }) => {
    if (!compiled || ++frames.current !== WARM_FRAMES) return;
    // The target settled views are antialiased in, where there is one: allocated now.
    settledFramesOf(gl)?.prepare(gl);
    readBackLater(gl.getContext());
    onWarm();
  });
  const box = useMemo(() => screenFitBox(Math.PI / 3, 16 / 9), []);
  if (!compiled) return null;
  return (
    <DepthSurface
      colour={colour}
      depth={depth}
      box={box}
      sizeScale={1}
      distanceMeters={2}
      strength={1}
      timed={false}
    />
  );
}

/**
 * Asks for one pixel of the frame without waiting for it (into a pixel buffer nobody reads): the
 * GPU process then draws the warm-up's frames in the background. Without it, on software
 * rendering (ANGLE on SwiftShader), that work waited until the canvas was first read and held the
 * page 1.5–1.9 s there (traced: `ContextVk::finishImpl` under `readPixels`). Nothing here waits
 * on the GPU; on a GPU it costs nothing.
 */
function readBackLater(context: WebGLRenderingContext | WebGL2RenderingContext): void {
  if (!('PIXEL_PACK_BUFFER' in context)) return;
  const buffer = context.createBuffer();
  context.bindBuffer(context.PIXEL_PACK_BUFFER, buffer);
  context.bufferData(context.PIXEL_PACK_BUFFER, 4, context.STREAM_READ);
  context.readPixels(0, 0, 1, 1, context.RGBA, context.UNSIGNED_BYTE, 0);
  context.bindBuffer(context.PIXEL_PACK_BUFFER, null);
  context.deleteBuffer(buffer);
  context.flush();
}

function warmUpSources(): { colour: ColourSource; depth: DepthSource } {
  const rgba = new Uint8Array(SIDE * SIDE * 4).fill(128);
  const colourTexture = new THREE.DataTexture(rgba, SIDE, SIDE, THREE.RGBAFormat);
  colourTexture.colorSpace = THREE.SRGBColorSpace;
  colourTexture.needsUpdate = true;
  // A ramp of disparities, near at the bottom: a relief with edges, as a real map has.
  const samples = Uint16Array.from({ length: SIDE * SIDE }, (_, i) =>
    Math.round(((Math.floor(i / SIDE) + 1) / SIDE) * 65535),
  );
  const depthTexture = new THREE.DataTexture(
    samplesToHalfFloats(samples),
    SIDE,
    SIDE,
    THREE.RedFormat,
    THREE.HalfFloatType,
  );
  depthTexture.minFilter = THREE.LinearFilter;
  depthTexture.magFilter = THREE.LinearFilter;
  depthTexture.needsUpdate = true;
  return {
    colour: {
      texture: colourTexture,
      region: WHOLE_TEXTURE(SIDE, SIDE),
      decode: false,
      aspect: 4 / 3,
    },
    depth: {
      id: 'warm-up',
      texture: depthTexture,
      region: { offset: [0, 1], scale: [1, -1], texels: [SIDE, SIDE] },
      stats: depthStats(samples, 65535),
      encoding: interpretDepth(null).encoding,
      cameraHalfTanX: Math.tan(Math.PI / 6),
    },
  };
}
