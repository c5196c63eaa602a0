/** Whether this page can enter VR, and if not, what the user can do about it. */
export type VrSupport =
  | { state: 'checking' }
  | { state: 'supported' }
  | { state: 'insecure'; message: string }
  | { state: 'unavailable'; message: string };

export async function detectVrSupport(): Promise<VrSupport> {
  if (!window.isSecureContext)
    return {
      state: 'insecure',
      message:
        'VR needs a secure page: open ImmichVR over HTTPS (pnpm start --lan prints the address).',
    };
  if (!('xr' in navigator) || !navigator.xr)
    return {
      state: 'unavailable',
      message: 'This browser has no WebXR: open the page in a headset browser.',
    };
  try {
    return (await navigator.xr.isSessionSupported('immersive-vr'))
      ? { state: 'supported' }
      : { state: 'unavailable', message: 'No VR headset is available to this browser.' };
  } catch {
    return { state: 'unavailable', message: 'This browser does not allow VR on this page.' };
  }
}

/** Test mode: `?iwer` (controllers) or `?iwer=hand` installs an emulated Quest 3 (IWER). */
export function emulationRequested(): 'controller' | 'hand' | null {
  const value = new URLSearchParams(window.location.search).get('iwer');
  if (value === null) return null;
  return value === 'hand' ? 'hand' : 'controller';
}

/** Installs the emulated headset before anything asks for WebXR. Loaded only in test mode. */
export async function installEmulatedHeadset(mode: 'controller' | 'hand'): Promise<void> {
  const { XRDevice, metaQuest3 } = await import('iwer');
  const device = new XRDevice(metaQuest3);
  device.installRuntime({ forceInstall: true });
  device.primaryInputMode = mode;
  (window as unknown as { __xrDevice: unknown }).__xrDevice = device;
}
