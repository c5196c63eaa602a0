import { useFrame, useThree } from '@react-three/fiber';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { revealCellsPerDisparity } from '../lib/depth/depth-edges';
import { DEPTH_VIEW } from '../lib/depth/depth-view-config';
import { type FitBox, reliefFor, restRect } from '../lib/depth/placement';
import { gridTriangles, surfaceGrids } from '../lib/depth/surface-grid';
import { DepthPrepass } from './depth-prepass';
import type { ColourSource, DepthSource } from './depth-sources';
import {
  createDepthSurfaceMaterials,
  createDepthSurfaceUniforms,
  setRegion,
  setShape,
} from './depth-surface-material';
import { gridGeometry } from './grid-geometry';

export interface DepthSurfaceShown {
  /** The depth source shown (null: flat). */
  depthId: string | null;
  triangles: number;
  /** True once the shown depth has grown in fully on the full grids (or the picture is flat). */
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
  /** Bumped by a source whose depth changes in place (a video's new frame). */
  depthVersion?: number;
  onShown?: (shown: DepthSurfaceShown) => void;
}

/**
 * A picture in depth, placed about the eye at the group's origin (looking down −z): at rest exactly
 * the flat picture, its depth showing as the eye moves. The shape grows in when the depth arrives
 * (coarse grids for the first frames, then the full ones) and flattens before a newer depth
 * replaces it. It owns its depth sources' textures and disposes those it no longer shows.
 */
export function DepthSurface({
  colour,
  depth,
  box,
  sizeScale,
  distanceMeters,
  strength,
  depthVersion = 0,
  onShown,
}: Props) {
  const gl = useThree((s) => s.gl);
  const uniforms = useMemo(createDepthSurfaceUniforms, []);
  const materials = useMemo(() => createDepthSurfaceMaterials(uniforms), [uniforms]);
  useEffect(
    () => () => {
      materials.surface.dispose();
      materials.background.dispose();
    },
    [materials],
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
      prepasses.full.dispose();
      prepasses.coarse.dispose();
    },
    [prepasses],
  );
  const rect = useMemo(
    () => restRect(colour.aspect, box, sizeScale, distanceMeters),
    [colour.aspect, box, sizeScale, distanceMeters],
  );

  // The depth in the uniforms, how far it has grown in, and whether the full grids are drawn yet.
  const [shown, setShown] = useState<DepthSource | null>(null);
  const [full, setFull] = useState(false);
  const grown = useRef(0);
  const reliefAt = useCallback(
    (at: number) =>
      shown &&
      reliefFor({
        encoding: shown.encoding,
        stats: shown.stats,
        cameraHalfTanX: shown.cameraHalfTanX,
        rect,
        strength: at,
      }),
    [shown, rect],
  );
  const relief = useMemo(() => reliefAt(strength), [reliefAt, strength]);
  // The far side spreads as far as gaps open at the strongest relief, so moving the depth
  // slider does not gather it again.
  const strongest = useMemo(() => reliefAt(DEPTH_VIEW.depthStrength.max), [reliefAt]);

  useEffect(() => {
    uniforms.uColour.value = colour.texture;
    uniforms.uDecodeColour.value = colour.decode ? 1 : 0;
    setRegion(uniforms.uColourRegion.value, uniforms.uColourClamp.value, colour.region);
  }, [uniforms, colour]);

  // The prepass of what is drawn runs again before the next frame whenever the depth changed (the
  // far side also when the strongest relief did: it spreads as far as gaps open).
  const drawn = full ? grids.full : grids.coarse;
  const prepass = full ? prepasses.full : prepasses.coarse;
  const stale = useRef({ surface: true, farSide: true });
  useEffect(() => {
    if (!shown) return;
    uniforms.uDepth.value = shown.texture;
    setRegion(uniforms.uDepthRegion.value, uniforms.uDepthClamp.value, shown.region);
    setFull(false);
  }, [uniforms, shown]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: new depth is a new prepass
  useEffect(() => {
    uniforms.uSurfaceCell.value.set(1 / drawn.surface.columns, 1 / drawn.surface.rows);
    uniforms.uSurfaceSamples.value = prepass.surfaceSamples;
    stale.current = { surface: true, farSide: true };
  }, [uniforms, drawn, prepass, shown, depthVersion]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: new relief is a new far side
  useEffect(() => {
    stale.current.farSide = true;
  }, [strongest]);

  // Depth textures: disposed once neither shown nor about to be.
  const latest = useRef(depth);
  latest.current = depth;
  useEffect(
    () => () => {
      if (shown && shown !== latest.current) shown.texture.dispose();
    },
    [shown],
  );
  useEffect(() => () => latest.current?.texture.dispose(), []);

  const frames = useRef(0);
  const [settled, setSettled] = useState(false);
  useFrame((_, delta) => {
    const step = delta / DEPTH_VIEW.blendSeconds;
    if (depth !== shown) {
      // Flatten what is shown, then swap the new depth in (nothing shown: at once).
      grown.current = shown ? Math.max(0, grown.current - step) : 0;
      if (grown.current === 0) setShown(depth);
    } else if (shown) {
      grown.current = Math.min(1, grown.current + step);
      // The coarse grids draw the first frames of a new shape; then the full ones.
      if (!full && ++frames.current > 1) {
        frames.current = 0;
        setFull(true);
      }
    }
    setShape(uniforms, rect, relief, grown.current);
    const nowSettled = depth === shown && (!shown || (full && grown.current === 1));
    if (nowSettled !== settled) setSettled(nowSettled);
    if (shown && strongest) {
      if (stale.current.surface) prepass.updateSurface(gl);
      if (stale.current.surface || stale.current.farSide) {
        const cellTangent = (2 * rect.halfWidth) / rect.distance / drawn.background.columns;
        prepass.updateFarSide(
          gl,
          revealCellsPerDisparity(strongest.kappa, strongest.qReference, cellTangent),
        );
        uniforms.uFarSide.value = prepass.farSide;
      }
      stale.current = { surface: false, farSide: false };
    }
  });

  const depthId = shown && shown === depth ? shown.id : null;
  const triangles = shown
    ? gridTriangles(drawn.surface, drawn.background)
    : gridTriangles(drawn.surface);
  useEffect(() => {
    onShown?.({ depthId, triangles, settled });
  }, [depthId, triangles, settled, onShown]);

  return (
    <group>
      <mesh
        geometry={gridGeometry(drawn.surface)}
        material={materials.surface}
        frustumCulled={false}
        renderOrder={0}
      />
      {shown && (
        <mesh
          geometry={gridGeometry(drawn.background)}
          material={materials.background}
          frustumCulled={false}
          renderOrder={1}
        />
      )}
    </group>
  );
}
