import { rename } from 'node:fs/promises';
import path from 'node:path';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { decode } from 'fast-png';
import { measureAgainstFlat, screenRestRect, setSlider } from '../support/rest-pose';

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

/**
 * How far (px) the content of a horizontal band moved from `a` to `b`: the offset that best aligns
 * the band's column profiles (mean luminance per column).
 */
function bandShift(
  a: Awaited<ReturnType<typeof grab>>,
  b: Awaited<ReturnType<typeof grab>>,
  fromY: number,
  toY: number,
) {
  const profile = (img: typeof a) => {
    const columns = new Float32Array(img.width);
    const y0 = Math.round(img.height * fromY);
    const y1 = Math.round(img.height * toY);
    for (let y = y0; y < y1; y++)
      for (let x = 0; x < img.width; x++)
        columns[x] = (columns[x] as number) + (img.luma[y * img.width + x] as number) / (y1 - y0);
    return columns;
  };
  const pa = profile(a);
  const pb = profile(b);
  let best = 0;
  let bestCost = Number.POSITIVE_INFINITY;
  for (let dx = -250; dx <= 250; dx++) {
    let cost = 0;
    let n = 0;
    for (let x = 260; x < a.width - 260; x++) {
      cost += Math.abs((pa[x] as number) - (pb[x + dx] as number));
      n++;
    }
    if (cost / n < bestCost) {
      bestCost = cost / n;
      best = dx;
    }
  }
  return best;
}

/** Jumps to the month with the scrubber and opens the photo. */
async function openFromGallery(page: Page, month: string, name: string) {
  await page.goto('/');
  await page.locator(`[data-testid=scrubber-month][data-month="${month}"]`).click();
  await page.getByRole('button', { name }).first().click();
}

async function lean(page: Page, canvas: Locator, fraction: number) {
  const box = await canvas.boundingBox();
  if (!box) throw new Error('no canvas');
  await page.mouse.move(box.x + box.width * fraction, box.y + box.height * 0.5, { steps: 4 });
  // The camera eases towards the pointer; the canvas says when it has arrived (that frame drawn).
  await expect(canvas).toHaveAttribute('data-camera-at-rest', 'true', { timeout: 30_000 });
}

test('a demo photo opens in 3D: drawn, within budget, with real parallax', async ({ page }) => {
  test.setTimeout(120_000);
  await openFromGallery(page, '2026-06', '2026-06-02-room.jpg');
  const viewer = page.getByTestId('photo-viewer');
  await expect(viewer).toHaveAttribute('data-state', '3d', { timeout: 60_000 });
  await expect(page.getByTestId('viewer-status')).toContainText('Exact depth (rendered scene) · ');

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

  // Leaning right moves the picture left, the near floor (bottom band) more than the far back
  // wall (top band): a flat picture would move both alike. At the default depth strength, and
  // more so at the maximum.
  const far = bandShift(left, right, 0.2, 0.35);
  const near = bandShift(left, right, 0.62, 0.7);
  console.log(
    `parallax leaning 0.27 m at the default depth: near floor ${near}px, far wall ${far}px`,
  );
  expect(far).toBeLessThan(0);
  expect(near).toBeLessThan(far - 5);
  await setSlider(page, 'depth-strength', 1);
  await lean(page, canvas, 0.05);
  const leftStrong = await grab(canvas);
  await lean(page, canvas, 0.95);
  const rightStrong = await grab(canvas);
  const farStrong = bandShift(leftStrong, rightStrong, 0.2, 0.35);
  const nearStrong = bandShift(leftStrong, rightStrong, 0.62, 0.7);
  console.log(`… at the maximum depth: near floor ${nearStrong}px, far wall ${farStrong}px`);
  expect(nearStrong - farStrong).toBeLessThan(near - far);

  // Esc goes back to the library.
  await page.keyboard.press('Escape');
  await expect(viewer).toHaveCount(0);
  await expect(page.getByTestId('library')).toBeVisible();
});

