import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { measureAgainstFlat, screenRestRect, setSlider } from '../support/rest-pose';
import { enterVr, selectTarget, frames as xrFrames, xrState } from '../support/xr-device';

/**
 * The first thing anyone sees of a photo in 3D is the photo at rest: exactly the flat picture,
 * depth showing only as the eye moves. Checked on every demo photo and on real photographs
 * nobody here made (Debian's mate-backgrounds, which `.ci/run` installs), at the default,
 * minimum and maximum depth strength, against the 2048 px preview drawn flat by the browser.
 */
const REAL_PHOTOS_DIR = process.env.REAL_PHOTOS_DIR ?? '/usr/share/backgrounds/mate/nature';
const REAL_PHOTOS = ['Storm.jpg', 'GreenMeadow.jpg', 'Garden.jpg', 'LadyBird.jpg', 'Dune.jpg'];
const BACKGROUND: [number, number, number] = [11, 11, 13];
/** The viewer's default depth strength (lib/depth/depth-view-config.ts). */
const DEFAULT_STRENGTH = 0.6;

interface Item {
  id: string;
  originalFilename: string;
  mediaType: string;
  capturedAt: string | null;
  uploadedAt: string;
  depthMap: { modelName: string } | null;
  urls: { previewLarge: string };
}

/** A few animation frames: software rendering is slow, a changed uniform needs one to show. */
const frames = (page: Page, n: number) =>
  page.evaluate(
    (n) =>
      new Promise<void>((resolve) => {
        let left = n;
        const tick = () => (--left <= 0 ? resolve() : requestAnimationFrame(tick));
        requestAnimationFrame(tick);
      }),
    n,
  );

