import type { XRStore } from '@react-three/xr';

/** The XR store without putting @react-three/xr in the first download. */
export async function getXrStoreLazy(): Promise<XRStore> {
  return (await import('./xr-store')).getXrStore();
}
