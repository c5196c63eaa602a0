import { expect, type Page } from '@playwright/test';

/** What a rendered view of a picture is, measured against the flat picture it should be. */
export interface RestPoseMeasure {
  /** Share of the expected rectangle the rendering covers. */
  coverage: number;
  /** Share of the view outside the rectangle (2 px margin) that is drawn on. */
  outside: number;
  /**
   * Colour agreement inside the rectangle (2 px in from its edge): PSNR in dB and SSIM of
   * luminance, on 2×2 pixel averages (the GPU's and the 2D canvas's resamplers differ in the
   * finest detail of a minified picture; what a viewer sees does not).
   */
  psnr: number;
  ssim: number;
}

/** A rectangle in canvas pixels. */
export interface PixelRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Sets a range input as a user's drag would (React sees an input event), without moving the pointer. */
export async function setSlider(page: Page, testId: string, value: number): Promise<void> {
  await page.evaluate(
    ({ testId, value }) => {
      const input = document.querySelector(`[data-testid="${testId}"]`) as HTMLInputElement;
      const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
      setValue?.call(input, String(value));
      input.dispatchEvent(new Event('input', { bubbles: true }));
    },
    { testId, value },
  );
}

/**
 * Where the flat picture stands on a screen view, by the viewer's documented rule: centred, filling
 * 90% of the view's width or height, whichever it reaches first.
 */
export function screenRestRect(view: { width: number; height: number }, aspect: number): PixelRect {
  const width = Math.min(0.9 * view.width, 0.9 * view.height * aspect);
  const height = width / aspect;
  return { x: (view.width - width) / 2, y: (view.height - height) / 2, width, height };
}

/** What is measured: a canvas of the page (by selector) or a screenshot (PNG). */
export type RenderedView = { canvas: string } | { screenshot: Buffer };

/**
 * Measures a rendered view against a picture drawn flat into `rect` by the browser's own 2D
 * canvas (a different resampler than the GPU's): silhouette and colours. Pixels in `ignore`
 * (other things in the view, e.g. a panel) count neither way. Runs in the page.
 */