test.describe('the 3D view at rest', () => {
  const uploaded: string[] = [];

  test.beforeAll(async ({ request }) => {
    test.setTimeout(180_000);
    for (const name of REAL_PHOTOS) {
      const file = path.join(REAL_PHOTOS_DIR, name);
      const buffer = await readFile(file).catch(() => {
        throw new Error(`${file} is missing: install Debian's mate-backgrounds (.ci/run does)`);
      });
      const response = await request.post('/api/media', {
        multipart: { file: { name, mimeType: 'image/jpeg', buffer } },
      });
      expect(response.status(), name).toBe(201);
      uploaded.push(((await response.json()) as Item).id);
    }
    // The worker makes their depth maps (the built-in estimator).
    for (const id of uploaded)
      await expect
        .poll(
          async () => ((await (await request.get(`/api/media/${id}`)).json()) as Item).depthMap,
          {
            timeout: 120_000,
          },
        )
        .not.toBeNull();
  });

  test.afterAll(async ({ request }) => {
    for (const id of uploaded) await request.delete(`/api/media/${id}`);
  });

  test('is the photo: every demo photo and real photographs, at default, minimum and maximum depth', async ({
    page,
    request,
  }) => {
    test.setTimeout(420_000);
    // Software rendering's cost follows the pixels: a smaller view, the same mesh.
    await page.setViewportSize({ width: 800, height: 500 });
    const { items } = (await (await request.get('/api/media?limit=200')).json()) as {
      items: Item[];
    };
    const photos = new Map(items.filter((i) => i.mediaType === 'photo').map((i) => [i.id, i]));
    expect(photos.size).toBeGreaterThanOrEqual(12 + REAL_PHOTOS.length);
    const viewer = page.getByTestId('photo-viewer');
    const report: string[] = [];
    // From the newest item, step through the whole library with → (videos are skipped here).
    await page.goto('/');
    // The newest item's own card: the first card in the page may be a month that loaded sooner.
    await page.locator(`[data-testid=media-card][data-id="${items[0]?.id}"]`).click();
    const seen = new Set<string>();
    for (let step = 0; step < items.length; step++) {
      const id = (await viewer.getAttribute('data-media-id')) as string;
      seen.add(id);
      const item = photos.get(id);
      if (item) {
        await expect(viewer).toHaveAttribute('data-state', '3d', { timeout: 60_000 });
        await expect(viewer).toHaveAttribute('data-settled', 'true', { timeout: 60_000 });
        // The canvas's size at rest: where frames in motion are drawn smaller (software
        // rendering), the settled view is drawn again at full size.
        await expect(viewer.locator('canvas')).not.toHaveAttribute('data-antialiased', 'false', {
          timeout: 10_000,
        });
        const { view, aspect } = await page.evaluate(async (url) => {
          const canvas = document.querySelector(
            '[data-testid=photo-viewer] canvas',
          ) as HTMLCanvasElement;
          const picture = await createImageBitmap(await (await fetch(url)).blob());
          return {
            view: { width: canvas.width, height: canvas.height },
            aspect: picture.width / picture.height,
          };
        }, item.urls.previewLarge);
        const rect = screenRestRect(view, aspect);
        for (const strength of ['default', '0', '1']) {
          if (strength !== 'default') await setSlider(page, 'depth-strength', Number(strength));
          await frames(page, 2);
          const m = await measureAgainstFlat(
            page,
            { canvas: '[data-testid=photo-viewer] canvas' },
            item.urls.previewLarge,
            rect,
            BACKGROUND,
          );
          const line = `${item.originalFilename} (${item.depthMap?.modelName}) depth ${strength}: coverage ${(m.coverage * 100).toFixed(2)}%, outside ${(m.outside * 100).toFixed(3)}%, PSNR ${m.psnr.toFixed(1)} dB, SSIM ${m.ssim.toFixed(3)}`;
          report.push(line);
          console.log(line);
          expect(m.coverage, line).toBeGreaterThanOrEqual(0.99);
          expect(m.outside, line).toBeLessThanOrEqual(0.001);
          expect(m.psnr >= 30 || m.ssim >= 0.95, line).toBe(true);
        }
        if (item.originalFilename === 'Storm.jpg')
          await page
            .locator('[data-testid=photo-viewer] canvas')
            .screenshot({ path: test.info().outputPath('storm-at-rest.png') });
        // Back to the default for the next photo (the viewer keeps the setting).
        await setSlider(page, 'depth-strength', DEFAULT_STRENGTH);
      }
      if (seen.size === items.length) break;
      // Shift+→ steps from a photo and from a video alike (→ alone seeks in a video).
      await page.keyboard.press('Shift+ArrowRight');
      await expect(viewer).not.toHaveAttribute('data-media-id', id);
    }
    for (const id of photos.keys())
      expect(seen.has(id), photos.get(id)?.originalFilename).toBe(true);
    test.info().annotations.push({ type: 'rest pose', description: report.join('\n') });
  });
});

