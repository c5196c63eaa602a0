import type { MediaItem, TimelineMonth } from '@immichvr/shared';
import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useMemo, useRef, useState } from 'react';
import * as THREE from 'three';
import { monthTitle } from '../lib/gallery/format';
import type { GalleryStore } from '../lib/gallery/gallery-store';
import { layoutTimeline, type TimelineLayout } from '../lib/gallery/timeline-layout';
import { useGalleryVersion } from '../lib/gallery/use-gallery-store';
import {
  easeScroll,
  type WallScroll,
  type WallShape,
  type WallTile,
  wallWindow,
} from '../lib/gallery/wall-window';
import { statusLook } from '../lib/status-look';
import { TextLabel } from '../scene/text-label';
import { ThumbnailAtlas } from './thumbnail-atlas';
import { createTileMaterial } from './tile-material';
import { VR_LAYOUT } from './vr-layout';
import { xrMirror } from './xr-mirror';

const G = VR_LAYOUT.gallery;
/** A hovered tile grows a little. */
const HOVER_SCALE = new THREE.Vector3(1.06, 1.06, 1);
/** The wall: instances in the pool are the rows in view plus one partly in view at each edge. */
const WALL: WallShape = {
  columns: G.columns,
  pitch: G.pitch,
  header: G.header,
  viewHeight: G.viewHeight,
  center: G.center,
  maxTiles: (Math.ceil(G.viewHeight / G.pitch) + 3) * G.columns,
  prefetchRows: 4,
};
const MAX_TILES = WALL.maxTiles;

export type GalleryScroll = WallScroll;

interface Props {
  store: GalleryStore;
  /** The wall's layout (in metres), null while the timeline loads. */
  layout: TimelineLayout | null;
  scroll: React.RefObject<GalleryScroll>;
  onOpen: (item: MediaItem) => void;
  /** The month at the top of the wall, whenever it changes. */
  onMonth: (month: string | undefined) => void;
}

/** The wall's layout of a timeline: month titles and rows of tiles, in metres. */
export function wallLayout(months: TimelineMonth[]): TimelineLayout {
  return layoutTimeline(months, { columns: G.columns, headerHeight: G.header, rowHeight: G.pitch });
}

/**
 * The library as a wall of thumbnails, newest at the top, grouped by month: one instanced mesh
 * (one draw call) for every tile, thumbnails in one atlas texture, month titles as a few labels.
 * Only the rows in view exist; scrolling moves the window over the whole timeline.
 */
