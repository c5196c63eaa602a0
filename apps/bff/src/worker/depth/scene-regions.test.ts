import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DEMO_PHOTOS } from '../../demo/catalogue';
import { renderView } from '../../demo/render';
import { buildScene, eyeLevelCamera } from '../../demo/scenes';
import type { RgbImage } from './estimator';
import { findSceneRegions } from './scene-regions';

const luminanceOf = ({ data, width, height }: RgbImage) =>
  Float32Array.from(
    { length: width * height },
    (_, i) =>
      (0.299 * (data[i * 3] as number) +
        0.587 * (data[i * 3 + 1] as number) +
        0.114 * (data[i * 3 + 2] as number)) /
      255,
  );

/** A photograph from Debian's mate-backgrounds, 300 px high. */
async function photograph(file: string): Promise<RgbImage> {
  const { data, info } = await sharp(`/usr/share/backgrounds/mate/${file}`)
    .resize({ height: 300 })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

describe('sky, horizon and plain backdrops', () => {
  it('finds the sky of every demo scene that has one, and none indoors (under 4% of pixels wrong at 300 px)', () => {
    for (const photo of DEMO_PHOTOS) {
      const scale = 300 / Math.min(photo.width, photo.height);
      const [width, height] = [Math.round(photo.width * scale), Math.round(photo.height * scale)];
      const camera = eyeLevelCamera(photo.seed, photo.focalLength35mm);
      const view = renderView(buildScene(photo.family, photo.seed), camera, width, height);
      const image = { data: view.rgb, width, height };
      const regions = findSceneRegions(image, luminanceOf(image));
      let wrong = 0;
      for (let i = 0; i < width * height; i++) {
        const found = regions.kind === 'sky' && regions.mask[i] === 1;
        if (found !== (view.surfaceIds[i] === 0)) wrong++;
      }
      expect(wrong / (width * height), photo.name).toBeLessThan(0.04);
      expect(regions.kind, photo.name).toBe(photo.family === 'courtyard' ? 'sky' : 'none');
    }
  });

  it('finds a storm sky and its horizon in a real photograph', async () => {
    const storm = await photograph('nature/Storm.jpg');
    const regions = findSceneRegions(storm, luminanceOf(storm));
    expect(regions.kind).toBe('sky');
    if (regions.kind !== 'sky') return;
    // The horizon of this photograph is at 61–63% of its height.
    expect(regions.horizonRow / storm.height).toBeGreaterThan(0.55);
    expect(regions.horizonRow / storm.height).toBeLessThan(0.66);
  });

  it('calls artwork on a plain background a backdrop, and a close-up of grass neither', async () => {
    const waves = await photograph('abstract/Waves.png');
    expect(findSceneRegions(waves, luminanceOf(waves)).kind).toBe('backdrop');
    const meadow = await photograph('nature/GreenMeadow.jpg');
    expect(findSceneRegions(meadow, luminanceOf(meadow)).kind).toBe('none');
  });
});