test.describe('the 3D view at rest in the headset', () => {
  const VR_BACKGROUND: [number, number, number] = [16, 16, 20];
  /** The headset's documented box for a photo: 56° × 42°, straight ahead. */
  const VR_BOX_DEGREES = { width: 56, height: 42 };

  /** Moves both controllers behind the head, out of view. */
  const parkControllers = (page: Page) =>
    page.evaluate(() => {
      // biome-ignore lint/suspicious/noExplicitAny: the emulator's object, from the page
      const device = (window as any).__xrDevice;
      for (const [side, x] of [
        ['left', -0.2],
        ['right', 0.2],
      ] as const) {
        device.controllers[side].position.set(x, 0.9, 0.5);
        device.controllers[side].quaternion.set(-Math.SQRT1_2, 0, 0, Math.SQRT1_2);
      }
    });

  test('is the photo from the head pose it opened at, at every depth strength, and after recentring', async ({
    page,
    request,
  }) => {
    test.setTimeout(300_000);
    const { items } = (await (await request.get('/api/media?limit=200')).json()) as {
      items: Item[];
    };
    const item = items.find((i) => i.originalFilename === '2026-10-24-room.jpg') as Item;
    await enterVr(page);
    const state = xrState(page);
    await selectTarget(
      page,
      page.locator('[data-testid=xr-button][data-panel="scrubber"][data-id="scrub:2026-10"]'),
    );
    const tile = page.locator(`[data-testid=xr-tile][data-id="${item.id}"]`);
    await expect(tile).toHaveCount(1, { timeout: 30_000 });
    await xrFrames(page, 10);
    // The head turned and stepped aside when the photo opens: it opens in front of the head.
    await page.evaluate(() => {
      // biome-ignore lint/suspicious/noExplicitAny: the emulator's object, from the page
      const device = (window as any).__xrDevice;
      device.position.set(0.4, 1.6, -0.2);
      device.quaternion.set(0, Math.sin(0.3), 0, Math.cos(0.3));
    });
    await selectTarget(page, tile);
    await expect(state).toHaveAttribute('data-open-id', item.id);
    await expect(state).toHaveAttribute('data-depth-state', '3d', { timeout: 90_000 });
    await expect(state).toHaveAttribute('data-depth-settled', 'true', { timeout: 60_000 });

    // Where the flat photo stands in the emulated headset's (mono) view, from its field of view.
    // The emulated headset renders its view into the whole page.
    const view = page.viewportSize() as { width: number; height: number };
    const { fovY, aspect } = await page.evaluate(async (url) => {
      const picture = await createImageBitmap(await (await fetch(url)).blob());
      return {
        // biome-ignore lint/suspicious/noExplicitAny: the emulator's object, from the page
        fovY: (window as any).__xrDevice.fovy as number,
        aspect: picture.width / picture.height,
      };
    }, item.urls.previewLarge);
    const tan = (degrees: number) => Math.tan((degrees * Math.PI) / 360);
    const halfTanX = Math.min(tan(VR_BOX_DEGREES.width), tan(VR_BOX_DEGREES.height) * aspect);
    const width = (halfTanX / Math.tan(fovY / 2)) * view.height;
    const rect = {
      x: (view.width - width) / 2,
      y: (view.height - width / aspect) / 2,
      width,
      height: width / aspect,
    };

    const measure = async (label: string) => {
      await parkControllers(page);
      await xrFrames(page, 4);
      const screenshot = await page.screenshot({
        path: test.info().outputPath(`vr-${label.replaceAll(' ', '-')}.png`),
      });
      const m = await measureAgainstFlat(
        page,
        { screenshot },
        item.urls.previewLarge,
        rect,
        VR_BACKGROUND,
        6,
      );
      const line = `VR ${label}: coverage ${(m.coverage * 100).toFixed(2)}%, outside ${(m.outside * 100).toFixed(3)}%, PSNR ${m.psnr.toFixed(1)} dB, SSIM ${m.ssim.toFixed(3)}`;
      console.log(line);
      expect(m.coverage, line).toBeGreaterThanOrEqual(0.99);
      expect(m.outside, line).toBeLessThanOrEqual(0.002);
      expect(m.psnr >= 30 || m.ssim >= 0.95, line).toBe(true);
    };
    await measure('default depth');
    const button = (id: string) =>
      page.locator(`[data-testid=xr-button][data-panel="photo"][data-id="${id}"]`);
    for (let i = 0; i < 4; i++) await selectTarget(page, button('strength-up'));
    await expect(state).toHaveAttribute('data-depth-strength', '1.00');
    await measure('maximum depth');
    for (let i = 0; i < 10; i++) await selectTarget(page, button('strength-down'));
    await expect(state).toHaveAttribute('data-depth-strength', '0.00');
    await measure('minimum depth');

    // Recentring brings the head back to the room's origin, facing forward: the photo comes along.
    await page.evaluate(() => {
      // biome-ignore lint/suspicious/noExplicitAny: the emulator's object, from the page
      (window as any).__xrDevice.recenter();
    });
    await xrFrames(page, 4);
    await measure('after recentring');
  });
});
