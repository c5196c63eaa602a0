import { useFrame, useThree } from '@react-three/fiber';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import * as THREE from 'three';
import { depthModelStore, useDepthModel } from '../api/use-depth-model';
import { describeVideoDepth, useDepthProgress } from '../api/use-depth-progress';
import { useMediaDetail } from '../api/use-media-detail';
import { useReprocess } from '../api/use-reprocess';
import { DEPTH_VIEW } from '../lib/depth/depth-view-config';
import { restRect, vrFitBox } from '../lib/depth/placement';
import type { VideoPlayer } from '../lib/video/video-player';
import type { VrAction } from '../lib/vr-actions';
import { DepthMedia, type DepthMediaStatus } from '../scene/depth-media';
import { useVideoPlayer, useVideoState } from '../scene/use-video-player';
import { VR_LAYOUT } from './vr-layout';
import { PhotoPanel } from './vr-panels';
import { xrMirror } from './xr-mirror';

const clamp = (v: number) =>
  Math.min(DEPTH_VIEW.depthStrength.max, Math.max(DEPTH_VIEW.depthStrength.min, v));

interface Props {
  id: string;
  onAction: (action: VrAction) => void;
  /** Set to the open video's player (null otherwise): the thumbstick seeks it. */
  openVideo: React.RefObject<VideoPlayer | null>;
}

/**
 * An open photo or video in the headset: in depth, placed in front of where the head was when it
 * opened (facing the same way), its panel below, within arm's reach. A video plays at once; the
 * trigger on it plays and pauses, the thumbstick seeks, the panel has the rest.
 */
export function VrPhoto({ id, onAction, openVideo }: Props) {
  const { item, error } = useMediaDetail(id);
  const player = useVideoPlayer(item);
  const video = useVideoState(player);
  const depthNote = describeVideoDepth(item, useDepthProgress(item));
  useEffect(() => {
    openVideo.current = player;
    return () => {
      openVideo.current = null;
    };
  }, [player, openVideo]);
  const { state: reprocess, reprocess: startReprocess, cancel } = useReprocess(item);
  const depthModel = useDepthModel().status;
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
      'video-paused': player ? String(video.paused) : null,
      'video-time': player ? video.time.toFixed(2) : null,
    });
  }, [id, status, reprocess, strength, player, video]);
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
        'video-paused': null,
        'video-time': null,
      }),
    [],
  );

  const onPress = useCallback(
    (action: VrAction) => {
      if (action.kind === 'strength') setStrength(clamp(action.to));
      else if (action.kind === 'strength-step') setStrength((s) => clamp(s + action.by));
      else if (action.kind === 'reprocess') void startReprocess();
      else if (action.kind === 'cancel-reprocess') void cancel();
      else if (action.kind === 'get-real-depth') void depthModelStore.download();
      else if (action.kind === 'video-toggle') player?.toggle();
      else if (action.kind === 'video-seek') player?.seek(action.to * player.getState().duration);
      else if (action.kind === 'video-seek-by') player?.seekBy(action.seconds);
      else if (action.kind === 'video-loop') player?.setLoop(!player.getState().loop);
      else onAction(action);
    },
    [startReprocess, cancel, onAction, player],
  );
  const onStatus = useCallback((s: DepthMediaStatus) => setStatus(s), []);

  return (
    <group ref={anchor}>
      {item && (
        <DepthMedia
          key={item.id}
          item={item}
          player={player}
          box={box}
          strength={strength}
          onStatus={onStatus}
        />
      )}
      {player && item?.width && item.height && (
        <VideoTarget aspect={item.width / item.height} box={box} onPress={() => player.toggle()} />
      )}
      <PhotoPanel
        item={item}
        loadError={error}
        depthState={status.state}
        strength={strength}
        reprocess={reprocess}
        depthModel={depthModel}
        video={player ? { state: video, depthNote } : null}
        onPress={onPress}
      />
    </group>
  );
}

const targetPosition = new THREE.Vector3();

/**
 * What the trigger presses on a playing video: an invisible card at its rest rectangle (the depth
 * surface moves its vertices on the GPU, so it cannot be hit-tested itself). In the DOM mirror as
 * the button "video".
 */
function VideoTarget(props: {
  aspect: number;
  box: ReturnType<typeof vrFitBox>;
  onPress: () => void;
}) {
  const rect = useMemo(
    () =>
      restRect(
        props.aspect,
        props.box,
        DEPTH_VIEW.placement.sizeScale.default,
        DEPTH_VIEW.placement.distanceMeters,
      ),
    [props.aspect, props.box],
  );
  const mesh = useRef<THREE.Mesh>(null);
  const frame = useRef(0);
  useFrame(() => {
    if (!mesh.current || frame.current++ % 10 !== 0) return;
    mesh.current.getWorldPosition(targetPosition);
    xrMirror.setTargets('video', [
      {
        kind: 'button',
        id: 'video',
        label: 'Play or pause',
        panel: 'video',
        position: [targetPosition.x, targetPosition.y, targetPosition.z],
      },
    ]);
  });
  useEffect(() => () => xrMirror.setTargets('video', []), []);
  return (
    <mesh
      ref={mesh}
      position={[0, 0, -rect.distance]}
      onClick={(event) => {
        event.stopPropagation();
        props.onPress();
      }}
    >
      <planeGeometry args={[rect.halfWidth * 2, rect.halfHeight * 2]} />
      <meshBasicMaterial colorWrite={false} depthWrite={false} />
    </mesh>
  );
}