export function VrGallery({ store, layout, scroll, onOpen, onMonth }: Props) {
  useGalleryVersion(store);
  const gl = useThree((s) => s.gl);
  const atlas = useMemo(() => new ThumbnailAtlas(gl), [gl]);
  useEffect(() => () => atlas.dispose(), [atlas]);
  const material = useMemo(() => createTileMaterial(atlas.texture), [atlas]);
  useEffect(() => () => material.dispose(), [material]);
  const geometry = useMemo(() => {
    const g = new THREE.PlaneGeometry(G.tile, G.tile);
    g.setAttribute('aSlot', new THREE.InstancedBufferAttribute(new Float32Array(MAX_TILES * 4), 4));
    g.setAttribute(
      'aBadges',
      new THREE.InstancedBufferAttribute(new Float32Array(MAX_TILES * 4), 4),
    );
    g.setAttribute('aAlpha', new THREE.InstancedBufferAttribute(new Float32Array(MAX_TILES), 1));
    return g;
  }, []);
  useEffect(() => () => geometry.dispose(), [geometry]);

  const mesh = useRef<THREE.InstancedMesh>(null);
  const shown = useRef<Array<{ tile: WallTile; item: MediaItem | undefined }>>([]);
  const [hovered, setHovered] = useState<number | null>(null);
  const [titles, setTitles] = useState<string[]>([]);
  const titleGroups = useRef(new Map<string, THREE.Object3D>());
  const frameNo = useRef(0);
  const shownMonth = useRef<string | undefined>(undefined);
  const matrix = useMemo(() => new THREE.Matrix4(), []);
  const [cx, cy, cz] = G.center;

  useFrame((_, delta) => {
    const m = mesh.current;
    if (!m || !layout) return;
    const now = ++frameNo.current;
    (material.uniforms.uTime as THREE.IUniform<number>).value += delta;
    scroll.current = easeScroll(scroll.current, layout, WALL, delta);
    const s = scroll.current;
    const view = wallWindow(layout, s.position, WALL);

    const slot = geometry.getAttribute('aSlot') as THREE.InstancedBufferAttribute;
    const badges = geometry.getAttribute('aBadges') as THREE.InstancedBufferAttribute;
    const alpha = geometry.getAttribute('aAlpha') as THREE.InstancedBufferAttribute;
    const list: typeof shown.current = [];
    for (const [i, tile] of view.tiles.entries()) {
      const item = store.itemAt(tile.cell.block.month, tile.cell.indexInMonth);
      list.push({ tile, item });
      matrix.makeTranslation(...tile.position);
      if (hovered === i) matrix.scale(HOVER_SCALE);
      m.setMatrixAt(i, matrix);
      alpha.setX(i, tile.alpha);
      const placed = item ? atlas.use(item.id, item.urls.preview, now) : undefined;
      const [u, v] = placed ? atlas.slotOrigin(placed.slot) : [0, 0];
      slot.setXYZW(i, u, v, placed?.ready ? 1 : 0, placed?.failed ? 1 : 0);
      badges.setXYZW(
        i,
        item?.mediaType === 'video' ? 1 : 0,
        item?.depthMap ? 1 : 0,
        statusLook(item?.processingStatus ?? null).tile,
        hovered === i ? 1 : 0,
      );
    }
    m.count = list.length;
    m.instanceMatrix.needsUpdate = true;
    slot.needsUpdate = true;
    badges.needsUpdate = true;
    alpha.needsUpdate = true;
    m.computeBoundingSphere();
    shown.current = list;
    for (const [month, upTo] of view.wanted) store.wantMonth(month, upTo);

    // Month titles in view: a handful of labels, moved every frame.
    const months = view.titles.map((t) => t.month);
    if (months.join() !== titles.join()) setTitles(months);
    for (const t of view.titles) {
      const group = titleGroups.current.get(t.month);
      if (group) group.position.y = t.y;
    }

    // The month shown, and the DOM mirror, a few times a second.
    if (now % 6 === 0) {
      if (view.month !== shownMonth.current) {
        shownMonth.current = view.month;
        onMonth(view.month);
      }
      xrMirror.setState({
        scroll: s.position.toFixed(3),
        'max-scroll': Math.max(0, layout.height - G.viewHeight).toFixed(3),
        month: view.month,
        'tiles-loaded': atlas.loaded,
      });
      xrMirror.setTargets(
        'tiles',
        list.flatMap(({ tile, item }) =>
          item && tile.alpha >= 0.99
            ? [
                {
                  kind: 'tile' as const,
                  id: item.id,
                  label: item.originalFilename,
                  position: tile.position,
                },
              ]
            : [],
        ),
      );
    }
  });
  useEffect(() => () => xrMirror.setTargets('tiles', []), []);

  const itemOf = (instanceId: number | undefined) =>
    instanceId === undefined ? undefined : shown.current[instanceId]?.item;

  return (
    <group>
      <instancedMesh
        ref={mesh}
        args={[geometry, material, MAX_TILES]}
        frustumCulled={false}
        onClick={(event) => {
          event.stopPropagation();
          const item = itemOf(event.instanceId);
          if (item) onOpen(item);
        }}
        onPointerMove={(event) => {
          if (event.instanceId !== hovered) setHovered(event.instanceId ?? null);
        }}
        onPointerLeave={() => setHovered(null)}
      />
      {titles.map((month) => (
        <group
          key={month}
          ref={(group) => {
            if (group) titleGroups.current.set(month, group);
            else titleGroups.current.delete(month);
          }}
          position={[0, -100, 0]}
        >
          <TextLabel
            text={monthTitle(month)}
            position={[cx - (G.columns * G.pitch) / 2 + 0.35, 0, cz + 0.01]}
            widthMeters={0.7}
          />
        </group>
      ))}
      {store.timeline.state === 'loading' && (
        <TextLabel text="Loading the library…" position={[cx, cy, cz]} widthMeters={0.9} />
      )}
      {store.timeline.state === 'error' && (
        <TextLabel
          text={`The library could not be loaded: ${store.timeline.message}`}
          position={[cx, cy, cz]}
          widthMeters={1.4}
          color="#ff8a8a"
        />
      )}
      {layout && layout.total === 0 && (
        <TextLabel text="Nothing here yet." position={[cx, cy, cz]} widthMeters={0.9} />
      )}
    </group>
  );
}
