import { expect, type Locator, type Page, test } from '@playwright/test';
import { decode } from 'fast-png';

/** Luminance image of a canvas screenshot. */
async function grab(canvas: Locator) {
  const png = decode(await canvas.screenshot());
  const { width, height, channels } = png;
  const data = png.data as Uint8Array;
  const luma = new Float32Array(width * height);
  for (let i = 0; i < width * height; i++)
    luma[i] =
      0.299 * (data[i * channels] as number) +
      0.587 * (data[i * channels + 1] as number) +
      0.114 * (data[i * channels + 2] as number);
  return { luma, width, height };
}

/** Horizontal shift (px) that best maps a patch of `a` onto `b` (sum of absolute differences). */
function shiftOf(
  a: Awaited<ReturnType<typeof grab>>,
  b: Awaited<ReturnType<typeof grab>>,
  cx: number,
  cy: number,
) {
  const half = Math.round(a.width * 0.06);
  let best = 0;
  let bestCost = Number.POSITIVE_INFINITY;
  for (let dx = -60; dx <= 60; dx++) {
    let cost = 0;
    for (let y = cy - half; y < cy + half; y += 2)
      for (let x = cx - half; x < cx + half; x += 2)
        cost += Math.abs(
          (a.luma[y * a.width + x] as number) - (b.luma[y * b.width + x + dx] as number),
        );
    if (cost < bestCost) {
      bestCost = cost;
      best = dx;
    }
  }
  return best;
}

async function lean(page: Page, canvas: Locator, fraction: number) {
  const box = await canvas.boundingBox();
  if (!box) throw new Error('no canvas');
  await page.mouse.move(box.x + box.width * fraction, box.y + box.height * 0.5, { steps: 4 });
  // The camera eases towards the pointer; software rendering is slow, so give it frames.
  await page.waitForTimeout(2_500);
}

test('a demo photo opens in 3D: drawn, within budget, with real parallax', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await page.getByRole('button', { name: '2026-06-02-room.jpg' }).first().click();
  const viewer = page.getByTestId('photo-viewer');
  await expect(viewer).toHaveAttribute('data-state', '3d', { timeout: 60_000 });
  await expect(page.getByTestId('viewer-status')).toContainText('ground-truth');

  const canvas = viewer.locator('canvas');
  await lean(page, canvas, 0.5);
  const triangles = Number(await viewer.getAttribute('data-triangles'));
  const calls = Number(await viewer.getAttribute('data-draw-calls'));
  expect(triangles).toBeGreaterThan(10_000);
  expect(triangles).toBeLessThanOrEqual(300_000);
  expect(calls).toBeGreaterThanOrEqual(1);
  expect(calls).toBeLessThanOrEqual(20);

  await lean(page, canvas, 0.05);
  const left = await grab(canvas);
  await lean(page, canvas, 0.95);
  const right = await grab(canvas);
  await canvas.screenshot({ path: test.info().outputPath('leaning-right.png') });

  // The photo is drawn: it covers a good part of the view (~50° of it), not the empty background.
  let drawn = 0;
  for (const v of left.luma) if (Math.abs(v - 11) > 6) drawn++;
  expect(drawn / left.luma.length).toBeGreaterThan(0.2);

  // Leaning sideways moves the near floor (bottom) across the view more than the far wall
  // (centre): a flat quad would move both alike.
  const far = shiftOf(left, right, Math.round(left.width / 2), Math.round(left.height * 0.42));
  const near = shiftOf(left, right, Math.round(left.width / 2), Math.round(left.height * 0.78));
  console.log(`parallax leaning 0.27 m: near floor ${near}px, far wall ${far}px`);
  expect(Math.abs(near - far)).toBeGreaterThanOrEqual(4);

  // Esc goes back to the library.
  await page.keyboard.press('Escape');
  await expect(viewer).toHaveCount(0);
  await expect(page.getByTestId('library')).toBeVisible();
});
