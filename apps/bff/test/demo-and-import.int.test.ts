import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PHOTOS, DEMO_VIDEOS } from '../src/demo/catalogue';
import { demoLayout, generateDemo } from '../src/demo/generate-demo';
import { createDemoLibrary } from '../src/services/demo-library.service';
import { importFolder } from '../src/services/import.service';
import { createTestDatabase, ENGINES, type TestDatabase } from './helpers/test-database';

const FFMPEG = process.env.FFMPEG_PATH ?? 'ffmpeg';
const FFPROBE = process.env.FFPROBE_PATH ?? 'ffprobe';
/** A small but telling subset: an upright photo, one stored rotated by EXIF, and a video. */
const PHOTOS = [DEMO_PHOTOS[1], DEMO_PHOTOS[4]].filter((p) => p !== undefined);
const VIDEOS = [DEMO_VIDEOS[0]].filter((v) => v !== undefined);

async function treeHashes(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, full)] = createHash('sha256')
      .update(await readFile(full))
      .digest('hex');
  }
  return out;
}

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'immichvr-demo-'));
  await generateDemo(path.join(work, 'a', 'demo'), {
    ffmpegPath: FFMPEG,
    photos: PHOTOS,
    videos: VIDEOS,
    threads: 2,
  });
});
afterAll(async () => rm(work, { recursive: true, force: true }));

describe('the demo generator', () => {
  it('writes byte-identical files for the same seed, on two threads or one', async () => {
    await generateDemo(path.join(work, 'b', 'demo'), {
      ffmpegPath: FFMPEG,
      photos: PHOTOS,
      videos: VIDEOS,
      threads: 1,
    });
    const a = await treeHashes(path.join(work, 'a', 'demo'));
    const b = await treeHashes(path.join(work, 'b', 'demo'));
    expect(Object.keys(a).length).toBeGreaterThan(70); // photos, their truth, 72 video frames
    expect(b).toEqual(a);
  });

  it('stores a rotated photo with its EXIF orientation and its depth in display orientation', async () => {
    const layout = demoLayout(path.join(work, 'a', 'demo'));
    const rotated = PHOTOS[1];
    if (!rotated) throw new Error('catalogue changed');
    const meta = await sharp(path.join(layout.mediaDir, 'photos', rotated.name)).metadata();
    expect(meta.orientation).toBe(6);
    expect([meta.width, meta.height]).toEqual([rotated.height, rotated.width]);
    const depth = await sharp(
      path.join(layout.groundTruthDir, 'photos', `${path.parse(rotated.name).name}.depth.png`),
    ).metadata();
    expect([depth.width, depth.height, depth.depth, depth.channels]).toEqual([
      rotated.width,
      rotated.height,
      'ushort',
      1,
    ]);
  });
});