test('on software rendering, frames in motion are drawn smaller and the view at rest whole', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await openFromGallery(page, '2026-06', '2026-06-02-room.jpg');
  const viewer = page.getByTestId('photo-viewer');
  const canvas = viewer.locator('canvas');
  await expect(viewer).toHaveAttribute('data-state', '3d', { timeout: 60_000 });
  test.skip(
    (await canvas.getAttribute('data-antialiasing')) !== 'settled-frames',
    'WebGL has a GPU here: every frame is drawn whole, multisampled',
  );
  const size = () =>
    canvas.evaluate((c: HTMLCanvasElement) => ({
      drawn: [c.width, c.height],
      whole: [
        Math.floor(c.clientWidth * devicePixelRatio),
        Math.floor(c.clientHeight * devicePixelRatio),
      ],
      scale: c.dataset.frameScale,
    }));
  await expect(canvas).toHaveAttribute('data-antialiased', 'true', { timeout: 30_000 });
  const rest = await size();
  expect(rest.drawn).toEqual(rest.whole);
  expect(rest.scale).toBe('1');
  const atRest = await grab(canvas);

  // Sweep the pointer: the camera eases after it, each frame drawn at half the resolution.
  const box = await canvas.boundingBox();
  if (!box) throw new Error('no canvas');
  const seen: Array<{ drawn: number[]; scale?: string }> = [];
  for (let i = 0; i < 12; i++) {
    await page.mouse.move(box.x + box.width * (0.5 + 0.4 * Math.sin(i)), box.y + box.height / 2);
    seen.push(await size());
  }
  const moving = seen.find((s) => s.scale === '0.5');
  expect(moving, JSON.stringify(seen)).toBeTruthy();
  expect(moving?.drawn).toEqual(rest.whole.map((v) => Math.floor(v * 0.5)));

  // Back where it was and at rest: drawn whole again, the same picture as before the sweep.
  await lean(page, canvas, 0.5);
  await expect(canvas).toHaveAttribute('data-antialiased', 'true', { timeout: 30_000 });
  expect((await size()).drawn).toEqual(rest.whole);
  const again = await grab(canvas);
  let differ = 0;
  atRest.luma.forEach((v, i) => {
    if (Math.abs(v - (again.luma[i] ?? 0)) > 8) differ++;
  });
  expect(differ / atRest.luma.length).toBeLessThan(0.01);
});

test('a photo is in depth from its coarse map at once; the map itself, held back, then refines it in place', async ({
  page,
}) => {
  test.setTimeout(120_000);
  // The map itself waits until released; its coarse version (size=256) passes.
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const asked: string[] = [];
  await page.context().route(/\/api\/media\/[^/]+\/depth\?/, async (route) => {
    const url = route.request().url();
    asked.push(new URL(url).search);
    if (!url.includes('size=')) await held;
    await route.continue();
  });
  await openFromGallery(page, '2026-06', '2026-06-02-room.jpg');
  const viewer = page.getByTestId('photo-viewer');
  await expect(viewer).toHaveAttribute('data-state', '3d', { timeout: 60_000 });
  await expect(viewer).toHaveAttribute('data-settled', 'false');
  expect(asked.filter((q) => q.includes('size=256'))).toHaveLength(1);

  // At rest it is the photo (the sharp picture is in once the first 3D frame is drawn).
  const canvas = viewer.locator('canvas');
  await page.waitForTimeout(1_500);
  // Its size at rest (software rendering draws frames in motion smaller, the rested one whole).
  await expect(canvas).not.toHaveAttribute('data-antialiased', 'false', { timeout: 10_000 });
  const { view, aspect, previewLarge } = await page.evaluate(async () => {
    const shown = document.querySelector('[data-testid=photo-viewer] canvas') as HTMLCanvasElement;
    const id = document.querySelector('[data-testid=photo-viewer]')?.getAttribute('data-media-id');
    const item = await (await fetch(`/api/media/${id}`)).json();
    return {
      view: { width: shown.width, height: shown.height },
      aspect: item.width / item.height,
      previewLarge: item.urls.previewLarge as string,
    };
  });
  const rest = await measureAgainstFlat(
    page,
    { canvas: '[data-testid=photo-viewer] canvas' },
    previewLarge,
    screenRestRect(view, aspect),
    [11, 11, 13],
  );
  const line = `at rest on the coarse map: coverage ${(rest.coverage * 100).toFixed(2)}%, outside ${(rest.outside * 100).toFixed(3)}%, PSNR ${rest.psnr.toFixed(1)} dB, SSIM ${rest.ssim.toFixed(3)}`;
  console.log(line);
  expect(rest.coverage, line).toBeGreaterThanOrEqual(0.99);
  expect(rest.outside, line).toBeLessThanOrEqual(0.001);
  expect(rest.psnr >= 30 || rest.ssim >= 0.95, line).toBe(true);

  // Real parallax already: leaning right moves the near floor more than the far wall.
  await lean(page, canvas, 0.05);
  const left = await grab(canvas);
  await lean(page, canvas, 0.95);
  const coarse = await grab(canvas);
  await canvas.screenshot({ path: test.info().outputPath('coarse-leaning-right.png') });
  const far = bandShift(left, coarse, 0.2, 0.35);
  const near = bandShift(left, coarse, 0.62, 0.7);
  console.log(`parallax from the coarse map: near floor ${near}px, far wall ${far}px`);
  expect(near).toBeLessThan(far - 5);
  await expect(viewer).toHaveAttribute('data-settled', 'false');

  // The map arrives: the same shape, finer, swapped in without flattening or moving.
  release();
  await expect(viewer).toHaveAttribute('data-settled', 'true', { timeout: 60_000 });
  await page.waitForTimeout(1_000);
  const full = await grab(canvas);
  await canvas.screenshot({ path: test.info().outputPath('full-leaning-right.png') });
  for (const [from, to] of [
    [0.2, 0.35],
    [0.62, 0.7],
  ] as const)
    expect(Math.abs(bandShift(coarse, full, from, to))).toBeLessThanOrEqual(2);
  expect(asked.filter((q) => !q.includes('size='))).toHaveLength(1);
});

