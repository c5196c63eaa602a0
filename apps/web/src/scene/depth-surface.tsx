import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import type * as THREE from 'three';
import { revealCellsPerDisparity } from '../lib/depth/depth-edges';
import { DEPTH_VIEW } from '../lib/depth/depth-view-config';
import { type FitBox, reliefFor, restRect } from '../lib/depth/placement';
import { gridTriangles, type SurfaceGrids, surfaceGrids } from '../lib/depth/surface-grid';
import { animationDelta } from '../lib/frame-timing';
import { DepthPrepass } from './depth-prepass';
import type { ColourSource, DepthSource } from './depth-sources';
import {
  createDepthSurfaceMaterials,
  createDepthSurfaceUniforms,
  setRegion,
  setShape,
} from './depth-surface-material';
import { gridGeometry } from './grid-geometry';
import { forgetTextures, releaseDepthMaterial } from './kept-programs';
import { settledFramesOf } from './settled-antialiasing';

export interface DepthSurfaceShown {
  /** The depth source shown (null: flat). */
  depthId: string | null;
  triangles: number;
  /**
   * True once the shown depth has grown in fully on the full grids, from the map itself (not its
   * coarse version), or the picture is flat.
   */
  settled: boolean;
}

interface Props {
  colour: ColourSource;
  /** null: the picture is shown flat (no depth yet). */
  depth: DepthSource | null;
  /** The field the picture fits at rest, its size in it, and the distance of its reference depth. */
  box: FitBox;
  sizeScale: number;
  distanceMeters: number;
  /** 0 = flat … 1 = the most relief allowed (see `reliefFor`). */
  strength: number;
  onShown?: (shown: DepthSurfaceShown) => void;
  /** Leave User Timing marks (false for the viewer's warm-up, which nobody is waiting for). */
  timed?: boolean;
}

/**
 * A picture in depth, placed about the eye at the group's origin (looking down −z): at rest exactly
 * the flat picture, its depth showing as the eye moves. The shape grows in when the depth arrives
 * (coarse grids for the first frames, then the full ones) and flattens before a newer depth
 * replaces it; a finer version of the same map (after its coarse version, see DepthSource.coarse)
 * is swapped in place. It owns its depth sources' textures and disposes those it no longer shows.
 */
