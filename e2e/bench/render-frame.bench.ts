import { expect, test } from '@playwright/test';

/**
 * Frame cost with a demo photo open in 3D, in Debian's Chromium — software-rendered here
 * (SwiftShader: no GPU), so the interval between frames is the CPU rasterising, not a headset.
 * Frames are drawn while the pointer sweeps (the view is drawn on demand: none at rest), as the
 * app draws them and, for reference in the same run, with every frame multisampled
 * (`?antialias=every-frame`: how software rendering drew them before settled-frame antialiasing).
 */
test('frame cost with a depth photo open, while the pointer moves', async ({ page }) => {
  test.setTimeout(300_000);
  const intervals: Record<string, number[]> = { app: [], reference: [] };
  for (const name of ['2026-06-02-room.jpg', '2026-10-09-courtyard.jpg'])
    for (const variant of ['app', 'reference'] as const) {
      await page.goto(variant === 'app' ? '/' : '/?antialias=every-frame');
      await page.locator(`[data-testid=scrubber-month][data-month="${name.slice(0, 7)}"]`).click();
      await page.getByRole('button', { name }).first().click();
      const viewer = page.getByTestId('photo-viewer');
      await expect(viewer).toHaveAttribute('data-settled', 'true', { timeout: 90_000 });
      const box = await viewer.locator('canvas').boundingBox();
      if (!box) throw new Error('no canvas');
      // Sweep left and right for ~8 s: the camera eases after the pointer, a frame each time.
      const started = Date.now();
      for (let i = 0; Date.now() - started < 8_000; i++)
        await page.mouse.move(
          box.x + box.width * (0.5 + 0.4 * Math.sin(i / 4)),
          box.y + box.height / 2,
        );
      const read = async (attribute: string) => Number(await viewer.getAttribute(attribute));
      const interval = await read('data-frame-interval-ms');
      intervals[variant]?.push(interval);
      console.log(
        `${name}, ${variant === 'app' ? 'as the app draws it' : 'reference, every frame multisampled'} (antialiasing: ${await viewer.locator('canvas').getAttribute('data-antialiasing')}): ` +
          `JS per frame median ${await read('data-frame-js-ms')} ms, frame interval median ${interval} ms while moving | ` +
          `${await read('data-triangles')} triangles, ${await read('data-draw-calls')} draw calls`,
      );
    }
  const sum = (values: number[] = []) => values.reduce((a, b) => a + b, 0);
  console.log(
    `frame interval while moving: ${(sum(intervals.app) / sum(intervals.reference)).toFixed(2)}× the reference`,
  );
});