test('a reprocessed depth map replaces the shown one in place; stepping through photos frees GPU memory', async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  await openFromGallery(page, '2026-07', '2026-07-04-room-square.jpg');
  const viewer = page.getByTestId('photo-viewer');
  await expect(viewer).toHaveAttribute('data-state', '3d', { timeout: 60_000 });
  await expect(page.getByTestId('viewer-status')).toContainText('Exact depth (rendered scene) · ');

  // Reprocess it (as the panel will in VR): the server's worker makes a new map, the viewer hears
  // about it and swaps it in without closing.
  const page1 = await (await request.get('/api/media?limit=200')).json();
  const item = page1.items.find(
    (i: { originalFilename: string }) => i.originalFilename === '2026-07-04-room-square.jpg',
  );
  const queued = await request.post(`/api/media/${item.id}/reprocess`, { data: { priority: 1 } });
  expect(queued.status()).toBe(202);
  await expect(page.getByTestId('viewer-status')).toContainText('Built-in estimate · ', {
    timeout: 90_000,
  });
  await expect(viewer).toHaveAttribute('data-state', '3d', { timeout: 60_000 });

  // Step through the next photos: what was shown before is disposed, nothing accumulates. A photo
  // holds its picture, its depth map and the depth surface's prepass targets (coarse and full).
  // The shader programs stay: each photo is drawn with those compiled for the first.
  const geometries: number[] = [];
  const textures: number[] = [];
  const programs: number[] = [];
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press('ArrowRight');
    await expect(viewer).toHaveAttribute('data-settled', 'true', { timeout: 60_000 });
    await page.waitForTimeout(1_000);
    geometries.push(Number(await viewer.getAttribute('data-geometries')));
    textures.push(Number(await viewer.getAttribute('data-textures')));
    programs.push(Number(await viewer.getAttribute('data-programs-compiled')));
  }
  console.log(
    `stepping: geometries ${geometries.join(' ')}, textures ${textures.join(' ')}, programs compiled ${programs.join(' ')}`,
  );
  expect(programs[0]).toBeGreaterThan(0);
  expect(programs.at(-1)).toBe(programs[0]);
  // Where settled frames are antialiased apart (software rendering), the viewer holds one target
  // and one triangle for it besides, for as long as it lives.
  const settledFrames =
    (await viewer.locator('canvas').getAttribute('data-antialiasing')) === 'settled-frames' ? 1 : 0;
  expect(Math.max(...textures)).toBeLessThanOrEqual(8 + settledFrames);
  expect(textures.at(-1)).toBe(textures[0]);
  expect(Math.max(...geometries)).toBeLessThanOrEqual(8 + settledFrames);
});

test('a depth map that cannot be loaded: the photo is shown flat, with the reason', async ({
  page,
}) => {
  const name = '2026-06-19-courtyard.jpg';
  const depthFile = path.join(
    process.env.IMMICHVR_E2E_DATA_DIR as string,
    'demo',
    'ground-truth',
    'photos',
    name.replace(/\.jpg$/, '.depth.png'),
  );
  await rename(depthFile, `${depthFile}.away`);
  try {
    await openFromGallery(page, '2026-06', name);
    const viewer = page.getByTestId('photo-viewer');
    await expect(viewer).toHaveAttribute('data-state', 'flat', { timeout: 30_000 });
    // Fetched and decoded in the worker: its failure still reaches the viewer, in words.
    await expect(page.getByTestId('viewer-status')).toHaveText(
      /^Shown flat: the depth map could not be loaded: .+/,
      { timeout: 30_000 },
    );
  } finally {
    await rename(`${depthFile}.away`, depthFile);
  }
});