export function DepthSurface({
  colour,
  depth,
  box,
  sizeScale,
  distanceMeters,
  strength,
  onShown,
  timed = true,
}: Props) {
  const gl = useThree((s) => s.gl);
  const uniforms = useMemo(createDepthSurfaceUniforms, []);
  const materials = useMemo(() => createDepthSurfaceMaterials(uniforms), [uniforms]);
  // Released, not disposed: the renderer keeps the programs for the next surface.
  useEffect(
    () => () => {
      forgetTextures(uniforms);
      releaseDepthMaterial(gl, materials.surface);
      releaseDepthMaterial(gl, materials.background);
    },
    [gl, uniforms, materials],
  );

  const grids = useMemo(() => surfaceGrids(colour.aspect), [colour.aspect]);
  const prepasses = useMemo(
    () => ({
      full: new DepthPrepass(grids.full.surface, grids.full.background, uniforms),
      coarse: new DepthPrepass(grids.coarse.surface, grids.coarse.background, uniforms),
    }),
    [grids, uniforms],
  );
  useEffect(
    () => () => {
      prepasses.full.dispose(gl);
      prepasses.coarse.dispose(gl);
    },
    [gl, prepasses],
  );
  const rect = useMemo(
    () => restRect(colour.aspect, box, sizeScale, distanceMeters),
    [colour.aspect, box, sizeScale, distanceMeters],
  );

  // Set before the frame that draws with it (a layout effect runs before the next frame).
  useLayoutEffect(() => {
    uniforms.uColour.value = colour.texture;
    uniforms.uDecodeColour.value = colour.decode ? 1 : 0;
    setRegion(uniforms.uColourRegion.value, uniforms.uColourClamp.value, colour.region);
  }, [uniforms, colour]);

  // What the frame loop shows is its own state, not React's: a depth that arrives is drawn in the
  // next frame, with no render in between (on a slow GPU each render costs a frame).
  const view = useRef<FrameView>(initialView());
  const latest = useRef({ depth, strength, rect, onShown, timed });
  latest.current = { depth, strength, rect, onShown, timed };
  const surfaceMesh = useRef<THREE.Mesh>(null);
  const backgroundMesh = useRef<THREE.Mesh>(null);

  // A depth replaced before it was ever shown is disposed here; the shown one when swapped out.
  useEffect(
    () => () => {
      if (depth && depth !== view.current.shown) release(depth);
    },
    [depth],
  );
  useEffect(
    () => () => {
      if (view.current.shown) release(view.current.shown);
      view.current = initialView();
    },
    [],
  );

  // Drawn on demand (the desktop viewer): what React changes here (a depth, a picture, the
  // strength, the placement) asks for a frame; the frames then go on until the view has settled.
  // A render that changes none of them (the library's live events re-render the viewer) draws
  // nothing: on software rendering each such frame cost ~200 ms, and one every few hundred
  // milliseconds kept a settled view from ever being antialiased (settled-frames.tsx).
  const invalidate = useThree((s) => s.invalidate);
  // biome-ignore lint/correctness/useExhaustiveDependencies: each is a reason to draw again
  useEffect(() => invalidate(), [invalidate, colour, depth, strength, rect]);

  /** The surface reads its depth from `depth` from the next draw on. */
  const bindDepth = (depth: DepthSource) => {
    uniforms.uDepth.value = depth.texture;
    setRegion(uniforms.uDepthRegion.value, uniforms.uDepthClamp.value, depth.region);
  };

  useFrame(({ invalidate }, delta) => {
    const v = view.current;
    const { depth, strength, rect, onShown, timed } = latest.current;
    const step = animationDelta(delta, v.moving) / DEPTH_VIEW.blendSeconds;
    if (depth && v.shown && depth !== v.shown && depth.id === v.shown.id) {
      // The same map, finer (after its coarse version): swapped in place, still growing in.
      release(v.shown);
      v.shown = depth;
      bindDepth(depth);
      v.grown = Math.min(1, v.grown + step);
    } else if (depth !== v.shown) {
      // Flatten what is shown, then swap the new depth in. A depth there from the first frame is
      // shown at once; one that comes later grows in from the flat picture.
      v.grown = v.shown ? Math.max(0, v.grown - step) : 0;
      if (v.grown === 0) {
        if (v.shown) release(v.shown);
        v.shown = depth;
        v.full = false;
        v.coarseFrames = 0;
        v.drawn = false;
        v.grown = depth && v.frames === 0 ? 1 : 0;
        if (depth) bindDepth(depth);
      }
    } else if (v.shown) {
      v.grown = Math.min(1, v.grown + step);
      // The coarse grids draw the first frames of a new shape; then the full ones.
      if (!v.full && ++v.coarseFrames > 1) v.full = true;
    }
    v.frames++;
    const { shown } = v;
    // A video's depth changes with each frame it presents: the prepass runs again for it.
    const depthVersion = shown?.version?.() ?? 0;
    const grid = v.full ? grids.full : grids.coarse;
    const prepass = v.full ? prepasses.full : prepasses.coarse;
    if (grid !== v.grid || depthVersion !== v.version || shown !== v.prepared) {
      v.grid = grid;
      v.version = depthVersion;
      v.prepared = shown;
      v.stale = { surface: true, farSide: true };
      uniforms.uSurfaceCell.value.set(1 / grid.surface.columns, 1 / grid.surface.rows);
      uniforms.uSurfaceSamples.value = prepass.surfaceSamples;
      if (surfaceMesh.current) surfaceMesh.current.geometry = gridGeometry(grid.surface);
      if (backgroundMesh.current) backgroundMesh.current.geometry = gridGeometry(grid.background);
    }
    if (backgroundMesh.current) backgroundMesh.current.visible = shown !== null;
    // A new shape's first frames: coarse grids, and where the view's resolution is chosen per
    // frame (software rendering), coarse pixels too; refined in the frames after.
    if (shown && !v.full) settledFramesOf(gl)?.drawCoarse();

    const relief = shown && reliefFor({ ...reliefInputs(shown), rect, strength });
    setShape(uniforms, rect, relief, v.grown);
    if (shown) {
      // The far side spreads as far as gaps open at the strongest relief, so moving the depth
      // slider does not gather it again.
      const strongest = reliefFor({
        ...reliefInputs(shown),
        rect,
        strength: DEPTH_VIEW.depthStrength.max,
      });
      const reach = revealCellsPerDisparity(
        strongest.kappa,
        strongest.qReference,
        (2 * rect.halfWidth) / rect.distance / grid.background.columns,
      );
      if (reach !== v.reach) v.stale.farSide = true;
      v.reach = reach;
      if (v.stale.surface) prepass.updateSurface(gl);
      if (v.stale.farSide) {
        prepass.updateFarSide(gl, reach);
        uniforms.uFarSide.value = prepass.farSide;
      }
      v.stale = { surface: false, farSide: false };
      if (!v.drawn && shown === depth) {
        v.drawn = true;
        // User Timing mark: `pnpm bench web` measures selection → the first frame in depth.
        if (timed) performance.mark('depth-surface:3d');
      }
    }

    // Still: nothing changes in the next frame (no more frames asked for). Settled: still, and
    // showing the map itself, not its coarse version.
    const still = depth === shown && (!shown || (v.full && v.grown === 1));
    const report: DepthSurfaceShown = {
      depthId: shown && shown === depth ? shown.id : null,
      triangles: shown ? gridTriangles(grid.surface, grid.background) : gridTriangles(grid.surface),
      settled: still && !shown?.coarse,
    };
    const key = `${report.depthId}/${report.triangles}/${report.settled}`;
    if (key !== v.reported) {
      v.reported = key;
      onShown?.(report);
    }
    v.moving = !still;
    if (!still) invalidate();
  });

  return (
    <group>
      <mesh
        ref={surfaceMesh}
        geometry={gridGeometry(grids.coarse.surface)}
        material={materials.surface}
        frustumCulled={false}
        renderOrder={0}
      />
      <mesh
        ref={backgroundMesh}
        geometry={gridGeometry(grids.coarse.background)}
        material={materials.background}
        frustumCulled={false}
        renderOrder={1}
        visible={false}
      />
    </group>
  );
}

