import { expect, test } from '@playwright/test';

test('a first start shows the demo library with depth maps, by month', async ({
  page,
  request,
}) => {
  const health = await (await request.get('/api/health')).json();
  expect(health).toMatchObject({ status: 'ok', database: 'embedded' });
  expect(health.mediaCount).toBeGreaterThanOrEqual(14);

  await page.goto('/');
  const cards = page.getByTestId('media-card');
  await expect(cards).toHaveCount(health.mediaCount);
  await expect(page.locator('[data-media-type=video]')).toHaveCount(2);

  // Newest month first; the demo spans June to October 2026.
  const months = await page.getByTestId('month').locator('h2').allTextContents();
  expect(months).toEqual([
    'October 2026',
    'September 2026',
    'August 2026',
    'July 2026',
    'June 2026',
  ]);

  // Every item shows a depth map that actually decoded in the browser.
  const depthMaps = page.getByTestId('depth-map');
  await expect(depthMaps).toHaveCount(health.mediaCount);
  for (const img of await depthMaps.all()) {
    await img.scrollIntoViewIfNeeded();
    await expect
      .poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth))
      .toBeGreaterThan(0);
  }
});
