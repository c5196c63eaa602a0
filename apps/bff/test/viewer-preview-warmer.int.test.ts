import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { COARSE_DEPTH_SIZE } from '@immichvr/shared';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ViewerPreviewWarmer } from '../src/services/viewer-preview-warmer';
import { writeTestJpeg, writeTestVideo } from './helpers/media-fixtures';
import { ENGINES } from './helpers/test-database';
import { startTestServer, type TestServer } from './helpers/test-server';

describe.each(ENGINES)('viewer previews made ahead on %s', (engine) => {
  let s: TestServer;
  let warmer: ViewerPreviewWarmer;
  beforeAll(async () => {
    s = await startTestServer(engine, { worker: true });
  }, 60_000);
  afterAll(async () => {
    await warmer?.stop();
    await s?.close();
  });

  const upload = async (file: string, type: string) => {
    const form = new FormData();
    form.append('file', new Blob([await readFile(file)], { type }), path.basename(file));
    const res = await s.get('/api/media', { method: 'POST', body: form });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };
  const until = async (check: () => Promise<boolean>, what: string) => {
    for (let i = 0; i < 300; i++) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}`);
  };
  const hasViewerPreview = async (id: string) =>
    (await s.deps.previews.existing(id, 2048)) !== null;

  it('for a photo once its depth map is made, not for a video; the open then reads it', async () => {
    const folder = path.join(s.dataDir, 'incoming');
    await writeTestJpeg(path.join(folder, 'wide.jpg'), { width: 2600, height: 1400 });
    await writeTestVideo(path.join(folder, 'clip.mp4'));
    warmer = new ViewerPreviewWarmer(s.deps);
    await warmer.start(s.t.db, s.deps.events);
    const photo = await upload(path.join(folder, 'wide.jpg'), 'image/jpeg');
    const video = await upload(path.join(folder, 'clip.mp4'), 'video/mp4');
    // The worker makes the photo's depth map; its completion has the preview made.
    await until(() => hasViewerPreview(photo), "the photo's viewer preview");
    const file = (await s.deps.previews.existing(photo, 2048)) as string;
    const meta = await sharp(file).metadata();
    expect([meta.width, meta.height]).toEqual([2048, 1103]);
    const res = await s.get(`/api/media/${photo}/preview?size=2048`);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).length).toBe((await stat(file)).size);
    // Its coarse depth map too, from the map just made.
    await warmer.idle();
    const detail = (await (await s.get(`/api/media/${photo}`)).json()) as {
      depthMap: { id: string };
    };
    const coarse = s.deps.layout.coarseDepthFile(photo, detail.depthMap.id, COARSE_DEPTH_SIZE);
    const coarseMeta = await sharp(coarse).metadata();
    expect([coarseMeta.width, coarseMeta.depth]).toEqual([COARSE_DEPTH_SIZE, 'ushort']);
    await until(
      async () =>
        (((await (await s.get(`/api/media/${video}`)).json()) as { depthMap: unknown }).depthMap ??
          null) !== null,
      "the video's depth",
    );
    await warmer.idle();
    expect(await hasViewerPreview(video)).toBe(false);
  }, 90_000);

  it('at start, for the newest photos that have a depth map', async () => {
    await warmer.stop();
    const folder = path.join(s.dataDir, 'incoming');
    await writeTestJpeg(path.join(folder, 'second.jpg'), { width: 900, height: 600, seed: 3 });
    const id = await upload(path.join(folder, 'second.jpg'), 'image/jpeg');
    await until(
      async () =>
        (((await (await s.get(`/api/media/${id}`)).json()) as { depthMap: unknown }).depthMap ??
          null) !== null,
      'its depth map',
    );
    expect(await hasViewerPreview(id)).toBe(false); // no warmer was running
    // The gallery's thumbnails: none asked for yet, the video's neither.
    const items = ((await (await s.get('/api/media')).json()) as { items: { id: string }[] }).items;
    expect(items.length).toBe(3);
    const thumbnails = () => Promise.all(items.map((i) => s.deps.previews.existing(i.id, 256)));
    expect(await thumbnails()).toEqual([null, null, null]);
    warmer = new ViewerPreviewWarmer(s.deps);
    await warmer.start(s.t.db, s.deps.events);
    await warmer.idle();
    expect(await hasViewerPreview(id)).toBe(true);
    // Made at start, the video's (a frame) too; the page reads them, nothing made on request.
    const made = await thumbnails();
    for (const [i, file] of made.entries()) {
      expect(file, `thumbnail of item ${i}`).not.toBeNull();
      const meta = await sharp(file as string).metadata();
      expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBeLessThanOrEqual(256);
      const res = await s.get(`/api/media/${items[i]?.id}/preview?size=256`);
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).length).toBe((await stat(file as string)).size);
    }
  }, 90_000);
});
