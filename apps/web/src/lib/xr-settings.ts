import { DEPTH_VIEW } from './depth/depth-view-config';

/** Headset settings, kept in this browser; edited on the page and in VR. */
export interface XrSettings {
  /** Target display rate (Quest: 72 saves power, 90 is smoother). */
  frameRate: 72 | 90;
  /** Render resolution relative to the headset's default; applies when VR is next entered. */
  framebufferScale: number;
  /** Fixed foveation in the gallery, 0 (off) … 1 (most); a photo open caps it at `photoFoveation`. */
  galleryFoveation: number;
}

export const XR_SETTING_CHOICES = {
  frameRate: [72, 90] as const,
  framebufferScale: [0.75, 1, 1.25, 1.5] as const,
  galleryFoveation: [0, 0.33, 0.66, 1] as const,
};

export const FOVEATION_LABELS: Record<number, string> = {
  0: 'off',
  0.33: 'low',
  0.66: 'medium',
  1: 'high',
};

const DEFAULTS: XrSettings = { frameRate: 72, framebufferScale: 1, galleryFoveation: 0.66 };
const KEY = 'immichvr.xr-settings';

/** Foveation for what is shown: low while a photo is open (its edges matter), the setting otherwise. */
export function foveationFor(settings: XrSettings, photoOpen: boolean): number {
  return photoOpen
    ? Math.min(settings.galleryFoveation, DEPTH_VIEW.foveation)
    : settings.galleryFoveation;
}

function load(): XrSettings {
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<XrSettings>;
    return {
      frameRate: XR_SETTING_CHOICES.frameRate.includes(stored.frameRate as 72)
        ? (stored.frameRate as 72 | 90)
        : DEFAULTS.frameRate,
      framebufferScale: XR_SETTING_CHOICES.framebufferScale.includes(stored.framebufferScale as 1)
        ? (stored.framebufferScale as number)
        : DEFAULTS.framebufferScale,
      galleryFoveation: XR_SETTING_CHOICES.galleryFoveation.includes(stored.galleryFoveation as 0)
        ? (stored.galleryFoveation as number)
        : DEFAULTS.galleryFoveation,
    };
  } catch {
    return DEFAULTS;
  }
}

let current: XrSettings | null = null;
const listeners = new Set<() => void>();

export const xrSettings = {
  get(): XrSettings {
    current ??= load();
    return current;
  },
  set(change: Partial<XrSettings>): void {
    current = { ...xrSettings.get(), ...change };
    try {
      localStorage.setItem(KEY, JSON.stringify(current));
    } catch {
      // Private mode: the settings last for this visit.
    }
    for (const listener of listeners) listener();
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
