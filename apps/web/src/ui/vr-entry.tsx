import { useEffect, useState } from 'react';
import {
  detectVrSupport,
  emulationRequested,
  installEmulatedHeadset,
  type VrSupport,
} from '../xr/xr-support';

/** Whether VR can be entered here; installs the emulated headset first in test mode. */
export function useVrSupport(): VrSupport {
  const [support, setSupport] = useState<VrSupport>({ state: 'checking' });
  useEffect(() => {
    let live = true;
    (async () => {
      const emulate = emulationRequested();
      if (emulate) await installEmulatedHeadset(emulate);
      const result = await detectVrSupport();
      if (live) setSupport(result);
    })();
    return () => {
      live = false;
    };
  }, []);
  return support;
}

/** Enter VR, or why not. */
export function VrButton({
  support,
  ready,
  presenting,
  onEnter,
}: {
  support: VrSupport;
  ready: boolean;
  presenting: boolean;
  onEnter: () => void;
}) {
  if (support.state === 'checking') return null;
  if (support.state !== 'supported')
    return (
      <p className="vr-unavailable" data-testid="vr-unavailable" data-reason={support.state}>
        {support.message}
      </p>
    );
  if (presenting) return null;
  return (
    <button
      type="button"
      className="vr-button"
      onClick={onEnter}
      disabled={!ready}
      data-testid="enter-vr"
    >
      {ready ? 'Enter VR' : 'Preparing VR…'}
    </button>
  );
}
