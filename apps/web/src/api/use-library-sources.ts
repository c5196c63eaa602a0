import type { Collection, ImmichSyncStatus } from '@immichvr/shared';
import { useSyncExternalStore } from 'react';
import { api } from './client';

/** How often the sync status is asked for while a sync runs (and after one is started). */
const RUNNING_POLL_MS = 2_000;

export interface LibrarySourcesView {
  /** Albums and people to filter by (empty without Immich). */
  collections: readonly Collection[];
  /** The Immich sync, or null when no Immich server is configured. */
  immich: ImmichSyncStatus | null;
  /** Why the status could not be read, if it could not. */
  error: string | null;
}

/**
 * The library's sources for the page and the headset: the albums and people (reloaded when a sync
 * ends) and where the Immich sync stands (polled while one runs). One instance per page.
 */
class LibrarySourcesStore {
  private view: LibrarySourcesView = { collections: [], immich: null, error: null };
  private readonly listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private loaded = false;

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    if (!this.loaded) {
      this.loaded = true;
      void this.refresh(true);
    }
    return () => this.listeners.delete(listener);
  };

  getView = () => this.view;

  /** Starts a sync now ("Sync now") and follows it. */
  async syncNow(): Promise<void> {
    try {
      const answer = await api.syncImmich();
      this.set({ immich: answer.immich, error: null });
    } catch (error) {
      this.set({ error: (error as Error).message });
    }
    this.schedule(RUNNING_POLL_MS);
  }

  /** Reads the status (and the collections when asked, or when a sync just ended). */
  async refresh(withCollections = false): Promise<void> {
    clearTimeout(this.timer);
    try {
      const { immich } = await api.sources();
      const ended = this.view.immich?.running === true && !immich?.running;
      const collections =
        withCollections || ended ? (await api.collections()).items : this.view.collections;
      this.set({ immich, collections, error: null });
      if (immich?.running) this.schedule(RUNNING_POLL_MS);
    } catch (error) {
      this.set({ error: (error as Error).message });
    }
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), ms);
  }

  private set(change: Partial<LibrarySourcesView>): void {
    this.view = { ...this.view, ...change };
    for (const listener of this.listeners) listener();
  }
}

export const librarySources = new LibrarySourcesStore();

export function useLibrarySources(): LibrarySourcesView {
  return useSyncExternalStore(librarySources.subscribe, librarySources.getView);
}
