import { copyFile, readFile, truncate } from 'node:fs/promises';
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { watchCsp } from '../support/csp';
import {
  aimAt,
  enterVr,
  frames,
  positionOf,
  pressButton,
  select,
  selectTarget,
  thumbstick,
  xrState,
} from '../support/xr-device';

// Everything here is driven through the emulated Quest 3's controllers and hands.

const tile = (page: Page, id: string) => page.locator(`[data-testid=xr-tile][data-id="${id}"]`);
const panelButton = (page: Page, panel: string, id: string) =>
  page.locator(`[data-testid=xr-button][data-panel="${panel}"][data-id="${id}"]`);

/** Waits until the wall stops moving, so the tile positions the page reports hold. */
async function settled(page: Page) {
  const state = xrState(page);
  let last = '';
  await expect
    .poll(
      async () => {
        await frames(page, 8);
        const now = await state.getAttribute('data-scroll');
        const same = now === last;
        last = now ?? '';
        return same;
      },
      { timeout: 30_000 },
    )
    .toBe(true);
}

test('VR with controllers: scroll, open a photo, reprocess it from the panel, exit', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const csp = watchCsp(page);
  await enterVr(page);
  const state = xrState(page);
  await expect(state).toHaveAttribute('data-mode', 'gallery');
  await expect
    // Thumbnails reach the atlas as they arrive; on a loaded 2-core machine with software
    // rendering that took over 5 s once (the hands test), so both wait up to 15 s.
    .poll(async () => Number(await state.getAttribute('data-tiles-loaded')), { timeout: 15_000 })
    .toBeGreaterThan(4);
  const firstTiles = await page
    .getByTestId('xr-tile')
    .evaluateAll((els) => els.map((e) => e.dataset.id));

  // Thumbstick forward scrolls the wall towards older months.
  await thumbstick(page, 0, -1);
  await frames(page, 15);
  await thumbstick(page, 0, 0);
  await settled(page);
  expect(Number(await state.getAttribute('data-scroll'))).toBeGreaterThan(0.2);
  await expect(state).not.toHaveAttribute('data-month', '2026-10');
  const nowTiles = await page
    .getByTestId('xr-tile')
    .evaluateAll((els) => els.map((e) => e.dataset.id));
  expect(nowTiles).not.toEqual(firstTiles);

  // The month list beside the wall jumps to a month.
  await selectTarget(page, panelButton(page, 'scrubber', 'scrub:2026-09'));
  await settled(page);
  await expect(state).toHaveAttribute('data-month', '2026-09');

  // Point at a photo and pull the trigger: it opens in 3D.
  const photo = page
    .getByTestId('xr-tile')
    .filter({ hasText: /\.jpg$/ })
    .first();
  const id = (await photo.getAttribute('data-id')) as string;
  await selectTarget(page, photo);
  await expect(state).toHaveAttribute('data-mode', 'photo');
  await expect(state).toHaveAttribute('data-open-id', id);
  await expect(state).toHaveAttribute('data-depth-state', '3d', { timeout: 90_000 });
  await expect(state).toHaveAttribute('data-foveation', '0.33');
  const oldDepthMap = (await state.getAttribute('data-depth-map-id')) as string;
  expect(oldDepthMap).toMatch(/^[0-9a-f-]{36}$/);

  // Reprocess depth from the in-VR panel: queued → processing → completed, live; the new map is shown.
  await selectTarget(page, panelButton(page, 'photo', 'reprocess'));
  await expect(state).toHaveAttribute('data-reprocess-phase', 'completed', { timeout: 120_000 });
  await expect(state).toHaveAttribute('data-reprocess-history', 'queued processing completed');
  await expect(state).not.toHaveAttribute('data-depth-map-id', oldDepthMap, { timeout: 90_000 });
  await expect(state).toHaveAttribute('data-depth-map-id', /^[0-9a-f-]{36}$/, { timeout: 90_000 });
  await expect(state).toHaveAttribute('data-depth-state', '3d');
  await expect(state).toHaveAttribute('data-open-id', id);

  // Thumbstick right: the next photo, drawn with the programs the first was (nothing compiled);
  // B: back to the gallery, where it was.
  await frames(page, 15);
  const programs = await state.getAttribute('data-programs-compiled');
  expect(Number(programs)).toBeGreaterThan(0);
  await thumbstick(page, 1, 0);
  await frames(page, 3);
  await thumbstick(page, 0, 0);
  await expect(state).not.toHaveAttribute('data-open-id', id);
  await expect(state).toHaveAttribute('data-depth-state', '3d', { timeout: 90_000 });
  await frames(page, 15);
  await expect(state).toHaveAttribute('data-programs-compiled', programs as string);
  await pressButton(page, 'b-button');
  await expect(state).toHaveAttribute('data-mode', 'gallery');
  await settled(page);
  expect(Number(await state.getAttribute('data-scroll'))).toBeGreaterThan(0.2);

  // Exit from the toolbar.
  await selectTarget(page, panelButton(page, 'toolbar', 'exit-vr'));
  await expect(state).toHaveAttribute('data-presenting', 'false');
  await expect(page.getByTestId('enter-vr')).toBeVisible();
  // The emulator, controller models (blob: textures), workers and panels need no CSP exception.
  expect(csp).toEqual([]);
});

