import { expect, test } from '@playwright/test';
import { watchCsp } from '../support/csp';

test('a first start shows the demo library by month, with kinds, depth and filters', async ({
  page,
  request,
}) => {
  const health = await (await request.get('/api/health')).json();
  expect(health).toMatchObject({ status: 'ok', database: 'embedded' });
  expect(health.mediaCount).toBeGreaterThanOrEqual(14);

  const csp = watchCsp(page);
  await page.setViewportSize({ width: 1280, height: 1600 });
  await page.goto('/');
  const cards = page.getByTestId('media-card');
  await expect(cards).toHaveCount(health.mediaCount);
  await expect(page.getByTestId('library')).toHaveAttribute(
    'data-total',
    String(health.mediaCount),
  );
  // Newest month first; the demo spans June to October 2026.
  const months = page.getByTestId('month');
  await expect(months).toHaveCount(5);
  expect(await months.evaluateAll((els) => els.map((e) => e.firstChild?.textContent))).toEqual([
    'October 2026',
    'September 2026',
    'August 2026',
    'July 2026',
    'June 2026',
  ]);
  // Every item says what it is: two videos, and all have depth (the demo's ground truth).
  await expect(page.getByTestId('video-badge')).toHaveCount(2);
  await expect(page.getByTestId('depth-badge')).toHaveCount(health.mediaCount);
  // Thumbnails actually decoded.
  for (const img of await cards.locator('img').all())
    await expect
      .poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth))
      .toBeGreaterThan(0);

  // Filters: videos only, then everything again.
  await page.getByTestId('filter-videos').click();
  await expect(cards).toHaveCount(2);
  await expect(page.locator('[data-testid=media-card][data-media-type=photo]')).toHaveCount(0);
  await page.getByTestId('filter-failed').click();
  await expect(page.getByTestId('library-empty')).toContainText('Nothing matches');
  await page.getByTestId('filter-all').click();
  await expect(cards).toHaveCount(health.mediaCount);
  // Everything above ran under the app's Content-Security-Policy without a violation.
  expect(csp).toEqual([]);
});

test('open a photo, step next and previous, and come back to the same place', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1000, height: 520 });
  await page.goto('/');
  const scroller = page.getByTestId('gallery-scroller');
  await expect(page.getByTestId('media-card').first()).toBeVisible();

  // The scrubber jumps to a month.
  await page.locator('[data-testid=scrubber-month][data-month="2026-08"]').click();
  await expect(page.locator('[data-testid=month][data-month="2026-08"]')).toBeInViewport();
  await scroller.evaluate((el) => el.scrollBy(0, 40));
  const scrolled = await scroller.evaluate((el) => el.scrollTop);
  expect(scrolled).toBeGreaterThan(200);

  // A photo fully in view (clicking one outside would scroll), once the month's page is in.
  const photoInView = () =>
    scroller.evaluate((el) => {
      const view = el.getBoundingClientRect();
      const cards = [
        ...el.querySelectorAll<HTMLElement>('[data-testid=media-card][data-media-type=photo]'),
      ];
      return cards.find((c) => {
        const r = c.getBoundingClientRect();
        return r.top >= view.top && r.bottom <= view.bottom;
      })?.dataset.id;
    });
  await expect.poll(photoInView, { timeout: 15_000 }).toBeTruthy();
  const firstId = await photoInView();
  await page.locator(`[data-testid=media-card][data-id="${firstId}"]`).click();
  const viewer = page.getByTestId('photo-viewer');
  await expect(viewer).toHaveAttribute('data-media-id', firstId ?? '');
  await expect(viewer).toHaveAttribute('data-state', /flat|3d/, { timeout: 60_000 });
  await expect(page.getByTestId('info-panel')).toContainText('Depth');

  await page.keyboard.press('ArrowRight');
  await expect(viewer).not.toHaveAttribute('data-media-id', firstId ?? '');
  const secondId = await viewer.getAttribute('data-media-id');
  // The next item may be a video, where the arrows seek and Shift+arrow steps.
  const video =
    (await page
      .locator(`[data-testid=media-card][data-id="${secondId}"]`)
      .getAttribute('data-media-type')) === 'video';
  await page.keyboard.press(video ? 'Shift+ArrowLeft' : 'ArrowLeft');
  await expect(viewer).toHaveAttribute('data-media-id', firstId ?? '');
  await page.getByTestId('viewer-next').click();
  await expect(viewer).toHaveAttribute('data-media-id', secondId ?? '');
  await page.getByTestId('viewer-prev').click();
  await expect(viewer).toHaveAttribute('data-media-id', firstId ?? '');

  await page.keyboard.press('Escape');
  await expect(viewer).toHaveCount(0);
  expect(await scroller.evaluate((el) => el.scrollTop)).toBe(scrolled);
  await expect(page.locator(`[data-testid=media-card][data-id="${firstId}"]`)).toBeInViewport();

  // Opened again: the same viewer, its 3D canvas made once for the page, not once per open.
  await page.locator(`[data-testid=media-card][data-id="${firstId}"]`).click();
  await expect(viewer).toHaveAttribute('data-state', /flat|3d/, { timeout: 60_000 });
  await page.keyboard.press('Escape');
  await expect(viewer).toHaveCount(0);
  const canvasesMade = await page.evaluate(
    () => performance.getEntriesByName('viewer:canvas-created').length,
  );
  expect(canvasesMade).toBe(1);
});

test('a failed request is shown, not a blank page', async ({ page }) => {
  await page.route(/\/api\/timeline/, (route) =>
    route.fulfill({
      status: 503,
      contentType: 'application/problem+json',
      body: JSON.stringify({
        type: 'about:blank',
        title: 'Service Unavailable',
        status: 503,
        detail: 'the database is not reachable',
      }),
    }),
  );
  await page.goto('/');
  await expect(page.getByTestId('library-error')).toContainText('the database is not reachable');
  await page.unroute(/\/api\/timeline/);
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByTestId('media-card').first()).toBeVisible();
});

test('without a headset the page says why VR is not offered', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('vr-unavailable')).toContainText('No VR headset');
  await expect(page.getByTestId('enter-vr')).toHaveCount(0);
  await page.getByTestId('open-settings').click();
  await expect(page.getByTestId('control-map')).toContainText('Trigger');
});