export async function measureAgainstFlat(
  page: Page,
  view: RenderedView,
  pictureUrl: string,
  rect: PixelRect,
  background: [number, number, number],
  ignoreOutsideBeyond = Number.POSITIVE_INFINITY,
): Promise<RestPoseMeasure> {
  const source: { canvas: string } | { png: string } =
    'canvas' in view ? { canvas: view.canvas } : { png: view.screenshot.toString('base64') };
  // The viewer antialiases a settled view a moment after drawing it where WebGL is software: the
  // view at rest is that frame.
  if ('canvas' in view)
    await expect(page.locator(`${view.canvas}:not([data-antialiased=false])`)).toHaveCount(1, {
      timeout: 10_000,
    });
  return page.evaluate(
    async ({ source, pictureUrl, rect, background, ignoreOutsideBeyond }) => {
      const image =
        'canvas' in source
          ? (document.querySelector(source.canvas) as HTMLCanvasElement)
          : await createImageBitmap(
              new Blob([Uint8Array.from(atob(source.png), (c) => c.charCodeAt(0))], {
                type: 'image/png',
              }),
            );
      const width = image.width;
      const height = image.height;
      const grab = (draw: (ctx: CanvasRenderingContext2D) => void) => {
        const canvas = document.createElement('canvas');
        canvas.width = width;
        canvas.height = height;
        const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
        ctx.imageSmoothingQuality = 'high';
        draw(ctx);
        return ctx.getImageData(0, 0, width, height).data;
      };
      const rendered = grab((ctx) => ctx.drawImage(image, 0, 0));
      // The flat picture, drawn once per picture and place (a photo is measured several times).
      const key = JSON.stringify([pictureUrl, rect, width, height, background]);
      const cache = window as unknown as {
        __flatPicture?: { key: string; data: Uint8ClampedArray };
      };
      if (cache.__flatPicture?.key !== key) {
        // Resampled to the rectangle's size by the browser's image decoder (high quality).
        const picture = await createImageBitmap(await (await fetch(pictureUrl)).blob(), {
          resizeWidth: Math.round(rect.width),
          resizeHeight: Math.round(rect.height),
          resizeQuality: 'high',
        });
        const data = grab((ctx) => {
          ctx.fillStyle = `rgb(${background.join(',')})`;
          ctx.fillRect(0, 0, width, height);
          ctx.drawImage(picture, rect.x, rect.y, rect.width, rect.height);
        });
        cache.__flatPicture = { key, data };
      }
      const flat = cache.__flatPicture.data;
      const isBackground = (data: Uint8ClampedArray, i: number, tolerance: number) =>
        Math.abs((data[i] as number) - background[0]) <= tolerance &&
        Math.abs((data[i + 1] as number) - background[1]) <= tolerance &&
        Math.abs((data[i + 2] as number) - background[2]) <= tolerance;
      const inside = (x: number, y: number, margin: number) =>
        x >= rect.x + margin &&
        x < rect.x + rect.width - margin &&
        y >= rect.y + margin &&
        y < rect.y + rect.height - margin;

      let area = 0;
      let uncovered = 0;
      let outsideArea = 0;
      let outsideDrawn = 0;
      // 2×2 averages of both, RGB and luminance.
      const halfW = Math.floor(width / 2);
      const halfH = Math.floor(height / 2);
      const average = (data: Uint8ClampedArray) => {
        const out = new Float32Array(halfW * halfH * 3);
        for (let y = 0; y < halfH; y++)
          for (let x = 0; x < halfW; x++)
            for (let c = 0; c < 3; c++) {
              let sum = 0;
              for (const [dx, dy] of [
                [0, 0],
                [1, 0],
                [0, 1],
                [1, 1],
              ] as const)
                sum += data[((2 * y + dy) * width + 2 * x + dx) * 4 + c] as number;
              out[(y * halfW + x) * 3 + c] = sum / 4;
            }
        return out;
      };
      const smallA = average(rendered);
      const smallB = average(flat);
      const lumaA = new Float32Array(halfW * halfH);
      const lumaB = new Float32Array(halfW * halfH);
      let squared = 0;
      let counted = 0;
      for (let y = 0; y < halfH; y++)
        for (let x = 0; x < halfW; x++) {
          const i = (y * halfW + x) * 3;
          lumaA[y * halfW + x] =
            0.299 * (smallA[i] as number) +
            0.587 * (smallA[i + 1] as number) +
            0.114 * (smallA[i + 2] as number);
          lumaB[y * halfW + x] =
            0.299 * (smallB[i] as number) +
            0.587 * (smallB[i + 1] as number) +
            0.114 * (smallB[i + 2] as number);
          if (inside(2 * x + 1, 2 * y + 1, 3)) {
            for (let c = 0; c < 3; c++) {
              const d = (smallA[i + c] as number) - (smallB[i + c] as number);
              squared += d * d;
            }
            counted += 3;
          }
        }
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++) {
          const i = (y * width + x) * 4;
          const px = x + 0.5;
          const py = y + 0.5;
          if (inside(px, py, 1)) {
            area++;
            // Background-coloured where the photo is not: a hole in the surface.
            if (isBackground(rendered, i, 3) && !isBackground(flat, i, 12)) uncovered++;
          } else if (!inside(px, py, -2) && inside(px, py, -2 - ignoreOutsideBeyond)) {
            outsideArea++;
            if (!isBackground(rendered, i, 3)) outsideDrawn++;
          }
        }
      // SSIM over 8×8 windows of the averaged luminance inside the rectangle, stepping 4.
      const c1 = (0.01 * 255) ** 2;
      const c2 = (0.03 * 255) ** 2;
      let ssimSum = 0;
      let windows = 0;
      for (let y0 = Math.ceil((rect.y + 3) / 2); 2 * (y0 + 8) <= rect.y + rect.height - 3; y0 += 4)
        for (
          let x0 = Math.ceil((rect.x + 3) / 2);
          2 * (x0 + 8) <= rect.x + rect.width - 3;
          x0 += 4
        ) {
          let ma = 0;
          let mb = 0;
          for (let y = y0; y < y0 + 8; y++)
            for (let x = x0; x < x0 + 8; x++) {
              ma += lumaA[y * halfW + x] as number;
              mb += lumaB[y * halfW + x] as number;
            }
          ma /= 64;
          mb /= 64;
          let va = 0;
          let vb = 0;
          let cov = 0;
          for (let y = y0; y < y0 + 8; y++)
            for (let x = x0; x < x0 + 8; x++) {
              const a = (lumaA[y * halfW + x] as number) - ma;
              const b = (lumaB[y * halfW + x] as number) - mb;
              va += a * a;
              vb += b * b;
              cov += a * b;
            }
          va /= 63;
          vb /= 63;
          cov /= 63;
          ssimSum +=
            ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
          windows++;
        }
      const mse = squared / Math.max(1, counted);
      return {
        coverage: 1 - uncovered / Math.max(1, area),
        outside: outsideDrawn / Math.max(1, outsideArea),
        psnr: mse === 0 ? 99 : 10 * Math.log10((255 * 255) / mse),
        ssim: ssimSum / Math.max(1, windows),
      };
    },
    {
      source,
      pictureUrl,
      rect,
      background,
      ignoreOutsideBeyond: Number.isFinite(ignoreOutsideBeyond) ? ignoreOutsideBeyond : 1e9,
    },
  );
}
