import { execFile } from 'node:child_process';
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { MediaDetail } from '@immichvr/shared';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFixtures, writeTestJpeg } from './helpers/media-fixtures';
import { ENGINES } from './helpers/test-database';
import { startTestServer, type TestServer } from './helpers/test-server';

const run = promisify(execFile);
/** A real photograph (Debian's mate-backgrounds), taken 2008-04-20 19:12:06 by its EXIF. */
const STORM = '/usr/share/backgrounds/mate/nature/Storm.jpg';

/** Mean RGB of a JPEG's pixels at a small size (previews of the same picture agree on it). */
async function meanColour(bytes: Buffer): Promise<number[]> {
  const { channels } = await sharp(bytes).stats();
  return channels.slice(0, 3).map((c) => c.mean);
}

describe.each(ENGINES)('HEIC photos (%s)', (engine) => {
  let s: TestServer;
  let ids: Map<string, string>;

  beforeAll(async () => {
    s = await startTestServer(engine, { worker: true });
    const media = path.join(s.dataDir, 'phone');
    await mkdir(media, { recursive: true });
    await copyFile(STORM, path.join(media, 'storm.jpg'));
    // What an iPhone would have saved: the same photograph as HEIC (libheif's own encoder).
    await run('heif-enc', [
      '-q',
      '80',
      path.join(media, 'storm.jpg'),
      '-o',
      path.join(media, 'storm.heic'),
    ]);
    await writeTestJpeg(path.join(s.dataDir, 'portrait.jpg'), { width: 300, height: 500, seed: 4 });
    await run('heif-enc', [
      '-q',
      '80',
      path.join(s.dataDir, 'portrait.jpg'),
      '-o',
      path.join(media, 'portrait.heic'),
    ]);
    ids = await importFixtures(s.t.db, media);
  }, 120_000);
  afterAll(async () => s?.close());

  it('imports with its size and capture date, makes previews that look like the JPEG, and depth', async () => {
    const detail = async (name: string) =>
      (await (await s.get(`/api/media/${ids.get(name)}`)).json()) as MediaDetail;
    const item = await detail('storm.heic');
    expect(item).toMatchObject({ mimeType: 'image/heic', width: 1920, height: 1280 });
    expect(item.capturedAt).toBe('2008-04-20T19:12:06.000Z');
    const portrait = await detail('portrait.heic');
    expect(portrait).toMatchObject({ width: 300, height: 500 });

    const heic = await s.get(`/api/media/${ids.get('storm.heic')}/preview?size=256`);
    expect(heic.status).toBe(200);
    expect(heic.headers.get('content-type')).toBe('image/jpeg');
    const heicPreview = Buffer.from(await heic.arrayBuffer());
    expect(await sharp(heicPreview).metadata()).toMatchObject({ width: 256, height: 171 });
    const jpeg = Buffer.from(
      await (await s.get(`/api/media/${ids.get('storm.jpg')}/preview?size=256`)).arrayBuffer(),
    );
    const [a, b] = [await meanColour(heicPreview), await meanColour(jpeg)];
    for (let c = 0; c < 3; c++)
      expect(Math.abs((a[c] as number) - (b[c] as number))).toBeLessThan(4);

    // The worker makes its depth map like a JPEG's (the queue of a fresh import).
    await s.get(`/api/media/${ids.get('storm.heic')}/reprocess`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"priority":1}',
    });
    let depth: MediaDetail['depthMap'] = null;
    for (let i = 0; i < 200 && !depth; i++) {
      depth = (await detail('storm.heic')).depthMap;
      if (!depth) await new Promise((r) => setTimeout(r, 100));
    }
    expect(depth).toMatchObject({ width: 777, height: 518 });
    expect((await s.get(`/api/media/${ids.get('storm.heic')}/depth`)).status).toBe(200);
  }, 120_000);
});
