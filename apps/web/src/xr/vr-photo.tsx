import { useFrame, useThree } from '@react-three/fiber';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import * as THREE from 'three';
import { useMediaDetail } from '../api/use-media-detail';
import { useReprocess } from '../api/use-reprocess';
import { DEPTH_VIEW } from '../lib/depth/depth-view-config';
import { vrFitBox } from '../lib/depth/placement';
import type { VrAction } from '../lib/vr-actions';
import { DepthMedia, type DepthMediaStatus } from '../scene/depth-media';
import { VR_LAYOUT } from './vr-layout';
import { PhotoPanel } from './vr-panels';
import { xrMirror } from './xr-mirror';

const clamp = (v: number) =>
  Math.min(DEPTH_VIEW.depthStrength.max, Math.max(DEPTH_VIEW.depthStrength.min, v));

interface Props {
  id: string;
  onAction: (action: VrAction) => void;
}

/**
 * An open photo in the headset: the depth photo placed in front of where the head was when it
 * opened (facing the same way), its panel below, within arm's reach.
 */
export function VrPhoto({ id, onAction }: Props) {
  const { item, error } = useMediaDetail(id);
  const { state: reprocess, reprocess: startReprocess, cancel } = useReprocess(item);
  const [strength, setStrength] = useState<number>(DEPTH_VIEW.depthStrength.default);
  const [status, setStatus] = useState<DepthMediaStatus>({
    mediaId: id,
    state: 'loading',
    triangles: 0,
    depthMapId: null,
    settled: false,
  });
  const camera = useThree((s) => s.camera);
  const gl = useThree((s) => s.gl);
  const anchor = useRef<THREE.Group>(null);
  const placed = useRef(false);
  const box = useMemo(vrFitBox, []);

  // Recentring the headset moves the room: place the photo again in front of the head.
  useEffect(() => {
    const space = gl.xr.getReferenceSpace();
    const replace = () => {
      placed.current = false;
    };
    space?.addEventListener('reset', replace);
    return () => space?.removeEventListener('reset', replace);
  }, [gl]);

  // Placed about the head, facing where it looks (level), on the first frame its pose is known:
  // from there the photo at rest is exactly the flat photo.
  useFrame(() => {
    const group = anchor.current;
    if (!group || placed.current) return;
    const head = new THREE.Vector3();
    camera.getWorldPosition(head);
    const forward = new THREE.Vector3(0, 0, -1).applyQuaternion(
      camera.getWorldQuaternion(new THREE.Quaternion()),
    );
    const yaw = Math.atan2(-forward.x, -forward.z);
    group.position.set(head.x, head.y > 0.5 ? head.y : VR_LAYOUT.eyeHeight, head.z);
    group.rotation.set(0, yaw, 0);
    placed.current = true;
  });

  useEffect(() => {
    xrMirror.setState({
      'open-id': id,
      'depth-state': status.state,
      'depth-map-id': status.depthMapId,
      'depth-settled': String(status.settled),
      'reprocess-phase': reprocess.phase,
      'reprocess-history': reprocess.history.join(' '),
      'reprocess-error': reprocess.error,
      'depth-strength': strength.toFixed(2),
    });
  }, [id, status, reprocess, strength]);
  useEffect(
    () => () =>
      xrMirror.setState({
        'open-id': null,
        'depth-state': null,
        'depth-map-id': null,
        'depth-settled': null,
        'reprocess-phase': null,
        'reprocess-history': null,
        'reprocess-error': null,
      }),
    [],
  );

  const onPress = useCallback(
    (action: VrAction) => {
      if (action.kind === 'strength') setStrength(clamp(action.to));
      else if (action.kind === 'strength-step') setStrength((s) => clamp(s + action.by));
      else if (action.kind === 'reprocess') void startReprocess();
      else if (action.kind === 'cancel-reprocess') void cancel();
      else onAction(action);
    },
    [startReprocess, cancel, onAction],
  );
  const onStatus = useCallback((s: DepthMediaStatus) => setStatus(s), []);

  return (
    <group ref={anchor}>
      {item && (
        <DepthMedia key={item.id} item={item} box={box} strength={strength} onStatus={onStatus} />
      )}
      <PhotoPanel
        item={item}
        loadError={error}
        depthState={status.state}
        strength={strength}
        reprocess={reprocess}
        onPress={onPress}
      />
    </group>
  );
}
