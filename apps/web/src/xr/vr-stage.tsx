import { Canvas, useFrame } from '@react-three/fiber';
import { XR } from '@react-three/xr';
import { useEffect, useRef, useSyncExternalStore } from 'react';
import { VR_LAYOUT } from './vr-layout';
import { VrScene, type VrSceneProps } from './vr-scene';
import { xrMirror } from './xr-mirror';
import { XrMirrorView } from './xr-mirror-view';
import { getXrStore } from './xr-store';
import { emulationRequested } from './xr-support';

/**
 * The headset's canvas. Mounted (tiny, off screen) as soon as the browser can do VR, so that
 * Enter VR starts the session at once, inside the user's click.
 */
export default function VrStage({
  onPresenting,
  onReady,
  ...props
}: VrSceneProps & { onPresenting: (presenting: boolean) => void; onReady: () => void }) {
  const store = getXrStore();
  const session = useSyncExternalStore(store.subscribe, () => store.getState().session);
  useEffect(() => {
    onPresenting(Boolean(session));
    xrMirror.setState({ presenting: session ? 'true' : 'false' });
  }, [session, onPresenting]);
  return (
    <>
      <div
        className={['vr-stage', emulationRequested() && 'emulated', session && 'presenting']
          .filter(Boolean)
          .join(' ')}
        aria-hidden="true"
      >
        <Canvas
          camera={{ fov: 70, near: 0.05, far: 200, position: [0, VR_LAYOUT.eyeHeight, 0] }}
          gl={{ antialias: true }}
        >
          <XR store={store}>
            <FirstFrame onFrame={onReady} />
            {session && <VrScene {...props} />}
          </XR>
        </Canvas>
      </div>
      <XrMirrorView />
    </>
  );
}

/** Tells once that the XR root has rendered a frame: only then can a session start. */
function FirstFrame({ onFrame }: { onFrame: () => void }) {
  const done = useRef(false);
  useFrame(() => {
    if (done.current) return;
    done.current = true;
    xrMirror.setState({ ready: 'true' });
    onFrame();
  });
  return null;
}
