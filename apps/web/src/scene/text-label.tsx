import { useEffect, useMemo } from 'react';
import * as THREE from 'three';

const PX_PER_METRE = 1000;
const HEIGHT_PX = 72;

/** One line of text in the room (a canvas texture on a plane), left-aligned at `position`'s x − width/2. */
export function TextLabel({
  text,
  position,
  widthMeters,
  color = '#f0f0f0',
}: {
  text: string;
  position: [number, number, number];
  widthMeters: number;
  color?: string;
}) {
  const width = Math.round(widthMeters * PX_PER_METRE);
  const texture = useMemo(() => {
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = HEIGHT_PX;
    const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
    ctx.font = `600 ${HEIGHT_PX * 0.62}px system-ui, sans-serif`;
    ctx.fillStyle = color;
    ctx.textBaseline = 'middle';
    ctx.fillText(text, 4, HEIGHT_PX / 2, width - 8);
    const t = new THREE.CanvasTexture(canvas);
    t.colorSpace = THREE.SRGBColorSpace;
    return t;
  }, [text, width, color]);
  useEffect(() => () => texture.dispose(), [texture]);
  return (
    <mesh position={position}>
      <planeGeometry args={[widthMeters, (widthMeters * HEIGHT_PX) / width]} />
      <meshBasicMaterial map={texture} transparent toneMapped={false} depthWrite={false} />
    </mesh>
  );
}
