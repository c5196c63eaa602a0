import { randomBytes } from 'node:crypto';
import pg from 'pg';
import sharp from 'sharp';
import { type Database, openDatabase } from '../src/db/database';
import { migrate } from '../src/db/migrate';

const ADMIN_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A JPEG with real detail — noise over a colour that differs per `seed` — so decoding does the
 * work a camera photo takes. 4000×3000 (12 MP) unless told.
 */
export async function writeDetailedJpeg(
  file: string,
  seed: number,
  size: { width: number; height: number } = { width: 4000, height: 3000 },
): Promise<void> {
  const { width, height } = size;
  await sharp({
    create: {
      width,
      height,
      channels: 3,
      background: { r: (40 + seed * 20) % 256, g: 100, b: 165 },
    },
  })
    .composite([
      {
        input: {
          create: {
            width,
            height,
            channels: 3,
            background: '#000',
            noise: { type: 'gaussian', mean: 128, sigma: 35 },
          },
        },
        blend: 'overlay',
      },
    ])
    .jpeg({ quality: 90 })
    .toFile(file);
}

/** Runs `fn` with a fresh, migrated PostgreSQL database (BENCH_DATABASE_URL's server), dropped after. */
export async function withBenchDatabase(
  fn: (db: Database, url: string) => Promise<void>,
  options: { maxConnections?: number } = {},
): Promise<void> {
  const name = `immichvr_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const db = await openDatabase({ engine: 'postgres', url: url.toString(), ...options });
  try {
    await migrate(db);
    await fn(db, url.toString());
  } finally {
    await db.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}
