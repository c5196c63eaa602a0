import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useRef } from 'react';
import { settledFramesOf } from './settled-antialiasing';

/**
 * How long a settled view stays as drawn before it is drawn again antialiased: a pause in the
 * pointer's moves shorter than this costs no multisampled frame (one holds software rendering a
 * few hundred milliseconds), and a photo's first frames are not held up by one.
 */
export const REFINE_AFTER_MS = 300;

/**
 * Draws the viewer's frames where its renderer draws only settled frames whole (software
 * rendering, see `SettledFrameAntialiasing`). A frame is settled when it is drawn on demand and
 * nothing drawn in it asked for another (R3F counts such a request as a second pending frame).
 * Every frame is drawn at reduced resolution (a new shape's first ones coarser still); once the
 * view has stayed settled `REFINE_AFTER_MS` with something on it, it is drawn once more, at full
 * resolution and multisampled. The canvas says whether what it shows is (`data-antialiased`)
 * and at what scale it was drawn (`data-frame-scale`); where the canvas itself is multisampled it
 * always is, at 1, and R3F draws as usual.
 */
export function SettledFrames() {
  const gl = useThree((s) => s.gl);
  const settled = settledFramesOf(gl);
  useEffect(() => {
    // Said on the canvas: what a screenshot or a frame time was drawn with.
    gl.domElement.dataset.antialiasing = settled ? 'settled-frames' : 'every-frame';
    gl.domElement.dataset.antialiased = 'true';
    gl.domElement.dataset.frameScale = '1';
    return () => settled?.dispose();
  }, [gl, settled]);
  return settled ? <SettledFramesRenderer /> : null;
}

function SettledFramesRenderer() {
  const invalidate = useThree((s) => s.invalidate);
  const refine = useRef<{ timer?: ReturnType<typeof setTimeout>; due: boolean }>({ due: false });
  useEffect(() => () => clearTimeout(refine.current.timer), []);
  // Priority 1: after every other frame callback, and R3F leaves the drawing to this one.
  useFrame((state) => {
    const r = refine.current;
    clearTimeout(r.timer);
    const settled =
      state.frameloop === 'demand' && state.internal.frames <= 1 && !state.gl.xr.isPresenting;
    const multisampled = settled && r.due;
    r.due = false;
    const scale = settledFramesOf(state.gl)?.render(
      state.gl,
      state.scene,
      state.camera,
      multisampled,
    );
    // Written only when it changes: a playing video draws every frame.
    const { dataset } = state.gl.domElement;
    if (dataset.antialiased !== String(multisampled)) dataset.antialiased = String(multisampled);
    if (dataset.frameScale !== String(scale)) dataset.frameScale = String(scale);
    // Nothing drawn but the background: nothing to antialias.
    if (settled && !multisampled && state.gl.info.render.triangles > 0)
      r.timer = setTimeout(() => {
        r.due = true;
        invalidate();
      }, REFINE_AFTER_MS);
  }, 1);
  return null;
}
