import { useSyncExternalStore } from 'react';
import type { GalleryStore } from './gallery-store';

/** Re-renders when the store changes; returns its version (use the store for the data). */
export function useGalleryVersion(store: GalleryStore): number {
  return useSyncExternalStore(store.subscribe, store.getVersion);
}
