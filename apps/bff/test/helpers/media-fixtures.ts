import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import type { Queryable } from '../../src/db/database';
import { importFolder } from '../../src/services/import.service';

const run = promisify(execFile);

/**
 * A JPEG whose left half is red and right half blue, stored `width`×`height`; with an EXIF
 * orientation it is displayed rotated.
 */
export async function writeTestJpeg(
  file: string,
  options: {
    width: number;
    height: number;
    orientation?: number;
    seed?: number;
    focalLength35mm?: number;
  },
): Promise<void> {
  const { width, height } = options;
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const left = x < width / 2;
      pixels[i] = left ? 220 : 20;
      pixels[i + 1] = (options.seed ?? 0) % 256;
      pixels[i + 2] = left ? 20 : 220;
    }
  await mkdir(path.dirname(file), { recursive: true });
  let image = sharp(pixels, { raw: { width, height, channels: 3 } });
  if (options.orientation) image = image.withMetadata({ orientation: options.orientation });
  if (options.focalLength35mm)
    image = image.withExif({ IFD2: { FocalLengthIn35mmFilm: String(options.focalLength35mm) } });
  await image.jpeg({ quality: 90 }).toFile(file);
}

/** A 1 s, 160×90 H.264 test pattern. */
export async function writeTestVideo(
  file: string,
  options: { size?: string; rate?: number; seconds?: number; sound?: boolean } = {},
): Promise<void> {
  const { size = '160x90', rate = 24, seconds = 1, sound = false } = options;
  await mkdir(path.dirname(file), { recursive: true });
  const input = ['-f', 'lavfi', '-i', `testsrc=size=${size}:rate=${rate}:duration=${seconds}`];
  if (sound) input.push('-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`);
  await run('ffmpeg', [
    '-v',
    'error',
    '-y',
    ...input,
    '-pix_fmt',
    'yuv420p',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    ...(sound ? ['-c:a', 'aac'] : []),
    file,
  ]);
}

/** Imports a folder (without queueing) and returns the new ids by file name. */
export async function importFixtures(
  db: Parameters<typeof importFolder>[0],
  folder: string,
): Promise<Map<string, string>> {
  const summary = await importFolder(db, folder, { ffprobePath: 'ffprobe', queue: false });
  return new Map([...summary.addedIds].map(([file, id]) => [path.basename(file), id]));
}

/** A depth map row (and a 16-bit PNG file) for an item. */
export async function addDepthMap(
  db: Queryable,
  mediaId: string,
  file: string,
  options: { modelName?: string; checksum?: string } = {},
): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  const samples = new Uint16Array(64 * 48).map((_, i) => (i * 17) % 65536);
  await sharp(samples, { raw: { width: 64, height: 48, channels: 1 } })
    .toColourspace('grey16')
    .png()
    .toFile(file);
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO depth_map_cache (media_item_id, file_path, file_size, width, height, model_name, checksum)
     VALUES ($1, $2, 100, 64, 48, $3, $4)
     ON CONFLICT (media_item_id) DO UPDATE SET id = gen_random_uuid(), file_path = EXCLUDED.file_path,
       model_name = EXCLUDED.model_name, checksum = EXCLUDED.checksum, generated_at = now()
     RETURNING id`,
    [
      mediaId,
      file,
      options.modelName ?? 'test-model',
      options.checksum ?? `sum-${path.basename(file)}`,
    ],
  );
  return (rows[0] as { id: string }).id;
}
