import type { MediaItem, TimelineMonth } from '@immichvr/shared';
import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useMemo, useRef, useState } from 'react';
import * as THREE from 'three';
import { monthTitle } from '../lib/gallery/format';
import type { GalleryStore } from '../lib/gallery/gallery-store';
import {
  blockAt,
  cellsIn,
  type LayoutCell,
  layoutTimeline,
  type TimelineLayout,
} from '../lib/gallery/timeline-layout';
import { useGalleryVersion } from '../lib/gallery/use-gallery-store';
import { TextLabel } from '../scene/text-label';
import { ThumbnailAtlas } from './thumbnail-atlas';
import { createTileMaterial, TILE_STATUS } from './tile-material';
import { VR_LAYOUT } from './vr-layout';
import { xrMirror } from './xr-mirror';

const G = VR_LAYOUT.gallery;
/** Instances in the pool: the rows in view plus one partly in view at each edge. */
/** A hovered tile grows a little. */
const HOVER_SCALE = new THREE.Vector3(1.06, 1.06, 1);
const MAX_TILES = (Math.ceil(G.viewHeight / G.pitch) + 3) * G.columns;

export interface GalleryScroll {
  /** Metres from the top of the timeline; eases towards `target`. */
  position: number;
  target: number;
}

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
  const shown = useRef<Array<{ cell: LayoutCell; item: MediaItem | undefined }>>([]);
  const [hovered, setHovered] = useState<number | null>(null);
  const [titles, setTitles] = useState<string[]>([]);
  const titleGroups = useRef(new Map<string, THREE.Object3D>());
  const frameNo = useRef(0);
  const shownMonth = useRef<string | undefined>(undefined);
  const matrix = useMemo(() => new THREE.Matrix4(), []);
  const [cx, cy, cz] = G.center;
  const top = cy + G.viewHeight / 2;

  useFrame((_, delta) => {
    const m = mesh.current;
    if (!m || !layout) return;
    const now = ++frameNo.current;
    (material.uniforms.uTime as THREE.IUniform<number>).value += delta;
    const s = scroll.current;
    const maxScroll = Math.max(0, layout.height - G.viewHeight);
    s.target = Math.min(maxScroll, Math.max(0, s.target));
    s.position += (s.target - s.position) * (1 - Math.exp(-delta * 12));
    if (Math.abs(s.target - s.position) < 1e-4) s.position = s.target;

    const { cells, blocks } = cellsIn(layout, s.position - G.pitch, s.position + G.viewHeight);
    const slot = geometry.getAttribute('aSlot') as THREE.InstancedBufferAttribute;
    const badges = geometry.getAttribute('aBadges') as THREE.InstancedBufferAttribute;
    const alpha = geometry.getAttribute('aAlpha') as THREE.InstancedBufferAttribute;
    const list: typeof shown.current = [];
    const wanted = new Map<string, number>();
    for (const cell of cells.slice(0, MAX_TILES)) {
      const i = list.length;
      const item = store.itemAt(cell.block.month, cell.indexInMonth);
      list.push({ cell, item });
      wanted.set(
        cell.block.month,
        Math.max(wanted.get(cell.block.month) ?? 0, cell.indexInMonth + 1 + G.columns * 4),
      );
      // Rows fade out as they leave the wall's window.
      const rowTop = cell.y - s.position;
      const visible = Math.min(1, (rowTop + G.pitch) / G.pitch, (G.viewHeight - rowTop) / G.pitch);
      const x = cx + (cell.column - (G.columns - 1) / 2) * G.pitch;
      const y = top - rowTop - G.pitch / 2;
      matrix.makeTranslation(x, y, cz);
      if (hovered === i) matrix.scale(HOVER_SCALE);
      m.setMatrixAt(i, matrix);
      alpha.setX(i, Math.max(0, visible));
      const placed = item ? atlas.use(item.id, item.urls.preview, now) : undefined;
      const [u, v] = placed ? atlas.slotOrigin(placed.slot) : [0, 0];
      slot.setXYZW(i, u, v, placed?.ready ? 1 : 0, placed?.failed ? 1 : 0);
      const status = item?.processingStatus;
      badges.setXYZW(
        i,
        item?.mediaType === 'video' ? 1 : 0,
        item?.depthMap ? 1 : 0,
        status === 'queued' || status === 'pending'
          ? TILE_STATUS.queued
          : status === 'processing'
            ? TILE_STATUS.processing
            : status === 'failed'
              ? TILE_STATUS.failed
              : TILE_STATUS.none,
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
    for (const [month, upTo] of wanted) store.wantMonth(month, upTo);

    // Month titles in view: a handful of labels, moved every frame.
    const inView = blocks.filter(
      (b) => b.top + G.header > s.position && b.top < s.position + G.viewHeight,
    );
    if (inView.map((b) => b.month).join() !== titles.join()) setTitles(inView.map((b) => b.month));
    for (const b of inView) {
      const group = titleGroups.current.get(b.month);
      if (group) group.position.y = top - (b.top - s.position) - G.header / 2;
    }

    // The month shown, and the DOM mirror, a few times a second.
    if (now % 6 === 0) {
      const current = blockAt(layout, s.position + 0.01);
      if (current?.month !== shownMonth.current) {
        shownMonth.current = current?.month;
        onMonth(current?.month);
      }
      xrMirror.setState({
        scroll: s.position.toFixed(3),
        'max-scroll': maxScroll.toFixed(3),
        month: current?.month,
        'tiles-loaded': atlas.loaded,
      });
      xrMirror.setTargets(
        'tiles',
        list.flatMap(({ cell, item }, i) => {
          if (!item || alpha.getX(i) < 0.99) return [];
          const x = cx + (cell.column - (G.columns - 1) / 2) * G.pitch;
          const y = top - (cell.y - s.position) - G.pitch / 2;
          return [
            {
              kind: 'tile' as const,
              id: item.id,
              label: item.originalFilename,
              position: [x, y, cz] as [number, number, number],
            },
          ];
        }),
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
