import { describe, expect, it } from 'vitest';
import { DEPTH_VIEW } from './depth/depth-view-config';
import { foveationFor, xrSettings } from './xr-settings';

describe('headset settings', () => {
  it('keeps foveation low while a photo is open, whatever the gallery uses', () => {
    const high = { frameRate: 90 as const, framebufferScale: 1, galleryFoveation: 1 };
    expect(foveationFor(high, false)).toBe(1);
    expect(foveationFor(high, true)).toBe(DEPTH_VIEW.foveation);
    expect(foveationFor({ ...high, galleryFoveation: 0 }, true)).toBe(0);
  });

  it('tells its listeners about a change (the page and the VR panel edit the same settings)', () => {
    let heard = 0;
    const stop = xrSettings.subscribe(() => heard++);
    xrSettings.set({ frameRate: 90 });
    stop();
    xrSettings.set({ frameRate: 72 });
    expect(heard).toBe(1);
    expect(xrSettings.get().frameRate).toBe(72);
  });
});
