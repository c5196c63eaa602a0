import { describe, expect, it } from 'vitest';
import { GALLERY_FILTERS } from './gallery/gallery-filter';
import { actionKey, type VrAction } from './vr-actions';
import { XR_SETTING_CHOICES } from './xr-settings';

describe('VR panel actions', () => {
  it('have one distinct, stable key each (the DOM mirror and the tests find buttons by it)', () => {
    const actions: VrAction[] = [
      ...GALLERY_FILTERS.map((filter) => ({ kind: 'filter', filter }) as const),
      { kind: 'page', direction: -1 },
      { kind: 'page', direction: 1 },
      { kind: 'month', direction: -1 },
      { kind: 'month', direction: 1 },
      { kind: 'scrub', to: 'first' },
      { kind: 'scrub', to: '2026-09' },
      { kind: 'side-panel', panel: 'help' },
      { kind: 'side-panel', panel: 'settings' },
      { kind: 'side-panel', panel: 'library' },
      { kind: 'filter', filter: 'favorites' },
      { kind: 'filter', filter: 'collection:0b0f0c1e-4a5d-4c6e-8f70-1a2b3c4d5e6f' },
      { kind: 'close-side-panel' },
      ...XR_SETTING_CHOICES.frameRate.map(
        (value) => ({ kind: 'setting', key: 'frameRate', value }) as const,
      ),
      { kind: 'exit-vr' },
      { kind: 'back' },
      { kind: 'step', direction: -1 },
      { kind: 'step', direction: 1 },
      { kind: 'strength', to: 0.5 },
      { kind: 'strength-step', by: -0.1 },
      { kind: 'strength-step', by: 0.1 },
      { kind: 'reprocess' },
      { kind: 'cancel-reprocess' },
      { kind: 'video-toggle' },
      { kind: 'video-seek', to: 0.5 },
      { kind: 'video-seek-by', seconds: -5 },
      { kind: 'video-seek-by', seconds: 5 },
      { kind: 'video-loop' },
    ];
    const keys = actions.map(actionKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toContain('scrub:2026-09');
    expect(keys).toContain('set:frameRate:90');
    expect(keys).toContain('filter:videos');
    expect(actionKey({ kind: 'cancel-reprocess' })).toBe('cancel');
  });
});
