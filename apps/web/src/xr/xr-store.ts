import { createXRStore, type XRStore } from '@react-three/xr';
import { xrSettings } from '../lib/xr-settings';
import { emulationRequested } from './xr-support';

/** Controller and hand models are served by the app (public/xr-profiles): no CDN, works offline. */
export const XR_PROFILES_PATH = '/xr-profiles/';

let store: XRStore | null = null;

/** The page's one XR store (created on first use). */
export function getXrStore(): XRStore {
  if (store) return store;
  const baseAssetPath = new URL(XR_PROFILES_PATH, window.location.href).href;
  // Emulated frames are slow (software rendering): a press must not turn into a long press.
  const clickThresholdMs = emulationRequested() ? 60_000 : 600;
  const pointer = { rayPointer: { clickThresholdMs }, grabPointer: false };
  store = createXRStore({
    emulate: false,
    offerSession: false,
    enterGrantedSession: false,
    baseAssetPath,
    controller: pointer,
    hand: { ...pointer, touchPointer: { clickThresholdMs } },
    frameRate: (supported) => {
      const wanted = xrSettings.get().frameRate;
      return Array.from(supported).includes(wanted) ? wanted : false;
    },
    frameBufferScaling: (max) => Math.min(max, xrSettings.get().framebufferScale),
    foveation: xrSettings.get().galleryFoveation,
  });
  return store;
}
