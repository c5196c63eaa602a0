/** pnpm bench import: demo render time and import files/s against hashing alone. */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { type Database, openDatabase } from '../src/db/database';
import { migrate } from '../src/db/migrate';
import { DEMO_PHOTOS, DEMO_VIDEOS } from '../src/demo/catalogue';
import { demoLayout, generateDemo } from '../src/demo/generate-demo';
import { sha256File, sha256Of } from '../src/import/hash-file';
import { listFiles } from '../src/import/scan-folder';
import { importFolder } from '../src/services/import.service';
import { withBenchDatabase } from './fixtures';

const FFMPEG = process.env.FFMPEG_PATH ?? 'ffmpeg';
const FFPROBE = process.env.FFPROBE_PATH ?? 'ffprobe';
/** Rounds of each measurement, interleaved; the median counts. */
const ROUNDS = 3;

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

export async function benchImport(): Promise<void> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'immichvr-bench-'));
  try {
    const demo = path.join(work, 'demo');
    const started = performance.now();
    await generateDemo(demo, { ffmpegPath: FFMPEG, photos: DEMO_PHOTOS, videos: DEMO_VIDEOS });
    console.log(
      `demo render: ${((performance.now() - started) / 1000).toFixed(1)} s for ${DEMO_PHOTOS.length} photos + ${DEMO_VIDEOS.length} videos`,
    );

    const many = path.join(work, 'many');
    const count = Number(process.env.BENCH_IMPORT_FILES ?? 3000);
    await mkdir(many);
    for (let i = 0; i < count; i++) {
      const dir = path.join(many, `folder-${Math.floor(i / 500)}`);
      if (i % 500 === 0) await mkdir(dir);
      // Distinct 1024×768 JPEGs: a gradient shifted per file, so no two are duplicates.
      const raw = Buffer.alloc(1024 * 768 * 3);
      for (let p = 0; p < 1024 * 768; p++) {
        raw[p * 3] = ((p % 1024) + i) & 255;
        raw[p * 3 + 1] = ((p >> 10) + (i >> 8) * 17) & 255;
        raw[p * 3 + 2] = 77;
      }
      await sharp(raw, { raw: { width: 1024, height: 768, channels: 3 } })
        .jpeg({ quality: 85 })
        .toFile(path.join(dir, `img-${String(i).padStart(5, '0')}.jpg`));
    }

    for (const [label, folder] of [
      ['demo library', demoLayout(demo).mediaDir],
      [`${count} generated JPEGs`, many],
    ] as const) {
      const files = await listFiles(folder);
      // Interleaved rounds, medians: hashing one small file at a time swings several-fold from
      // run to run here (the 1 MiB read buffer per file), so one round of each says little.
      const rates = {
        hash: [] as number[],
        lanes: [] as number[],
        whole: [] as number[],
        embedded: [] as number[],
        postgres: [] as number[],
      };
      let added = 0;
      const importInto = async (db: Database, engine: 'embedded' | 'postgres') => {
        const summary = await importFolder(db, folder, { ffprobePath: FFPROBE });
        rates[engine].push(summary.scanned / summary.seconds);
        added = summary.added;
      };
      for (let round = 0; round < ROUNDS; round++) {
        const hashStart = performance.now();
        for (const file of files) await sha256File(file);
        rates.hash.push(files.length / ((performance.now() - hashStart) / 1000));
        // The import reads 4 files at once: hashing 4 at once is the stricter reference.
        const lanesStart = performance.now();
        let next = 0;
        await Promise.all(
          Array.from({ length: 4 }, async () => {
            while (next < files.length) await sha256File(files[next++] as string);
          }),
        );
        rates.lanes.push(files.length / ((performance.now() - lanesStart) / 1000));
        // The strictest: each file read whole and hashed, 4 at once — what the import does for a
        // photo before it measures it, with nothing else.
        const wholeStart = performance.now();
        let nextWhole = 0;
        await Promise.all(
          Array.from({ length: 4 }, async () => {
            while (nextWhole < files.length) sha256Of(await readFile(files[nextWhole++] as string));
          }),
        );
        rates.whole.push(files.length / ((performance.now() - wholeStart) / 1000));

        const embedded = await openDatabase({ engine: 'embedded', dataDir: undefined });
        await migrate(embedded);
        await importInto(embedded, 'embedded');
        await embedded.close();
        // PostgreSQL: a fresh database each round (withBenchDatabase migrates it).
        await withBenchDatabase((db) => importInto(db, 'postgres'));
      }
      const hashRate = median(rates.hash);
      const lanesRate = median(rates.lanes);
      const wholeRate = median(rates.whole);
      const all = (values: number[]) => values.map((v) => v.toFixed(0)).join(', ');
      console.log(
        `import ${label}: ${added} added | reference: sha256 alone ${hashRate.toFixed(0)} files/s (${all(rates.hash)}), 4 at once ${lanesRate.toFixed(0)} files/s (${all(rates.lanes)}), read whole 4 at once ${wholeRate.toFixed(0)} files/s (${all(rates.whole)}) | medians of ${ROUNDS} interleaved rounds`,
      );
      for (const engine of ['embedded', 'postgres'] as const) {
        const rate = median(rates[engine]);
        console.log(
          `  ${engine === 'embedded' ? 'embedded (PGlite, on its own thread)' : 'PostgreSQL'}: ${rate.toFixed(0)} files/s (${all(rates[engine])}); ` +
            `ratio to sha256 alone ${(rate / hashRate).toFixed(2)}× (target ≥ 0.9×), to 4 at once ${(rate / lanesRate).toFixed(2)}×, to read whole 4 at once ${(rate / wholeRate).toFixed(2)}×`,
        );
      }
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
