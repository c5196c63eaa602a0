import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { MAX_MODEL_TEXTURE, shrinkGlbTextures } from './glb-textures.ts';

const profiles = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@webxr-input-profiles/assets/package.json')),
  'dist/profiles',
);

/** Each embedded image of a GLB: its size, and the JSON (to compare everything else). */
async function inspect(glb: Buffer) {
  const jsonLength = glb.readUInt32LE(12);
  const json = JSON.parse(glb.toString('utf8', 20, 20 + jsonLength));
  const bin = glb.subarray(20 + jsonLength + 8);
  const images = [];
  for (const image of json.images ?? []) {
    const view = json.bufferViews[image.bufferView];
    const bytes = bin.subarray(view.byteOffset ?? 0, (view.byteOffset ?? 0) + view.byteLength);
    const meta = await sharp(bytes).metadata();
    images.push({ width: meta.width, height: meta.height, format: meta.format });
  }
  return { json, bin, images };
}

describe('controller models with smaller textures', () => {
  it('scales the Quest Touch Plus textures from 2048² to 512² and keeps the geometry byte for byte', async () => {
    const original = readFileSync(path.join(profiles, 'meta-quest-touch-plus/left.glb'));
    const shrunk = await shrinkGlbTextures(original);
    const before = await inspect(original);
    const after = await inspect(shrunk);
    expect(before.images).toEqual([{ width: 2048, height: 2048, format: 'png' }]);
    expect(after.images).toEqual([{ width: 512, height: 512, format: 'png' }]);
    expect(shrunk.readUInt32LE(8)).toBe(shrunk.length);
    // Every buffer view other than the image's holds the same bytes as before.
    const imageViews = new Set(before.json.images.map((i: { bufferView: number }) => i.bufferView));
    before.json.bufferViews.forEach(
      (view: { byteOffset?: number; byteLength: number }, k: number) => {
        if (imageViews.has(k)) return;
        const next = after.json.bufferViews[k];
        expect(next.byteOffset % 4).toBe(0);
        const a = before.bin.subarray(
          view.byteOffset ?? 0,
          (view.byteOffset ?? 0) + view.byteLength,
        );
        const b = after.bin.subarray(next.byteOffset, next.byteOffset + next.byteLength);
        expect(Buffer.compare(a, b)).toBe(0);
      },
    );
    expect({ ...after.json, bufferViews: undefined, buffers: undefined }).toEqual({
      ...before.json,
      bufferViews: undefined,
      buffers: undefined,
    });
  });

  it('leaves no texture over 512 px in any shipped profile, and every buffer view still lies in the file', async () => {
    for (const id of [
      'meta-quest-touch-plus',
      'meta-quest-touch-pro',
      'oculus-touch-v3',
      'generic-trigger',
    ])
      for (const name of readdirSync(path.join(profiles, id)).filter((n) => n.endsWith('.glb'))) {
        const shrunk = await shrinkGlbTextures(readFileSync(path.join(profiles, id, name)));
        for (const image of (await inspect(shrunk)).images)
          expect(
            Math.max(image.width ?? 0, image.height ?? 0),
            `${id}/${name}`,
          ).toBeLessThanOrEqual(MAX_MODEL_TEXTURE);
        // Every buffer view lies inside the binary chunk, aligned.
        const { json, bin } = await inspect(shrunk);
        for (const view of json.bufferViews) {
          expect(view.byteOffset % 4).toBe(0);
          expect(view.byteOffset + view.byteLength).toBeLessThanOrEqual(bin.length);
        }
      }
  });
});
