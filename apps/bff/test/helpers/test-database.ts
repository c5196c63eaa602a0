import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Database, openDatabase } from '../../src/db/database';
import { migrate } from '../../src/db/migrate';

/** The engines every database suite runs on: embedded always, PostgreSQL when TEST_DATABASE_URL is set. */
export const TEST_POSTGRES_URL = process.env.TEST_DATABASE_URL || undefined;
export const ENGINES = TEST_POSTGRES_URL
  ? (['embedded', 'postgres'] as const)
  : (['embedded'] as const);
export type TestEngine = (typeof ENGINES)[number];

export interface TestDatabase {
  db: Database;
  /** Connection string of the throw-away PostgreSQL database (postgres engine only). */
  url: string | undefined;
  cleanup(): Promise<void>;
}

let migratedTemplate: Promise<Blob> | undefined;

/**
 * An embedded database migrated once per test process, as a dump each fresh database is loaded
 * from: PGlite's initdb takes ~2.5 s on this machine's cores, loading a dump ~1 s.
 */
function migratedEmbeddedTemplate(): Promise<Blob> {
  migratedTemplate ??= (async () => {
    const db = await openDatabase({ engine: 'embedded', dataDir: undefined });
    try {
      await migrate(db);
      if (!db.dumpDataDir) throw new Error('an embedded database can dump its data folder');
      return await db.dumpDataDir();
    } finally {
      await db.close();
    }
  })();
  return migratedTemplate;
}

/**
 * A fresh, empty database of the given engine: in-memory PGlite, or a new database on the test
 * server (dropped again by cleanup), so suites never see each other's rows.
 */
export async function createTestDatabase(
  engine: TestEngine,
  options = { migrate: true },
): Promise<TestDatabase> {
  if (engine === 'embedded') {
    const db = await openDatabase({
      engine: 'embedded',
      dataDir: undefined,
      ...(options.migrate ? { loadDataDir: await migratedEmbeddedTemplate() } : {}),
    });
    return { db, url: undefined, cleanup: () => db.close() };
  }
  const adminUrl = TEST_POSTGRES_URL as string;
  const name = `immichvr_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ engine: 'postgres', url: url.toString() });
  if (options.migrate) await migrate(db);
  return {
    db,
    url: url.toString(),
    async cleanup() {
      await db.close();
      const dropper = new pg.Client({ connectionString: adminUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}
