import { useSyncExternalStore } from 'react';
import { DepthModelStore, type DepthModelView } from '../lib/depth-model-store';
import { api } from './client';

/** One store for the page: the banner, the info panel and the headset panel share its polling. */
export const depthModelStore = new DepthModelStore({
  status: api.depthModel,
  fetch: api.fetchDepthModel,
});

/** The depth model status, live while a download runs. */
export function useDepthModel(): DepthModelView & { download(): void } {
  const view = useSyncExternalStore(depthModelStore.subscribe, depthModelStore.getView);
  return { ...view, download: () => void depthModelStore.download() };
}
