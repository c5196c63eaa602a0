import { useSyncExternalStore } from 'react';

/**
 * What the headset shows, mirrored into the page's DOM: the VR scene's state, its tiles and
 * panel buttons with where they are in the room. Screen readers and the end-to-end tests read
 * it (the tests then aim the emulated controller at those positions; they never call the app).
 */
export interface MirrorTarget {
  kind: 'tile' | 'button';
  /** Item id (tiles) or button id. */
  id: string;
  label: string;
  panel?: string;
  disabled?: boolean;
  position: [number, number, number];
}

type Listener = () => void;

class XrMirror {
  state: Record<string, string> = {};
  targets = new Map<string, MirrorTarget[]>();
  version = 0;
  private listeners = new Set<Listener>();
  private scheduled = false;

  subscribe = (listener: Listener) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  getVersion = () => this.version;

  setState(change: Record<string, string | number | null | undefined>): void {
    let changed = false;
    for (const [key, raw] of Object.entries(change)) {
      const value = raw === null || raw === undefined ? '' : String(raw);
      if (this.state[key] !== value) {
        this.state[key] = value;
        changed = true;
      }
    }
    if (changed) this.notify();
  }

  /** Replaces one group's targets (a panel's buttons, the visible tiles). */
  setTargets(group: string, targets: MirrorTarget[]): void {
    const key = JSON.stringify(targets);
    const previous = this.targets.get(group);
    if (previous && JSON.stringify(previous) === key) return;
    if (targets.length === 0) this.targets.delete(group);
    else this.targets.set(group, targets);
    this.notify();
  }

  /** Batched: the DOM updates at most once per task, not per frame callback. */
  private notify(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => {
      this.scheduled = false;
      this.version++;
      for (const listener of this.listeners) listener();
    }, 0);
  }
}

export const xrMirror = new XrMirror();

export function useXrMirror(): XrMirror {
  useSyncExternalStore(xrMirror.subscribe, xrMirror.getVersion);
  return xrMirror;
}
