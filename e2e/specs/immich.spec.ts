import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { AssetTypeEnum, ImmichStandIn } from '../../apps/bff/test/helpers/immich-stand-in';
import { IMMICH_API_KEY, IMMICH_PORT } from '../playwright.config';
import { enterVr, frames, selectTarget, xrState } from '../support/xr-device';

// The app is configured with IMMICH_URL pointing at this stand-in Immich server (typed with
// @immich/sdk's DTOs); the photos are real ones nobody here made (Debian's mate-backgrounds).
const NATURE = '/usr/share/backgrounds/mate/nature';
const photo = (name: string) => ({
  original: path.join(NATURE, name),
  preview: path.join(NATURE, name),
});

const immich = new ImmichStandIn({ apiKey: IMMICH_API_KEY });
const names = ['Storm.jpg', 'Dune.jpg', 'GreenMeadow.jpg', 'LadyBird.jpg'];

test.beforeAll(async () => {
  await immich.start(IMMICH_PORT);
  const assets = names.map((name, i) =>
    immich.addAsset({
      originalFileName: `immich-${name}`,
      originalPath: `/data/library/admin/${name}`,
      isFavorite: i === 3,
      // Newer than the demo library: the top of the gallery.
      takenAt: `2026-11-2${i}T10:00:00.000Z`,
      files: photo(name),
    }),
  );
  immich.addAsset({ type: AssetTypeEnum.Audio, originalFileName: 'memo.m4a' });
  immich.addAlbum('Weather', [assets[0]?.id as string, assets[1]?.id as string]);
  const ada = immich.addPerson('Ada Lovelace');
  immich.setPeople(assets[2]?.id as string, [ada]);
});

test.afterAll(async () => {
  await immich.close();
});

const cards = (page: Page) => page.getByTestId('media-card');
const immichCards = (page: Page) => page.locator('[data-testid=media-card][title^="immich-"]');

async function syncNow(page: Page, expected: RegExp) {
  await page.getByTestId('immich-sync-now').click();
  await expect(page.getByTestId('immich-status')).toContainText(expected, { timeout: 30_000 });
}

test('an Immich library: synced from the page, filtered by favourites, albums and people, then in VR', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await page.goto('/');
  const status = page.getByTestId('immich-status');
  await expect(status).toContainText('not synced yet');
  await syncNow(page, /synced just now \(4 added, 0 updated, 0 removed\)/);
  await expect(immichCards(page)).toHaveCount(4);
  // Previews come from Immich's own preview, not the originals.
  await expect
    .poll(() =>
      immichCards(page)
        .locator('img')
        .evaluateAll((imgs) => imgs.filter((i) => (i as HTMLImageElement).naturalWidth > 0).length),
    )
    .toBe(4);
  expect(immich.requests.some((r) => r.path.endsWith('/original'))).toBe(false);

  await page.getByTestId('filter-favorites').click();
  await expect(cards(page)).toHaveCount(1);
  await expect(cards(page)).toHaveAttribute('title', 'immich-LadyBird.jpg');

  const menu = page.getByTestId('filter-collection');
  await expect(menu.locator('optgroup[label=Albums] option')).toHaveText(['Weather (2)']);
  await expect(menu.locator('optgroup[label=People] option')).toHaveText(['Ada Lovelace (1)']);
  await menu.selectOption({ label: 'Weather (2)' });
  await expect(cards(page)).toHaveCount(2);
  await expect(page.getByTestId('filter-favorites')).toHaveAttribute('aria-pressed', 'false');
  await page.screenshot({ path: test.info().outputPath('immich-album.png') });
  await menu.selectOption({ label: 'Ada Lovelace (1)' });
  await expect(cards(page)).toHaveCount(1);
  await expect(cards(page)).toHaveAttribute('title', 'immich-GreenMeadow.jpg');

  // In the headset: the library panel offers the same filters.
  await page.getByTestId('filter-all').click();
  await enterVr(page);
  const state = xrState(page);
  await expect(state).toHaveAttribute('data-mode', 'gallery');
  const button = (panel: string, id: string) =>
    page.locator(`[data-testid=xr-button][data-panel="${panel}"][data-id="${id}"]`);
  await selectTarget(page, button('toolbar', 'library'));
  await expect(state).toHaveAttribute('data-side', 'library');
  await selectTarget(page, button('library', 'filter:favorites'));
  await expect(state).toHaveAttribute('data-filter', 'favorites');
  await expect.poll(() => page.getByTestId('xr-tile').count(), { timeout: 30_000 }).toBe(1);
  await frames(page, 10);
  await page.screenshot({ path: test.info().outputPath('immich-vr-favourites.png') });
  await selectTarget(page, button('toolbar', 'exit-vr'));

  // Deleted in Immich: gone from the gallery at the next sync (this leaves the demo as it was).
  immich.clear();
  await page.getByTestId('filter-all').click();
  await syncNow(page, /4 removed/);
  await expect(immichCards(page)).toHaveCount(0);
});
