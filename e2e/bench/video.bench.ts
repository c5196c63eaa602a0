import { expect, type Page, test } from '@playwright/test';

/** Opens a demo item from the gallery and waits until it is shown in depth. */
async function open(page: Page, month: string, name: string) {
  await page.locator(`[data-testid=scrubber-month][data-month="${month}"]`).click();
  await page.getByRole('button', { name }).first().click();
  const viewer = page.getByTestId('photo-viewer');
  await expect(viewer).toHaveAttribute('data-state', '3d', { timeout: 60_000 });
  await expect(viewer).toHaveAttribute('data-settled', 'true', { timeout: 60_000 });
  return viewer;
}

/** Median JS per frame (every frame callback and the render call) over a few seconds. */
async function frameJs(page: Page, viewer: ReturnType<Page['getByTestId']>) {
  await page.waitForTimeout(4_000);
  return {
    js: Number(await viewer.getAttribute('data-frame-js-ms')),
    interval: Number(await viewer.getAttribute('data-frame-interval-ms')),
  };
}

test('video playback in depth: JS per frame, against a photo in depth in the same run', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await page.goto('/');
  const photo = await frameJs(page, await open(page, '2026-10', '2026-10-09-courtyard.jpg'));
  await page.keyboard.press('Escape');
  const viewer = await open(page, '2026-10', '2026-10-01-courtyard-spheres.mp4');
  const video = await frameJs(page, viewer);
  const presented = await page.evaluate(async () => {
    const element = document.querySelector('[data-testid=photo-viewer] video') as HTMLVideoElement;
    const start = element.getVideoPlaybackQuality();
    await new Promise((r) => setTimeout(r, 3_000));
    const end = element.getVideoPlaybackQuality();
    return {
      decodedPerSecond: (end.totalVideoFrames - start.totalVideoFrames) / 3,
      droppedPerSecond: (end.droppedVideoFrames - start.droppedVideoFrames) / 3,
    };
  });
  console.log(
    `playing a depth video (480×270 at 24 fps; depth re-read and far side re-spread on the GPU every new frame): ` +
      `JS per frame median ${video.js} ms vs ${photo.js} ms for a photo in depth (${(video.js / Math.max(0.01, photo.js)).toFixed(2)}×); ` +
      `frame interval ${video.interval} ms vs ${photo.interval} ms (software rendering); ` +
      `video frames decoded ${presented.decodedPerSecond.toFixed(1)}/s, dropped ${presented.droppedPerSecond.toFixed(1)}/s`,
  );
  expect(video.js).toBeGreaterThan(0);
});