describe.each(ENGINES)('import on %s', (engine) => {
  let t: TestDatabase;
  let folder: string;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
    folder = path.join(work, `import-${engine}`);
    await cp(demoLayout(path.join(work, 'a', 'demo')).mediaDir, folder, { recursive: true });
    // A duplicate (same bytes, other name), a text file and a truncated "photo".
    const anyPhoto = path.join(folder, 'photos', PHOTOS[0]?.name as string);
    await cp(anyPhoto, path.join(folder, 'photos', 'copy-of-first.jpg'));
    await writeFile(path.join(folder, 'notes.txt'), 'not media');
    await writeFile(path.join(folder, 'broken.mp4'), Buffer.from('0000001866747970', 'hex'));
  });
  afterAll(async () => t?.cleanup());

  it('adds media in place with checksums, oriented sizes, capture dates and video facts', async () => {
    const before = await treeHashes(folder);
    const summary = await importFolder(t.db, folder, { ffprobePath: FFPROBE });
    expect(await treeHashes(folder)).toEqual(before);
    expect(summary.added).toBe(PHOTOS.length + VIDEOS.length);
    expect(summary.duplicates).toBe(1);
    expect(summary.skipped.map((s) => path.basename(s.file)).sort()).toEqual([
      'broken.mp4',
      'notes.txt',
    ]);

    const { rows } = await t.db.query(
      `SELECT original_filename, media_type, file_path, mime_type, width, height, duration_seconds,
         frame_rate, checksum, captured_at FROM media_items ORDER BY original_filename`,
    );
    const rotated = rows.find((r) => r.original_filename === PHOTOS[1]?.name);
    expect(rotated).toMatchObject({
      media_type: 'photo',
      mime_type: 'image/jpeg',
      width: PHOTOS[1]?.width,
      height: PHOTOS[1]?.height,
      captured_at: new Date(PHOTOS[1]?.capturedAt as string),
      file_path: path.join(folder, 'photos', PHOTOS[1]?.name as string),
    });
    const checksum = createHash('sha256')
      .update(await readFile(rotated?.file_path))
      .digest('hex');
    expect(rotated?.checksum).toBe(checksum);
    const video = rows.find((r) => r.media_type === 'video');
    expect(video).toMatchObject({
      mime_type: 'video/mp4',
      width: 480,
      height: 270,
      frame_rate: '24.0000',
    });
    expect(Number(video?.duration_seconds)).toBeCloseTo(3, 1);
    expect(video?.captured_at).toEqual(new Date(VIDEOS[0]?.capturedAt as string));

    const queued = await t.db.query(`SELECT status, priority FROM processing_queue`);
    expect(queued.rows).toHaveLength(summary.added);
    expect(new Set(queued.rows.map((r) => `${r.status}/${r.priority}`))).toEqual(
      new Set(['queued/7']),
    );
  });

  it('adds only what is new when run again', async () => {
    await cp(
      path.join(folder, 'photos', PHOTOS[1]?.name as string),
      path.join(folder, 'later.jpg'),
    );
    const { rows: before } = await t.db.query('SELECT count(*) AS n FROM media_items');
    const again = await importFolder(t.db, folder, { ffprobePath: FFPROBE, queue: false });
    expect(again.added).toBe(0);
    // The new copy, and the first run's duplicate (duplicates are not recorded, so read again).
    expect(again.duplicates).toBe(2);
    expect(again.alreadyImported).toBe(PHOTOS.length + VIDEOS.length);
    expect((await t.db.query('SELECT count(*) AS n FROM media_items')).rows).toEqual(before);
  });

  it('reports a missing folder clearly', async () => {
    await expect(
      importFolder(t.db, path.join(work, 'nope'), { ffprobePath: FFPROBE }),
    ).rejects.toThrow(/is not a folder/);
  });
});

describe.each(ENGINES)('the demo library on %s', (engine) => {
  it('is imported without queueing and carries its ground-truth depth maps', async () => {
    const t = await createTestDatabase(engine);
    const dataDir = path.join(work, `data-${engine}`);
    try {
      await cp(path.join(work, 'a', 'demo'), path.join(dataDir, 'demo'), { recursive: true });
      const result = await createDemoLibrary(t.db, {
        dataDir,
        ffmpegPath: FFMPEG,
        ffprobePath: FFPROBE,
      });
      expect(result).toEqual({ generated: false, added: 3, depthMaps: 3 });
      const { rows } = await t.db.query(
        `SELECT m.original_filename, d.model_name, d.width, d.height, d.file_path, d.checksum, d.processing_params
         FROM media_items m JOIN depth_map_cache d ON d.media_item_id = m.id ORDER BY 1`,
      );
      expect(rows.map((r) => r.model_name)).toEqual([
        'ground-truth',
        'ground-truth',
        'ground-truth',
      ]);
      for (const row of rows) {
        expect(row.processing_params.encoding.kind).toBe('inverse-depth');
        expect((await stat(row.file_path)).isFile()).toBe(true);
        expect(row.checksum).toBe(
          createHash('sha256')
            .update(await readFile(row.file_path))
            .digest('hex'),
        );
      }
      expect((await t.db.query('SELECT count(*) AS n FROM processing_queue')).rows).toEqual([
        { n: '0' },
      ]);
      // Running it again changes nothing.
      expect(
        await createDemoLibrary(t.db, { dataDir, ffmpegPath: FFMPEG, ffprobePath: FFPROBE }),
      ).toEqual({
        generated: false,
        added: 0,
        depthMaps: 0,
      });
    } finally {
      await t.cleanup();
    }
  });
});
