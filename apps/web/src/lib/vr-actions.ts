import type { GalleryFilter } from './gallery/gallery-filter';
import type { XrSettings } from './xr-settings';

/** A numeric headset setting and one of its choices. */
export type SettingChoice = {
  [K in keyof XrSettings]: { kind: 'setting'; key: K; value: XrSettings[K] };
}[keyof XrSettings];

/** Everything a VR panel button does. */
export type VrAction =
  | { kind: 'filter'; filter: GalleryFilter }
  /** Scroll the wall by most of a view: −1 up (newer), +1 down (older). */
  | { kind: 'page'; direction: -1 | 1 }
  /** Jump to the previous (−1, newer) or next (+1, older) month. */
  | { kind: 'month'; direction: -1 | 1 }
  /** Jump to a month (YYYY-MM), the newest or the oldest. */
  | { kind: 'scrub'; to: string | 'first' | 'last' }
  | { kind: 'side-panel'; panel: 'help' | 'settings' | 'library' }
  | { kind: 'close-side-panel' }
  | SettingChoice
  | { kind: 'exit-vr' }
  /** Back to the gallery from an open item. */
  | { kind: 'back' }
  /** The previous (−1) or next (+1) item. */
  | { kind: 'step'; direction: -1 | 1 }
  /** Depth strength: set to a value (a slider press), or moved by a step. */
  | { kind: 'strength'; to: number }
  | { kind: 'strength-step'; by: number }
  | { kind: 'reprocess' }
  | { kind: 'cancel-reprocess' }
  /** Fetch the depth model the server offers (the item's map came from the built-in estimate). */
  | { kind: 'get-real-depth' }
  /** An open video: play ↔ pause, seek to a fraction of its length or by seconds, loop on/off. */
  | { kind: 'video-toggle' }
  | { kind: 'video-seek'; to: number }
  | { kind: 'video-seek-by'; seconds: number }
  | { kind: 'video-loop' };

/**
 * A stable name for an action: what the DOM mirror shows as a button's id (tests and assistive
 * tech find buttons by it) and what identifies the hovered button.
 */
export function actionKey(action: VrAction): string {
  switch (action.kind) {
    case 'filter':
      return `filter:${action.filter}`;
    case 'page':
      return action.direction < 0 ? 'page-up' : 'page-down';
    case 'month':
      return action.direction < 0 ? 'month-prev' : 'month-next';
    case 'scrub':
      return `scrub:${action.to}`;
    case 'side-panel':
      return action.panel;
    case 'close-side-panel':
      return 'close-side';
    case 'setting':
      return `set:${action.key}:${action.value}`;
    case 'step':
      return action.direction < 0 ? 'prev' : 'next';
    case 'strength':
      return 'strength';
    case 'strength-step':
      return action.by < 0 ? 'strength-down' : 'strength-up';
    case 'cancel-reprocess':
      return 'cancel';
    case 'video-toggle':
      return 'play';
    case 'video-seek':
      return 'seek';
    case 'video-seek-by':
      return action.seconds < 0 ? 'seek-back' : 'seek-forward';
    case 'video-loop':
      return 'loop';
    case 'exit-vr':
    case 'back':
    case 'reprocess':
    case 'get-real-depth':
      return action.kind;
  }
}