/** The frame loop's state: the depth shown, how far it has grown in, and what is prepared. */
interface FrameView {
  shown: DepthSource | null;
  /** 0 = flat … 1 = the full relief. */
  grown: number;
  /** Frames drawn, and frames drawn on the coarse grids since the shown depth came. */
  frames: number;
  coarseFrames: number;
  full: boolean;
  /** The grids, depth version and depth the prepass was run for, and the far side's reach. */
  grid: SurfaceGrids | null;
  version: number;
  prepared: DepthSource | null;
  reach: number;
  stale: { surface: boolean; farSide: boolean };
  /** The shown depth has been drawn; what was last reported to `onShown`. */
  drawn: boolean;
  reported: string;
  /** The last frame asked for this one (still moving): this frame's delta is a frame's time. */
  moving: boolean;
}

const initialView = (): FrameView => ({
  shown: null,
  grown: 0,
  frames: 0,
  coarseFrames: 0,
  full: false,
  grid: null,
  version: -1,
  prepared: null,
  reach: Number.NaN,
  stale: { surface: true, farSide: true },
  drawn: false,
  reported: '',
  moving: false,
});

const reliefInputs = (depth: DepthSource) => ({
  encoding: depth.encoding,
  stats: depth.stats,
  cameraHalfTanX: depth.cameraHalfTanX,
});

/** Disposes a depth source's texture unless it is shared (a video's, disposed by its owner). */
function release(depth: DepthSource): void {
  if (!depth.shared) depth.texture.dispose();
}