test('VR with hands: pinch a thumbnail to open it, pinch Back to return', async ({ page }) => {
  test.setTimeout(180_000);
  await enterVr(page, 'hand');
  const state = xrState(page);
  await expect
    .poll(async () => Number(await state.getAttribute('data-tiles-loaded')), { timeout: 15_000 })
    .toBeGreaterThan(2);
  await settled(page);
  const photo = page
    .getByTestId('xr-tile')
    .filter({ hasText: /\.jpg$/ })
    .first();
  const id = (await photo.getAttribute('data-id')) as string;
  await selectTarget(page, photo, 'hand');
  await expect(state).toHaveAttribute('data-mode', 'photo');
  await expect(state).toHaveAttribute('data-open-id', id);
  // Once the photo is in, its panel has its final layout.
  await expect(state).toHaveAttribute('data-depth-state', /flat|3d/, { timeout: 60_000 });
  await frames(page, 8);
  await selectTarget(page, panelButton(page, 'photo', 'back'), 'hand');
  await expect(state).toHaveAttribute('data-mode', 'gallery');
});

test('VR: reprocessing a photo whose original is corrupt shows the failure and its error, once; mended, it works', async ({
  page,
  request,
}) => {
  test.setTimeout(240_000);
  const dataDir = process.env.IMMICHVR_E2E_DATA_DIR as string;
  const { items } = await (await request.get('/api/media?limit=200')).json();
  const victim = items.find(
    (i: { mediaType: string; capturedAt: string }) =>
      i.mediaType === 'photo' && i.capturedAt.startsWith('2026-10'),
  ) as { id: string; originalFilename: string };
  const original = path.join(dataDir, 'demo', 'media', 'photos', victim.originalFilename);
  const backup = `${original}.bak`;
  await copyFile(original, backup);
  const size = (await readFile(original)).length;
  await truncate(original, Math.floor(size / 8));
  try {
    await enterVr(page);
    const state = xrState(page);
    await expect(tile(page, victim.id)).toHaveCount(1, { timeout: 30_000 });
    await settled(page);
    await selectTarget(page, tile(page, victim.id));
    await expect(state).toHaveAttribute('data-open-id', victim.id);
    await expect(state).toHaveAttribute('data-depth-state', /flat|3d|error/, { timeout: 60_000 });
    await frames(page, 8);
    await selectTarget(page, panelButton(page, 'photo', 'reprocess'));
    await expect(state).toHaveAttribute('data-reprocess-history', /queued processing failed/, {
      timeout: 120_000,
    });
    await expect(state).toHaveAttribute('data-reprocess-error', /\w+/);
    const error = await state.getAttribute('data-reprocess-error');
    console.log(`the panel shows: ${error}`);
    // A file that cannot be decoded is not retried as if it were transient: failed once, for
    // good, nothing left to cancel.
    await expect(state).toHaveAttribute('data-reprocess-phase', 'failed');
    await expect(panelButton(page, 'photo', 'cancel')).toHaveAttribute('data-disabled', 'true');
    const failed = await (await request.get(`/api/media/${victim.id}`)).json();
    expect(failed).toMatchObject({ processingStatus: 'failed', processingAttempts: 1 });
    // The file mended, Reprocess from the panel works again.
    await copyFile(backup, original);
    await frames(page, 8);
    await aimAt(page, await positionOf(panelButton(page, 'photo', 'reprocess')));
    await select(page);
    await expect(state).toHaveAttribute('data-reprocess-phase', 'completed', { timeout: 120_000 });
  } finally {
    await copyFile(backup, original);
  }
});
