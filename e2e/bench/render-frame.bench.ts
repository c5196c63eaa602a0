import { expect, test } from '@playwright/test';

/**
 * JS time per frame with a demo photo open in 3D, in Debian's Chromium — software-rendered here
 * (SwiftShader: no GPU), so the interval between frames is the CPU rasterising, not a headset.
 */
test('frame cost with a depth photo open', async ({ page }) => {
  await page.goto('/');
  for (const name of ['2026-06-02-room.jpg', '2026-10-09-courtyard.jpg']) {
    await page.locator(`[data-testid=scrubber-month][data-month="${name.slice(0, 7)}"]`).click();
    await page.getByRole('button', { name }).first().click();
    const viewer = page.getByTestId('photo-viewer');
    await expect(viewer).toHaveAttribute('data-state', '3d', { timeout: 90_000 });
    // Let the blend finish and gather a rolling window of frames.
    await page.waitForTimeout(15_000);
    const read = async (attribute: string) => Number(await viewer.getAttribute(attribute));
    console.log(
      `${name}: JS per frame median ${await read('data-frame-js-ms')} ms, frame interval median ${await read('data-frame-interval-ms')} ms (software-rendered) | ` +
        `${await read('data-triangles')} triangles, ${await read('data-draw-calls')} draw calls`,
    );
    await page.keyboard.press('Escape');
    await expect(viewer).toHaveCount(0);
  }
});
