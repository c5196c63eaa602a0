import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { type APIRequestContext, expect, test } from '@playwright/test';
import { MODEL_HOST_PORT } from '../playwright.config';
import { enterVr, selectTarget, xrState } from '../support/xr-device';

const STORM = '/usr/share/backgrounds/mate/nature/Storm.jpg';

/**
 * A stand-in for the model's host on the port the app was told (DEPTH_MODEL_URL): it sends 600 KB
 * that are not the pinned model, slowly enough that the progress bar shows.
 */
async function startWrongModelHost() {
  const bytes = randomBytes(600 * 1024);
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-length': String(bytes.length) });
    let sent = 0;
    const tick = setInterval(() => {
      const next = Math.min(bytes.length, sent + 30 * 1024);
      res.write(bytes.subarray(sent, next));
      sent = next;
      if (sent >= bytes.length) {
        clearInterval(tick);
        res.end();
      }
    }, 100);
    res.on('close', () => clearInterval(tick));
  });
  await new Promise<void>((resolve) => server.listen(MODEL_HOST_PORT, '127.0.0.1', resolve));
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Uploads the storm photograph as `name` and waits for the built-in estimate's depth map. */
async function uploadWithBuiltinDepth(request: APIRequestContext, name: string): Promise<string> {
  const upload = await request.post('/api/media', {
    multipart: { file: { name, mimeType: 'image/jpeg', buffer: await readFile(STORM) } },
  });
  expect(upload.status()).toBe(201);
  const id = (await upload.json()).id as string;
  await expect
    .poll(async () => (await (await request.get(`/api/media/${id}`)).json()).depthMap?.modelName, {
      timeout: 90_000,
    })
    .toBe('immichvr-heuristic');
  return id;
}

test('depth from the built-in estimate says so and offers the real model; a wrong or unreachable download is refused in one line and the app keeps working', async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  const id = await uploadWithBuiltinDepth(request, 'storm.jpg');
  const host = await startWrongModelHost();
  try {
    // The page says where depth comes from, and offers the model.
    await page.goto('/');
    const banner = page.getByTestId('depth-banner');
    await expect(banner).toContainText('Depth here is a built-in estimate.');
    await expect(banner).toContainText('Depth Anything V2 Small (99 MB, Apache-2.0)');
    await banner.screenshot({ path: test.info().outputPath('offer-banner.png') });

    // The photo's info panel names the estimator and says how to get better depth.
    await page.locator('[data-testid=scrubber-month][data-month="2008-04"]').click();
    await page.locator(`[data-testid=media-card][data-id="${id}"]`).click();
    const viewer = page.getByTestId('photo-viewer');
    await expect(viewer).toHaveAttribute('data-state', '3d', { timeout: 60_000 });
    const depth = page.getByTestId('info-depth');
    await expect(depth).toHaveAttribute('data-estimator', 'heuristic');
    await expect(depth).toContainText('Built-in estimate, ');
    await expect(page.getByTestId('depth-hint')).toContainText(
      'A stand-in made without a depth model',
    );
    await page
      .getByTestId('info-panel')
      .screenshot({ path: test.info().outputPath('info-hint.png') });

    // Fetching it from the info panel: its progress there, then the wrong file refused, in one line.
    await page.getByTestId('info-get-real-depth').click();
    await expect(page.getByTestId('info-download-progress')).toContainText(/Downloading \d+%/);
    await page
      .getByTestId('info-panel')
      .screenshot({ path: test.info().outputPath('downloading.png') });
    const infoError = page.getByTestId('info-download-error');
    await expect(infoError).toBeVisible({ timeout: 30_000 });
    await expect(infoError).toHaveText(
      /^The downloaded file \(0\.6 MB\) is not Depth Anything V2 Small: its SHA-256 is [0-9a-f]{64}, expected afb6a5c2[0-9a-f]{56}\. It was removed\.$/,
    );
    await expect(page.getByTestId('info-get-real-depth')).toHaveText('Retry download');
    await expect(viewer).toHaveAttribute('data-state', '3d');
    const after = await (await request.get('/api/depth-model')).json();
    expect(after).toMatchObject({
      estimator: { kind: 'heuristic' },
      download: { state: 'failed', resumable: false },
    });

    // Offline: one clear line again.
    await host.close();
    await page.getByTestId('viewer-back').click();
    const error = page.getByTestId('depth-download-error');
    await expect(error).toContainText(
      'It was removed. The app keeps working with the built-in estimate.',
    );
    await page.getByTestId('get-real-depth').click();
    await expect(error).toContainText(
      `Could not reach 127.0.0.1:${MODEL_HOST_PORT} (ECONNREFUSED)`,
    );
    await banner.screenshot({ path: test.info().outputPath('offline.png') });

    // Not now: gone, and still gone on the next visit.
    await banner.getByRole('button', { name: 'Not now' }).click();
    await expect(banner).toHaveCount(0);
    await page.reload();
    await expect(page.getByTestId('media-card').first()).toBeVisible();
    await expect(banner).toHaveCount(0);
  } finally {
    await host.close().catch(() => {});
    await page.evaluate(() => localStorage.clear()).catch(() => {});
    await request.delete(`/api/media/${id}`);
  }
});

test('in the headset: the panel names the built-in estimate and gets real depth from there', async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  const id = await uploadWithBuiltinDepth(request, 'storm-vr.jpg');
  try {
    await enterVr(page);
    const state = xrState(page);
    await selectTarget(
      page,
      page.locator('[data-testid=xr-button][data-panel="scrubber"][data-id="scrub:2008-04"]'),
    );
    await selectTarget(page, page.locator(`[data-testid=xr-tile][data-id="${id}"]`));
    await expect(state).toHaveAttribute('data-mode', 'photo');
    await expect(state).toHaveAttribute('data-depth-state', '3d', { timeout: 60_000 });
    const getIt = page.locator(
      '[data-testid=xr-button][data-panel="photo"][data-id="get-real-depth"]',
    );
    await expect(getIt).toHaveCount(1);
    await page.screenshot({ path: test.info().outputPath('vr-panel.png') });
    // Nothing serves the model now: the attempt fails and says so, the photo stays in depth.
    await selectTarget(page, getIt);
    await expect
      .poll(async () => (await (await request.get('/api/depth-model')).json()).download.state, {
        timeout: 30_000,
      })
      .toBe('failed');
    await expect(state).toHaveAttribute('data-depth-state', '3d');
  } finally {
    await request.delete(`/api/media/${id}`);
  }
});
