import { execFileSync } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';

const STORM = '/usr/share/backgrounds/mate/nature/Storm.jpg';

test('a HEIC photo shows like a JPEG; one that cannot be decoded says so, once', async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  const heic = path.join(os.tmpdir(), `immichvr-e2e-${process.pid}.heic`);
  execFileSync('heif-enc', ['-q', '80', STORM, '-o', heic]);
  const good = await request.post('/api/media', {
    multipart: {
      file: { name: 'storm.heic', mimeType: 'image/heic', buffer: await readFile(heic) },
    },
  });
  await rm(heic, { force: true });
  expect(good.status()).toBe(201);
  // A HEIC that holds no image (what a cut-off copy might look like): header only.
  const header = Buffer.alloc(64);
  header.writeUInt32BE(24, 0);
  header.write('ftypheic', 4, 'latin1');
  header.write('mif1heic', 16, 'latin1');
  const bad = await request.post('/api/media', {
    multipart: { file: { name: 'broken.heic', mimeType: 'image/heic', buffer: header } },
  });
  expect(bad.status()).toBe(201);
  const [goodId, badId] = [(await good.json()).id, (await bad.json()).id] as string[];
  try {
    await page.goto('/');
    await page.locator('[data-testid=scrubber-month][data-month="2008-04"]').click();
    const tile = page.locator(`[data-testid=media-card][data-id="${goodId}"] img`);
    await expect(tile).toBeVisible();
    await expect.poll(() => tile.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(256);

    // The broken one: a card saying there is no preview, and its depth job failed once, with why.
    await page.locator('[data-testid=scrubber-month]').last().click();
    await page.locator('[data-testid=scrubber-month]').first().click();
    const card = page.locator(`[data-testid=media-card][data-id="${badId}"]`);
    await expect(card.getByTestId('tile-no-preview')).toBeVisible({ timeout: 30_000 });
    await expect(card).toHaveAttribute('data-status', 'failed', { timeout: 60_000 });
    await card.screenshot({ path: test.info().outputPath('no-preview-tile.png') });
    const failed = await (await request.get(`/api/media/${badId}`)).json();
    expect(failed).toMatchObject({ processingStatus: 'failed', processingAttempts: 1 });
    expect(failed.lastError).toMatch(/could not be decoded/);

    // Opened, the HEIC is the photo in depth.
    await expect
      .poll(async () => (await (await request.get(`/api/media/${goodId}`)).json()).depthMap, {
        timeout: 60_000,
      })
      .not.toBeNull();
    await page.goto('/');
    await page.locator('[data-testid=scrubber-month][data-month="2008-04"]').click();
    await page.locator(`[data-testid=media-card][data-id="${goodId}"]`).click();
    await expect(page.getByTestId('photo-viewer')).toHaveAttribute('data-state', '3d', {
      timeout: 60_000,
    });
  } finally {
    await request.delete(`/api/media/${goodId}`);
    await request.delete(`/api/media/${badId}`);
  }
});
