import type { ThreeEvent } from '@react-three/fiber';
import { useFrame } from '@react-three/fiber';
import { useEffect, useMemo, useRef, useState } from 'react';
import * as THREE from 'three';
import type { VrAction } from '../../lib/vr-actions';
import { type MirrorTarget, xrMirror } from '../xr-mirror';
import { hitAt, type PanelHit, PanelPainter } from './panel-painter';

interface Props {
  /** Names the panel in the DOM mirror. */
  name: string;
  widthMeters: number;
  pixels: [number, number];
  /** Draws the panel; called again whenever it changes identity or the hovered button changes. */
  paint: (painter: PanelPainter) => void;
  onPress: (action: VrAction) => void;
  position?: [number, number, number];
  rotation?: [number, number, number];
}

const temp = new THREE.Vector3();

/**
 * A flat in-VR panel drawn on a canvas texture: one mesh, one texture, one draw call. A
 * controller ray or a hand's pinch ray pressing it hits a button by the hit point's uv.
 */
export function CanvasPanel({
  name,
  widthMeters,
  pixels,
  paint,
  onPress,
  position,
  rotation,
}: Props) {
  const [width, height] = pixels;
  const heightMeters = (widthMeters * height) / width;
  const mesh = useRef<THREE.Mesh>(null);
  const [hovered, setHovered] = useState<string | null>(null);
  const hits = useRef<PanelHit[]>([]);
  const { canvas, texture } = useMemo(() => {
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const texture = new THREE.CanvasTexture(canvas);
    texture.colorSpace = THREE.SRGBColorSpace;
    texture.anisotropy = 4;
    return { canvas, texture };
  }, [width, height]);
  useEffect(() => () => texture.dispose(), [texture]);

  useEffect(() => {
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const painter = new PanelPainter(ctx, width, height, hovered);
    paint(painter);
    hits.current = painter.hits;
    texture.needsUpdate = true;
  }, [canvas, texture, width, height, paint, hovered]);

  // Where each button is in the room, for the DOM mirror (a few times a second).
  const frame = useRef(0);
  useFrame(() => {
    if (!mesh.current || frame.current++ % 6 !== 0) return;
    const targets: MirrorTarget[] = hits.current.map((hit) => {
      temp.set(
        ((hit.x + hit.w / 2) / width - 0.5) * widthMeters,
        (0.5 - (hit.y + hit.h / 2) / height) * heightMeters,
        0.001,
      );
      mesh.current?.localToWorld(temp);
      return {
        kind: 'button',
        id: hit.id,
        label: hit.label,
        panel: name,
        ...(hit.disabled ? { disabled: true } : {}),
        position: [temp.x, temp.y, temp.z],
      };
    });
    xrMirror.setTargets(`panel:${name}`, targets);
  });
  useEffect(() => () => xrMirror.setTargets(`panel:${name}`, []), [name]);

  const hitOf = (event: ThreeEvent<PointerEvent | MouseEvent>) => {
    const uv = event.uv;
    if (!uv) return undefined;
    const x = uv.x * width;
    const hit = hitAt(hits.current, x, (1 - uv.y) * height);
    return hit && { hit, action: hit.slider ? hit.slider((x - hit.x) / hit.w) : hit.action };
  };

  return (
    <mesh
      ref={mesh}
      position={position}
      rotation={rotation}
      onClick={(event) => {
        event.stopPropagation();
        const found = hitOf(event);
        if (found && !found.hit.disabled) onPress(found.action);
      }}
      onPointerMove={(event) => {
        const id = hitOf(event)?.hit.id ?? null;
        if (id !== hovered) setHovered(id);
      }}
      onPointerLeave={() => setHovered(null)}
    >
      <planeGeometry args={[widthMeters, heightMeters]} />
      <meshBasicMaterial map={texture} transparent toneMapped={false} />
    </mesh>
  );
}
